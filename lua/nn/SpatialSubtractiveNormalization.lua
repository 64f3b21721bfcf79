-- nn.SpatialSubtractiveNormalization([nInputPlane[, kernel]]): subtracts from each value
-- the weighted average of its neighbourhood across all planes (kernel default a 9x9 box,
-- normalised to sum 1 over the planes), corrected near the borders.

local SpatialSubtractiveNormalization, parent = torch.class(
   'nn.SpatialSubtractiveNormalization', 'nn.Module')
local localAverage = require 'nn.localAverage'

function SpatialSubtractiveNormalization:__init(nInputPlane, kernel)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   localAverage.check(self.kernel, 'SpatialSubtractiveNormalization')
   self.kernel:div(self.kernel:sum() * self.nInputPlane)
   local convolutions
   self.meanestimator, convolutions = localAverage.build(self.nInputPlane, self.kernel)
   localAverage.setKernel(convolutions, self.kernel, self.nInputPlane)
   self.subtractor = nn.CSubTable()
   self.divider = nn.CDivTable()
   self.coef = torch.Tensor(1, 1, 1)
end

function SpatialSubtractiveNormalization:updateOutput(input)
   if not self._inpsz or not input:isSize(self._inpsz) then
      self._inpsz = input:size()
      self.coef = localAverage.coefficients(self, self.meanestimator, input)
   end
   self.localsums = self.meanestimator:updateOutput(input)
   self.adjustedsums = self.divider:updateOutput{self.localsums, self.coef}
   self.output = self.subtractor:updateOutput{input, self.adjustedsums}
   return self.output
end

function SpatialSubtractiveNormalization:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   local gradsub = self.subtractor:updateGradInput({input, self.adjustedsums}, gradOutput)
   local graddiv = self.divider:updateGradInput({self.localsums, self.coef}, gradsub[2])
   self.gradInput:add(self.meanestimator:updateGradInput(input, graddiv[1]))
   self.gradInput:add(gradsub[1])
   return self.gradInput
end

function SpatialSubtractiveNormalization:clearState()
   self._inpsz = nil
   if self.ones then self.ones:set() end
   if self._coef then self._coef:set() end
   self.meanestimator:clearState()
   return parent.clearState(self)
end

return SpatialSubtractiveNormalization
