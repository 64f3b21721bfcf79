-- nn.FeatureLPPooling(width, stride, power, batch_mode): the power-norm of each width
-- consecutive features, stride apart, along the feature dimension (the first, or the
-- second with batch_mode); width 2 to 16, stride 1 to 4.

local FeatureLPPooling, parent = torch.class('nn.FeatureLPPooling', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function FeatureLPPooling:__init(width, stride, power, batch_mode)
   parent.__init(self)
   if width < 2 or width > 16 then error('width must be within 2 to 16', 2) end
   if stride < 1 or stride > 4 then error('stride must be within 1 to 4', 2) end
   self.width = width
   self.stride = stride
   self.power = power
   self.batch_mode = batch_mode
   self.output = torch.Tensor()
   self.gradInput = torch.Tensor()
end

function FeatureLPPooling:updateOutput(input)
   THNN.checkFloating(self, input)
   check(C.t7_nn_feature_lp_pool(self.output, input, self.power, self.width, self.stride,
      self.batch_mode and 1 or 0), self)
   return self.output
end

function FeatureLPPooling:updateGradInput(input, gradOutput)
   check(C.t7_nn_feature_lp_pool_backward(self.gradInput, input, gradOutput, self.output,
      self.power, self.width, self.stride, self.batch_mode and 1 or 0), self)
   return self.gradInput
end

function FeatureLPPooling:__tostring__()
   return string.format('%s(w%d s%d power %d batch %d', torch.type(self), self.width,
      self.stride, self.power, self.batch_mode and 1 or 0)
end

return FeatureLPPooling
