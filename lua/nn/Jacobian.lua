-- nn.Jacobian: checks of a module's derivatives against finite differences.
--
-- A Jacobian here has one row per element of the variable (the input, or a parameter
-- tensor) and one column per element of the output: J[i][j] = d output_j / d variable_i.
-- The test* functions fill the variables with random values in [minval, maxval) (default
-- [-2, 2)), compute J both ways and return the largest absolute difference.

nn.Jacobian = {}

-- The variable as a vector over the same memory (a vector as it is, else it must be
-- contiguous).
local function flat_view(t)
   if t:dim() == 1 then return t.new():set(t) end
   return t:view(t:nElement())
end

local function fill_uniform(t, minval, maxval)
   t:copy(torch.rand(t:nElement()):mul(maxval - minval):add(minval))
end

local function max_abs_difference(a, b)
   return (a - b):abs():max()
end

-- By backpropagation: a gradOutput that is 1 at output element j and 0 elsewhere gives
-- column j as the gradInput, or, when param and dparam (its gradient) are given, as dparam.
function nn.Jacobian.backward(module, input, param, dparam)
   local variable = param or input
   module:forward(input)
   local gradOutput = module.output.new():resizeAs(module.output)
   local gradOutput_flat = flat_view(gradOutput)
   local jacobian = torch.Tensor(variable:nElement(), gradOutput:nElement()):zero()
   for j = 1, gradOutput:nElement() do
      gradOutput:zero()
      gradOutput_flat[j] = 1
      module:zeroGradParameters()
      local gradInput = module:updateGradInput(input, gradOutput)
      module:accGradParameters(input, gradOutput)
      jacobian:select(2, j):copy(param and dparam or gradInput)
   end
   return jacobian
end

-- Column j: param after accUpdateGradParameters with learning rate 1 and the gradOutput
-- that is 1 at output element j, that is param - d output_j / d param (each column starts
-- from the same parameters).
function nn.Jacobian.backwardUpdate(module, input, param)
   module:forward(input)
   local gradOutput = module.output.new():resizeAs(module.output)
   local gradOutput_flat = flat_view(gradOutput)
   local jacobian = torch.Tensor(param:nElement(), gradOutput:nElement()):zero()
   local params = module:parameters()
   local saved = {}
   for k = 1, #params do saved[k] = params[k]:clone() end
   for j = 1, gradOutput:nElement() do
      for k = 1, #params do params[k]:copy(saved[k]) end
      gradOutput:zero()
      gradOutput_flat[j] = 1
      module:updateGradInput(input, gradOutput)
      module:accUpdateGradParameters(input, gradOutput, 1)
      jacobian:select(2, j):copy(param)
   end
   for k = 1, #params do params[k]:copy(saved[k]) end
   return jacobian
end

-- By central differences: row i = (f(v + h e_i) - f(v - h e_i)) / 2h, with v the input or
-- param and h the perturbation (default 1e-6).
function nn.Jacobian.forward(module, input, param, perturbation)
   param = param or input
   perturbation = perturbation or 1e-6
   local variable = flat_view(param)
   local n_out = module:forward(input):nElement()
   local jacobian = torch.Tensor(param:nElement(), n_out)
   local below, above = torch.Tensor(n_out), torch.Tensor(n_out)
   for i = 1, variable:nElement() do
      local original = variable[i]
      variable[i] = original - perturbation
      below:copy(module:forward(input))
      variable[i] = original + perturbation
      above:copy(module:forward(input))
      variable[i] = original
      jacobian:select(1, i):copy(above:add(-1, below):div(2 * perturbation))
   end
   return jacobian
end

-- What backwardUpdate should give, from finite differences: param_i - d output_j / d param_i.
function nn.Jacobian.forwardUpdate(module, input, param, perturbation)
   local jacobian = nn.Jacobian.forward(module, input, param, perturbation)
   local variable = flat_view(param)
   for i = 1, variable:nElement() do
      jacobian:select(1, i):mul(-1):add(variable[i])
   end
   return jacobian
