-- nn.SpatialDivisiveNormalization([nInputPlane[, kernel[, threshold[, thresval]]]]):
-- divides each value by the weighted root-mean-square of its neighbourhood across all
-- planes (kernel default a 9x9 box), corrected near the borders; standard deviations below
-- threshold (default 1e-4) are replaced by thresval (default threshold).

local SpatialDivisiveNormalization, parent = torch.class('nn.SpatialDivisiveNormalization',
   'nn.Module')
local localAverage = require 'nn.localAverage'

function SpatialDivisiveNormalization:__init(nInputPlane, kernel, threshold, thresval)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   self.threshold = threshold or 1e-4
   self.thresval = thresval or threshold or 1e-4
   localAverage.check(self.kernel, 'SpatialDivisiveNormalization')
   local meanConvolutions, stdConvolutions
   self.meanestimator, meanConvolutions = localAverage.build(self.nInputPlane, self.kernel)
   self.stdestimator, stdConvolutions = localAverage.build(self.nInputPlane, self.kernel,
      nn.Square(), nn.Sqrt())
   if self.kernel:nDimension() == 2 then
      self.kernel:div(self.kernel:sum() * self.nInputPlane)
   else
      self.kernel:div(self.kernel:sum() * math.sqrt(self.nInputPlane))
   end
   localAverage.setKernel(meanConvolutions, self.kernel, self.nInputPlane)
   localAverage.setKernel(stdConvolutions, self.kernel, self.nInputPlane)
   self.normalizer = nn.CDivTable()
   self.divider = nn.CDivTable()
   self.thresholder = nn.Threshold(self.threshold, self.thresval)
   self.coef = torch.Tensor(1, 1, 1)
end

function SpatialDivisiveNormalization:updateOutput(input)
   self.localstds = self.stdestimator:updateOutput(input)
   local n = input:dim()
   if self.localstds:dim() ~= self.coef:dim() or input:size(n) ~= self.coef:size(n)
         or input:size(n - 1) ~= self.coef:size(n - 1) then
      self.coef = localAverage.coefficients(self, self.meanestimator, input)
   end
   self.adjustedstds = self.divider:updateOutput{self.localstds, self.coef}
   self.thresholdedstds = self.thresholder:updateOutput(self.adjustedstds)
   self.output = self.normalizer:updateOutput{input, self.thresholdedstds}
   return self.output
end

function SpatialDivisiveNormalization:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   local gradnorm = self.normalizer:updateGradInput({input, self.thresholdedstds}, gradOutput)
   local gradadj = self.thresholder:updateGradInput(self.adjustedstds, gradnorm[2])
   local graddiv = self.divider:updateGradInput({self.localstds, self.coef}, gradadj)
   self.gradInput:add(self.stdestimator:updateGradInput(input, graddiv[1]))
   self.gradInput:add(gradnorm[1])
   return self.gradInput
end

function SpatialDivisiveNormalization:clearState()
   if self.ones then self.ones:set() end
   if self._coef then self._coef:set() end
   self.meanestimator:clearState()
   self.stdestimator:clearState()
   return parent.clearState(self)
end

return SpatialDivisiveNormalization
