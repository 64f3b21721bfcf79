-- How cunn puts its kernels under nn's modules: a class's methods are wrapped so that a
-- call whose input (or whose module's weight) is a torch.CudaTensor runs the CUDA version
-- and any other call runs the method the class had, unchanged. As the original's THNN
-- chose kernels by tensor type, the module code of nn stays as it is.

local core = require 'cutorch.core'
local torch_core = require 'torch.core'

local dispatch = {}

-- The first tensor of an input that may be a table of tensors ({input, target}, ...).
local function first_tensor(x)
   while type(x) == 'table' do x = x[1] end
   return x
end

function dispatch.on_gpu(module, input)
   local weight = type(module) == 'table' and rawget(module, 'weight')
   return core.is_tensor(first_tensor(input)) or (weight ~= nil and core.is_tensor(weight))
end

-- Raises a Lua error naming the module when a CUDA call failed (as nn.THNN.check).
function dispatch.check(status, module)
   if status ~= 0 then error(torch.type(module) .. ': ' .. core.last_error(), 3) end
end

-- implement('nn.Tanh', {updateOutput = f, updateGradInput = g}): f and g serve CUDA calls.
function dispatch.implement(class_name, methods)
   local class = torch.getmetatable(class_name)
   if not class then error('cunn: no class ' .. class_name, 2) end
   for name, gpu in pairs(methods) do
      local cpu = torch_core.find_in_chain(class, name)
      rawset(class, name, function(self, input, ...)
         if dispatch.on_gpu(self, input) then return gpu(self, input, ...) end
         return cpu(self, input, ...)
      end)
   end
end

return dispatch