end

function nn.Jacobian.testJacobian(module, input, minval, maxval, perturbation)
   minval, maxval = minval or -2, maxval or 2
   fill_uniform(input, minval, maxval)
   local by_differences = nn.Jacobian.forward(module, input, input, perturbation)
   local by_backprop = nn.Jacobian.backward(module, input)
   return max_abs_difference(by_differences, by_backprop)
end

function nn.Jacobian.testJacobianParameters(module, input, param, dparam, minval, maxval,
                                            perturbation)
   minval, maxval = minval or -2, maxval or 2
   fill_uniform(input, minval, maxval)
   fill_uniform(param, minval, maxval)
   local by_backprop = nn.Jacobian.backward(module, input, param, dparam)
   local by_differences = nn.Jacobian.forward(module, input, param, perturbation)
   return max_abs_difference(by_differences, by_backprop)
end

function nn.Jacobian.testJacobianUpdateParameters(module, input, param, minval, maxval,
                                                  perturbation)
   minval, maxval = minval or -2, maxval or 2
   fill_uniform(input, minval, maxval)
   fill_uniform(param, minval, maxval)
   local by_backprop = nn.Jacobian.backwardUpdate(module, input, param)
   local by_differences = nn.Jacobian.forwardUpdate(module, input, param, perturbation)
   return max_abs_difference(by_differences, by_backprop)
end

-- Second derivatives of F = sum_k y_k^2 / 2 (y the output), whose own second derivatives
-- with respect to the output are all 1, so that a diagHessianOutput of ones gives F's
-- diagonal Hessian. By the modules' hessian code (see nn.hessian):
function nn.Jacobian.backwardDiagHessian(module, input, diagHessianParamName)
   module:forward(input)
   local ones = module.output.new():resizeAs(module.output):fill(1)
   module.diagHessianWeight:zero()
   module.diagHessianBias:zero()
   module:updateDiagHessianInput(input, ones)
   module:accDiagHessianParameters(input, ones)
   return module[diagHessianParamName]
end

