-- nn.ReinforceNormal(stdev[, stochastic]): samples of normal distributions N(mean, stdev^2),
-- trained with REINFORCE (see nn.Reinforce). The input is the means; stdev is a number, a
-- tensor the size of the input, or one without its batch dimension (shared by all
-- examples). Without stdev the input is {mean, stdev} and stdev is learned too. In
-- evaluate() mode (not stochastic) the output is the mean.
-- For a sample x of N(u, s^2): d ln f / d u = (x - u) / s^2, and
-- d ln f / d s = ((x - u)^2 - s^2) / s^3.

local ReinforceNormal, parent = torch.class('nn.ReinforceNormal', 'nn.Reinforce')

-- Keeps s^3 away from zero in the stdev's gradient.
local tiny = 1e-8

local names = {'mean', 'stdev'}

function ReinforceNormal:__init(stdev, stochastic)
   parent.__init(self, stochastic)
   self.stdev = stdev
   if not stdev then self.gradInput = {torch.Tensor(), torch.Tensor()} end
end

function ReinforceNormal:updateOutput(input)
   local mean, stdev = self:distributionParameters(input, names)
   stdev = self:spreadParameter(mean, stdev, 'stdev')
   self.output:resizeAs(mean)
   if self:sampling() then
      self.output:normal()
      if torch.type(stdev) == 'number' then
         self.output:mul(stdev)
      else
         self.output:cmul(stdev)
      end
      self.output:add(mean)
   else
      self.output:copy(mean)
   end
   return self.output
end

function ReinforceNormal:updateGradInput(input, gradOutput)
   local mean, stdev = self:distributionParameters(input, names)
   local spread = self:spreadParameter(mean, stdev, 'stdev')
   local reward = self:rewardAs(mean)
   local gradMean = torch.type(input) == 'table' and self.gradInput[1] or self.gradInput
   gradMean:resizeAs(mean):copy(self.output):add(-1, mean)
   if torch.type(spread) == 'number' then
      gradMean:div(spread * spread)
   else
      gradMean:cdiv(spread):cdiv(spread)
   end
   gradMean:cmul(reward):mul(-1)
   if torch.type(input) == 'table' then
      -- a stdev shared by the examples collects the gradients of all of them
      local shared = stdev:dim() < mean:dim()
      self._gradStdev = self._gradStdev or mean.new()
      local gradStdev = shared and self._gradStdev or self.gradInput[2]
      self._deviation = self._deviation or mean.new()
      local deviation = self._deviation:resizeAs(mean):copy(self.output):add(-1, mean)
      local square = torch.cmul(spread, spread)
      gradStdev:resizeAs(mean):cmul(deviation, deviation):add(-1, square)
      gradStdev:cdiv(square:cmul(spread):add(tiny)):cmul(reward):mul(-1)
      if shared then self.gradInput[2]:sum(gradStdev, 1):resize(stdev:size()) end
   end
   return self.gradInput
end

return ReinforceNormal
