-- nn.CategoricalEntropy([scale[, minEntropy]]): a regulariser for the categorical policies
-- of REINFORCE (the probabilities fed to nn.ReinforceCategorical, say), keeping them from
-- collapsing onto one category too early. The output is the input (batch x categories); the
-- backward adds to gradOutput the gradient of -scale * H, where H = -sum_c p_c ln p_c is the
-- entropy of the batch's average distribution p (the rows summed, divided by their total,
-- the total taken as a constant), divided by the batch size with sizeAverage. With
-- minEntropy, only a batch whose entropy is below it is pushed.

local CategoricalEntropy, parent = torch.class('nn.CategoricalEntropy', 'nn.Module')

-- Keeps ln p finite for a category of probability zero.
local tiny = 1e-6

function CategoricalEntropy:__init(scale, minEntropy)
   parent.__init(self)
   self.scale = scale or 1
   self.minEntropy = minEntropy
   self.sizeAverage = true
end

local function check_batch(input)
   if input:dim() ~= 2 then
      error('nn.CategoricalEntropy: expecting a batch of probabilities (batch x categories)',
         3)
   end
end

function CategoricalEntropy:updateOutput(input)
   check_batch(input)
   self.output:set(input)
   return self.output
end

function CategoricalEntropy:updateGradInput(input, gradOutput)
   check_batch(input)
   self.gradInput:resizeAs(input):copy(gradOutput)
   local p = input:sum(1):div(input:sum()):view(input:size(2))
   local logp = torch.add(p, tiny):log()
   self.entropy = -torch.cmul(p, logp):sum()
   if not self.minEntropy or self.entropy < self.minEntropy then
      -- d(-scale H)/dp_c = scale (ln(p_c + tiny) + p_c / (p_c + tiny)); each element of
      -- column c adds 1 / total to p_c
      local gradP = logp:add(torch.cdiv(p, torch.add(p, tiny))):mul(self.scale / input:sum())
      if self.sizeAverage then gradP:div(input:size(1)) end
      self.gradInput:add(gradP:view(1, input:size(2)):expandAs(input))
   end
   return self.gradInput
end

return CategoricalEntropy