-- ... and from first derivatives, for modules linear in their input and parameters
-- (Linear, the convolutions): d2F/dx_i2 = sum_k (dy_k/dx_i)^2.
function nn.Jacobian.linearModuleDiagHessian(module, input, gradParamName)
   local diagHessian
   module:forward(input)
   local gradOutput = module.output.new():resizeAs(module.output)
   local gradOutput_flat = flat_view(gradOutput)
   for k = 1, gradOutput:nElement() do
      gradOutput:zero()
      gradOutput_flat[k] = 1
      module.gradWeight:zero()
      if module.bias then module.gradBias:zero() end
      module:updateGradInput(input, gradOutput)
      module:accGradParameters(input, gradOutput)
      -- (sized after a backward, which sizes a fresh module's gradInput)
      local gradParam = module[gradParamName]
      diagHessian = diagHessian or gradParam.new():resize(gradParam:nElement()):zero()
      diagHessian:addcmul(gradParam, gradParam)
   end
   return diagHessian
end

function nn.Jacobian.testDiagHessian(module, input, gradParamName, diagHessianParamName,
                                     minval, maxval)
   minval, maxval = minval or -2, maxval or 2
   fill_uniform(input, minval, maxval)
   module:initDiagHessianParameters()
   local by_hessian = nn.Jacobian.backwardDiagHessian(module, input, diagHessianParamName)
   local by_gradients = nn.Jacobian.linearModuleDiagHessian(module, input, gradParamName)
   return max_abs_difference(by_hessian, by_gradients)
end

function nn.Jacobian.testDiagHessianInput(module, input, minval, maxval)
   return nn.Jacobian.testDiagHessian(module, input, 'gradInput', 'diagHessianInput', minval,
      maxval)
end

function nn.Jacobian.testDiagHessianWeight(module, input, minval, maxval)
   return nn.Jacobian.testDiagHessian(module, input, 'gradWeight', 'diagHessianWeight',
      minval, maxval)
end

function nn.Jacobian.testDiagHessianBias(module, input, minval, maxval)
   return nn.Jacobian.testDiagHessian(module, input, 'gradBias', 'diagHessianBias', minval,
      maxval)
end

-- Saves the module (after clearState, which must return it) to a file and reads it back;
-- returns the largest differences between the two modules' outputs and gradInputs for the
-- same input and gradOutput (drawn in [minval, maxval), default [-2, 2)).
function nn.Jacobian.testIO(module, input, minval, maxval)
   minval, maxval = minval or -2, maxval or 2
   local inputclone = input:clone()
   module:forward(input)
   local gradOutput = module.output:clone():copy(torch.rand(module.output:nElement())
      :mul(maxval - minval):add(minval))
   local gradOutputclone = gradOutput:clone()
   module:zeroGradParameters()
   module:updateGradInput(input, gradOutput)
   module:accGradParameters(input, gradOutput)
   local output, gradInput = module.output:clone(), module.gradInput:clone()

   local filename = os.tmpname()
   local f = torch.DiskFile(filename, 'w'):binary()
   assert(module == module:clearState(), 'clearState did not return self')
   f:writeObject(module)
   f:close()
   local copy = torch.DiskFile(filename):binary():readObject()
   os.remove(filename)
   copy:forward(inputclone)
   copy:zeroGradParameters()
   copy:updateGradInput(inputclone, gradOutputclone)
   copy:accGradParameters(inputclone, gradOutputclone)

   local errf = max_abs_difference(output, copy.output)
   local errb = gradInput:numel() == 0 and 0 or max_abs_difference(gradInput, copy.gradInput)
   return errf, errb
end

local function norm(t)
   local c = t:contiguous()
   return math.sqrt(c:dot(c))
end

-- Checks that the ways of updating the parameter field `weight` agree: accGradParameters
-- then updateParameters, accUpdateGradParameters, and both again on two clones sharing
-- the weight (which then moves twice as far). Returns the error of each, by name.
function nn.Jacobian.testAllUpdate(module, input, weight, gradWeight)
   local lr = torch.uniform(0.1, 1)
   local errors = {}

   local reference = module:clone()
   local start = reference[weight]:clone()
   reference:forward(input)
   local gradOutput = torch.rand(reference.output:size())
   reference:zeroGradParameters()
   reference:updateGradInput(input, gradOutput)
   reference:accGradParameters(input, gradOutput)
   reference:updateParameters(lr)
   local step = reference[gradWeight] * lr
   errors['accGradParameters'] = norm(start - step - reference[weight])

   local direct = module:clone()
   direct:forward(input)
   direct:updateGradInput(input, gradOutput)
   direct:accUpdateGradParameters(input, gradOutput, lr)
   errors['accUpdateGradParameters'] = norm(direct[weight] - reference[weight])

   local twice = start - step * 2
   local first, second = module:clone(), module:clone()
   second:share(first, weight)
   for _, m in ipairs({first, second}) do
      m:forward(input)
      m:zeroGradParameters()
      m:updateGradInput(input, gradOutput)
      m:accGradParameters(input, gradOutput)
   end
   for _, m in ipairs({first, second}) do m:updateParameters(lr) end
   errors['accGradParameters [shared]'] = norm(twice - first[weight])
      + norm(twice - second[weight])

   first, second = module:clone(), module:clone()
   second:share(first, weight)
   for _, m in ipairs({first, second}) do
      m:forward(input)
      m:updateGradInput(input, gradOutput)
   end
   for _, m in ipairs({first, second}) do m:accUpdateGradParameters(input, gradOutput, lr) end
   errors['accUpdateGradParameters [shared]'] = norm(twice - first[weight])
      + norm(twice - second[weight])

   return errors
end

return nn.Jacobian
