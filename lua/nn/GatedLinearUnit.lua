-- nn.GatedLinearUnit([dim]): the input split in two halves a, b along dim (default the
-- last), giving a * sigmoid(b) (Dauphin et al., 2016).

local GatedLinearUnit, parent = torch.class('nn.GatedLinearUnit', 'nn.Module')
local THNN = require 'nn.THNN'

function GatedLinearUnit:__init(dim)
   parent.__init(self)
   self.dim = dim
end

local function halves(self, input)
   local dim = self.dim or input:dim()
   local size = input:size(dim)
   if size % 2 ~= 0 then
      THNN.fail(self, 'Halving dimension %d of input of size %s must be even', dim,
         THNN.sizes(input))
   end
   return dim, size / 2
end

function GatedLinearUnit:updateOutput(input)
   local dim, half = halves(self, input)
   self.gate = self.gate or input.new()
   self.gate:sigmoid(input:narrow(dim, half + 1, half))
   return self.output:cmul(input:narrow(dim, 1, half), self.gate)
end

-- d/da = sigmoid(b); d/db = a * sigmoid(b) * (1 - sigmoid(b)).
function GatedLinearUnit:updateGradInput(input, gradOutput)
   local dim, half = halves(self, input)
   self.gate = self.gate or input.new()
   self.gate:sigmoid(input:narrow(dim, half + 1, half))
   self.gradInput:resizeAs(input)
   local first, second = self.gradInput:narrow(dim, 1, half),
      self.gradInput:narrow(dim, half + 1, half)
   first:cmul(gradOutput, self.gate)
   second:fill(1):add(-1, self.gate):cmul(self.gate):cmul(input:narrow(dim, 1, half))
      :cmul(gradOutput)
   return self.gradInput
end

function GatedLinearUnit:clearState()
   nn.utils.clear(self, 'gate')
   return parent.clearState(self)
end

return GatedLinearUnit
