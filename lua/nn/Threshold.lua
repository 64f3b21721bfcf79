-- nn.Threshold([threshold[, value[, inplace]]]): y = x where x > threshold, else value.
-- Defaults: threshold 1e-6, value 0. In place, the input itself becomes the output (and
-- gradOutput the gradInput), which needs value <= threshold for the backward pass to still
-- tell which elements were cut.

local Threshold, parent = torch.class('nn.Threshold', 'nn.Module')
local THNN = require 'nn.THNN'
local C, check = THNN.C, THNN.check

function Threshold:__init(threshold, value, inplace)
   parent.__init(self)
   self.threshold = threshold or 1e-6
   self.val = value or 0
   if (threshold and type(threshold) ~= 'number') or (value and type(value) ~= 'number') then
      error('nn.Threshold(threshold, value)', 2)
   end
   self.inplace = inplace or false
   if inplace and type(inplace) ~= 'boolean' then
      error('in-place flag must be boolean', 2)
   end
   self:validateParameters()
end

function Threshold:updateOutput(input)
   self:validateParameters()
   if self.inplace then
      check(C.t7_nn_threshold(input, input, self.threshold, self.val), self)
      self.output:set(input)
   else
      check(C.t7_nn_threshold(self.output, input, self.threshold, self.val), self)
   end
   return self.output
end

function Threshold:updateGradInput(input, gradOutput)
   self:validateParameters()
   if self.inplace then
      check(C.t7_nn_threshold_backward(gradOutput, gradOutput, input, self.threshold), self)
      self.gradInput:set(gradOutput)
   else
      check(C.t7_nn_threshold_backward(self.gradInput, gradOutput, input, self.threshold), self)
   end
   return self.gradInput
end

function Threshold:validateParameters()
   self.inplace = self.inplace or false      -- models saved before inplace existed
   if self.inplace and self.val > self.threshold then
      error('in-place processing requires value (' .. self.val ..
         ') not exceed threshold (' .. self.threshold .. ')', 3)
   end
end

return Threshold
