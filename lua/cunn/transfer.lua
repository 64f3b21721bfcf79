-- CUDA versions of the element-wise transfer modules and (log-)softmax.

local core = require 'cutorch.core'
local dispatch = require 'cunn.dispatch'
local C, check, implement = core.C, dispatch.check, dispatch.implement

-- Threshold (and ReLU, its subclass): output = input > threshold ? input : val
implement('nn.Threshold', {
   updateOutput = function(self, input)
      self:validateParameters()
      if self.inplace then
         check(C.t7cu_map(input, input, nil, nil, C.T7CU_THRESHOLD, self.threshold, self.val),
            self)
         self.output:set(input)
      else
         self.output:resizeAs(input)
         check(C.t7cu_map(self.output, input, nil, nil, C.T7CU_THRESHOLD, self.threshold,
            self.val), self)
      end
      return self.output
   end,
   updateGradInput = function(self, input, gradOutput)
      local target = self.inplace and gradOutput or self.gradInput:resizeAs(gradOutput)
      check(C.t7cu_map(target, gradOutput, input, nil, C.T7CU_THRESHOLD_GRAD, self.threshold,
         0), self)
      if self.inplace then self.gradInput:set(gradOutput) end
      return self.gradInput
   end,
})

-- Modules computing output = f(input), whose gradient reads the output.
local function output_based(class_name, forward_op, gradient_op)
   implement(class_name, {
      updateOutput = function(self, input)
         self.output:resizeAs(input)
         check(C.t7cu_map(self.output, input, nil, nil, forward_op, 0, 0), self)
         return self.output
      end,
      updateGradInput = function(self, input, gradOutput)
         self.gradInput:resizeAs(gradOutput)
         check(C.t7cu_map(self.gradInput, gradOutput, self.output, nil, gradient_op, 0, 0),
            self)
         return self.gradInput
      end,
   })
end
output_based('nn.Tanh', C.T7CU_TANH, C.T7CU_TANH_GRAD)
output_based('nn.Sigmoid', C.T7CU_SIGMOID, C.T7CU_SIGMOID_GRAD)

local function softmax(class_name, take_log)
   implement(class_name, {
      updateOutput = function(self, input)
         check(C.t7cu_nn_softmax(self.output, input, take_log), self)
         return self.output
      end,
      updateGradInput = function(self, input, gradOutput)
         check(C.t7cu_nn_softmax_backward(self.gradInput, gradOutput, self.output, take_log),
            self)
         return self.gradInput
      end,
   })
end
softmax('nn.SoftMax', 0)
softmax('nn.LogSoftMax', 1)
