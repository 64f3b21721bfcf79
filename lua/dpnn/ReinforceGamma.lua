-- nn.ReinforceGamma(scale[, stochastic]): samples of Gamma distributions of shape k (the
-- input) and scale t, trained with REINFORCE (see nn.Reinforce). scale is a number, a
-- tensor the size of the input, or one without its batch dimension; without it the input
-- is {shape, scale} and the scale is learned too. In evaluate() mode (not stochastic) the
-- output is the distribution's mean k * t.
-- For a sample x of Gamma(k, t), with digamma g:
--    d ln f / d k = ln x - g(k) - ln t,     d ln f / d t = x / t^2 - k / t.
-- dpnn drew the samples with randomkit and took digamma from cephes; both are computed
-- here (Marsaglia and Tsang's method, and digamma's asymptotic series), drawing from
-- torch's generator so that torch.manualSeed repeats them.

local ReinforceGamma, parent = torch.class('nn.ReinforceGamma', 'nn.Reinforce')

-- A Gamma(k, 1) draw, k > 0 (Marsaglia and Tsang, "A simple method for generating gamma
-- variables", 2000). A shape below 1 draws Gamma(k + 1) and scales it by U^(1/k).
local function standard_gamma(k)
   if k < 1 then return standard_gamma(k + 1) * torch.uniform() ^ (1 / k) end
   local d = k - 1 / 3
   local c = 1 / math.sqrt(9 * d)
   while true do
      local z = torch.normal()
      local v = 1 + c * z
      if v > 0 then
         v = v * v * v
         local u = torch.uniform()
         if math.log(u) < 0.5 * z * z + d - d * v + d * math.log(v) then return d * v end
      end
   end
end

-- digamma(x) for x > 0: the recurrence g(x) = g(x + 1) - 1 / x moves x to 10 or more, where
-- the asymptotic series is accurate to double precision.
local function digamma(x)
   local result = 0
   while x < 10 do
      result = result - 1 / x
      x = x + 1
   end
   local f = 1 / (x * x)
   return result + math.log(x) - 0.5 / x
      - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))))
end
ReinforceGamma.digamma = digamma

local names = {'shape', 'scale'}

function ReinforceGamma:__init(scale, stochastic)
   parent.__init(self, stochastic)
   self.scale = scale
   if not scale then self.gradInput = {torch.Tensor(), torch.Tensor()} end
end

-- scale as a tensor of shape's size.
function ReinforceGamma:spreadScale(shape, scale)
   scale = self:spreadParameter(shape, scale, 'scale')
   if torch.type(scale) ~= 'number' then return scale end
   self._scale = self._scale or shape.new()
   return self._scale:resizeAs(shape):fill(scale)
end

function ReinforceGamma:updateOutput(input)
   local shape, scale = self:distributionParameters(input, names)
   scale = self:spreadScale(shape, scale)
   if shape:nElement() > 0 and shape:min() <= 0 then
      error('nn.ReinforceGamma: the shapes must be positive', 2)
   end
   self.output:resizeAs(shape):copy(shape)
   if self:sampling() then
      self.output:apply(standard_gamma)
   end
   self.output:cmul(scale)
   return self.output
end

function ReinforceGamma:updateGradInput(input, gradOutput)
   local shape, scale = self:distributionParameters(input, names)
   local spread = self:spreadScale(shape, scale)
   local reward = self:rewardAs(shape)
   local gradShape = torch.type(input) == 'table' and self.gradInput[1] or self.gradInput
   gradShape:resizeAs(shape):copy(shape):apply(digamma)
   gradShape:mul(-1):add(torch.log(self.output)):add(-1, torch.log(spread))
   gradShape:cmul(reward):mul(-1)
   if torch.type(input) == 'table' then
      -- a scale shared by the examples collects the gradients of all of them
      local shared = scale:dim() < shape:dim()
      self._gradScale = self._gradScale or shape.new()
      local gradScale = shared and self._gradScale or self.gradInput[2]
      gradScale:resizeAs(shape):cdiv(self.output, torch.cmul(spread, spread))
      gradScale:add(-1, torch.cdiv(shape, spread)):cmul(reward):mul(-1)
      if shared then self.gradInput[2]:sum(gradScale, 1):resize(scale:size()) end
   end
   return self.gradInput
end

return ReinforceGamma
