-- nn.SparseJacobian: nn.Jacobian's checks for modules taking sparse input (nnz x 2 rows of
-- index, value, as nn.SparseLinear): the variable is the column of values, and the input
-- gradient's value column is what is compared.

nn.SparseJacobian = {}

-- By backpropagation, column j for the gradOutput that is 1 at output element j: the
-- values' gradient, or dparam when param is given.
function nn.SparseJacobian.backward(module, input, param, dparam)
   module:forward(input)
   local gradOutput = module.output.new():resizeAs(module.output)
   local flat = gradOutput:view(gradOutput:nElement())
   local rows = param and param:nElement() or input:size(1)
   local jacobian = torch.Tensor(rows, gradOutput:nElement()):zero()
   for j = 1, gradOutput:nElement() do
      gradOutput:zero()
      flat[j] = 1
      module:zeroGradParameters()
      local gradInput = module:updateGradInput(input, gradOutput)
      module:accGradParameters(input, gradOutput)
      jacobian:select(2, j):copy(param and dparam or gradInput:select(2, 2))
   end
   return jacobian
end

-- As nn.Jacobian.backwardUpdate, the gradients zeroed before each column (a sparse
-- module's updates depend on what accumulated since).
function nn.SparseJacobian.backwardUpdate(module, input, param)
   module:forward(input)
   local gradOutput = module.output.new():resizeAs(module.output)
   local flat = gradOutput:view(gradOutput:nElement())
   local jacobian = torch.Tensor(param:nElement(), gradOutput:nElement()):zero()
   local params = module:parameters()
   local saved = {}
   for k = 1, #params do saved[k] = params[k]:clone() end
   for j = 1, gradOutput:nElement() do
      for k = 1, #params do params[k]:copy(saved[k]) end
      gradOutput:zero()
      flat[j] = 1
      module:zeroGradParameters()
      module:updateGradInput(input, gradOutput)
      module:accUpdateGradParameters(input, gradOutput, 1)
      jacobian:select(2, j):copy(param)
   end
   for k = 1, #params do params[k]:copy(saved[k]) end
   return jacobian
end

function nn.SparseJacobian.forward(module, input, param)
   return nn.Jacobian.forward(module, input, param or input:select(2, 2))
end

function nn.SparseJacobian.forwardUpdate(module, input, param)
   return nn.Jacobian.forwardUpdate(module, input, param)
end

local function fill_values(input, minval, maxval)
   input:select(2, 2):copy(torch.rand(input:size(1)):mul(maxval - minval):add(minval))
end

local function max_abs_difference(a, b)
   return (a - b):abs():max()
end

function nn.SparseJacobian.testJacobian(module, input, minval, maxval)
   minval, maxval = minval or -2, maxval or 2
   fill_values(input, minval, maxval)
   return max_abs_difference(nn.SparseJacobian.forward(module, input),
      nn.SparseJacobian.backward(module, input))
end

function nn.SparseJacobian.testJacobianParameters(module, input, param, dparam, minval, maxval)
   minval, maxval = minval or -2, maxval or 2
   fill_values(input, minval, maxval)
   param:copy(torch.rand(param:nElement()):mul(maxval - minval):add(minval))
   local by_backprop = nn.SparseJacobian.backward(module, input, param, dparam)
   return max_abs_difference(nn.SparseJacobian.forward(module, input, param), by_backprop)
end

function nn.SparseJacobian.testJacobianUpdateParameters(module, input, param, minval, maxval)
   minval, maxval = minval or -2, maxval or 2
   fill_values(input, minval, maxval)
   param:copy(torch.rand(param:nElement()):mul(maxval - minval):add(minval))
   local by_backprop = nn.SparseJacobian.backwardUpdate(module, input, param)
   return max_abs_difference(nn.SparseJacobian.forwardUpdate(module, input, param), by_backprop)
end

function nn.SparseJacobian.testIO(module, input, minval, maxval)
   return nn.Jacobian.testIO(module, input, minval, maxval)
end

nn.SparseJacobian.testAllUpdate = function(...) return nn.Jacobian.testAllUpdate(...) end

return nn.SparseJacobian
