-- Checks shared by the rnn test files (loaded with paths.dofile; not a test file itself).

local checks = {}

-- nn.Jacobian backpropagates several gradOutputs after one forward; recurrent modules
-- backpropagate each forwarded sequence once. This decorator forwards again before each.
local ForwardEachBackward = torch.class('rnntest.ForwardEachBackward', 'nn.Decorator')

function ForwardEachBackward:updateGradInput(input, gradOutput)
   self.modules[1]:forward(input)
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   return self.gradInput
end

function checks.max_difference(a, b)
   return (a - b):abs():max()
end

-- Asserts the Jacobians with respect to the input and to all parameters (flattened)
-- agree with finite differences.
function checks.jacobians(tester, module, input, name, precision)
   precision = precision or 1e-5
   local wrapped = rnntest.ForwardEachBackward(module)
   tester:assertlt(nn.Jacobian.testJacobian(wrapped, input), precision, name .. ' gradInput')
   local params, gradParams = wrapped:getParameters()
   if params:nElement() > 0 then
      tester:assertlt(nn.Jacobian.testJacobianParameters(wrapped, input, params, gradParams),
         precision, name .. ' gradParameters')
   end
end

-- Asserts that module, saved to file and loaded, has its class and gives the same output
-- and gradInput for input.
function checks.save_load(tester, module, input, file, name)
   local output = module:forward(input):clone()
   torch.save(file, module)
   local loaded = torch.load(file)
   tester:eq(torch.type(loaded), torch.type(module), name .. ': class')
   tester:assertle(checks.max_difference(loaded:forward(input), output), 0,
      name .. ': same output')
   local gradOutput = torch.randn(output:size())
   module:zeroGradParameters()
   loaded:zeroGradParameters()
   tester:assertle(checks.max_difference(loaded:backward(input, gradOutput),
      module:backward(input, gradOutput)), 0, name .. ': same gradient')
end

return checks
