-- Python modules inside Lua containers, and the calls Python makes on Lua modules.
--
-- nn.PythonModule(module) is a Lua nn module whose work is a t7.nn.Module's (a Python
-- object, or 'package.module:Class' plus constructor arguments): updateOutput runs its
-- forward under the Python tape, updateGradInput runs the tape backward, accGradParameters
-- adds the parameters' gradients (times scale) to their .grad. parameters() gives Lua
-- tensors over the Python parameters and gradients themselves, so getParameters can move
-- them into one flat storage and optim trains them. A table input becomes the forward's
-- positional arguments; a list output becomes a table.
--
-- The functions of the returned table serve t7.nn.Lua (torch7_compat/nn/lua_module.py).
--
-- Few Python objects enter Lua here: tensors cross both ways as addresses (numbers, with
-- one reference for the receiver) and the Python functions are looked up once. lupa keeps
-- the Python objects Lua holds in a weak table it also allocates slots from with
-- luaL_ref, and with many such objects coming and going it can hand Lua the wrong one
-- (lupa issues #293/#294; docs/decisions.md).

require 'nn'
local bridge = require 'torch7_compat.bridge'
local core = require 'torch.core'

local boot = package.loaded['torch7_compat.boot']
local face_module = boot.import_python('torch7_compat.nn.lua_face')
local face = {}
for _, name in ipairs{'construct', 'attach', 'parameters', 'update_output',
                      'update_grad_input', 'acc_grad_parameters', 'set_training',
                      'describe'} do
   face[name] = face_module[name]
end

local C = core.C

local helpers = {}

-- Tensors as addresses carrying one reference for Python (tables of them stay tables).
local function export_deep(v)
   if core.is_tensor(v) then
      C.t7_tensor_retain(v)
      return core.address(v)
   end
   if type(v) == 'table' and torch.typename(v) == nil then
      local t = {}
      for i = 1, #v do t[i] = export_deep(v[i]) end
      return t
   end
   return v
end
helpers.export_deep = export_deep

-- Python's answer: tensors come as addresses (numbers), tables of them as tables.
local function import_deep(v)
   if type(v) == 'number' then return bridge.import_tensor(v) end
   local t = {}
   for i = 1, #v do t[i] = import_deep(v[i]) end
   return t
end

local function outcome(ok, ...)
   if not ok then error((...), 3) end
   return ...
end

-- fn(...) in Python (a function of torch7_compat.nn.lua_face); its error becomes a Lua
-- error
local function python(fn, ...)
   return outcome(fn(...))
end

local PythonModule, parent = torch.class('nn.PythonModule', 'nn.Module')

function PythonModule:__init(module, ...)
   parent.__init(self)
   if type(module) == 'string' then
      self._face = python(face.construct, module, ...)
   else
      self._face = python(face.attach, module)
   end
   local weights, grads = python(face.parameters, self._face)
   self._weights, self._gradWeights = import_deep(weights), import_deep(grads)
end

function PythonModule:parameters()
   if #self._weights == 0 then return end
   return self._weights, self._gradWeights
end

function PythonModule:updateOutput(input)
   self.output = import_deep(python(face.update_output, self._face, export_deep(input)))
   return self.output
end

function PythonModule:updateGradInput(input, gradOutput)
   self.gradInput = import_deep(python(face.update_grad_input, self._face,
      export_deep(gradOutput)))
   return self.gradInput
end

function PythonModule:accGradParameters(input, gradOutput, scale)
   python(face.acc_grad_parameters, self._face, scale or 1)
end

function PythonModule:training()
   parent.training(self)
   python(face.set_training, self._face, true)
end

function PythonModule:evaluate()
   parent.evaluate(self)
   python(face.set_training, self._face, false)
end

function PythonModule:__tostring__()
   return 'nn.PythonModule(' .. python(face.describe, self._face) .. ')'
end

-- For t7.nn.Lua: the parameters of a Lua module with names from its fields and children
-- ('weight', '0.bias': children counted from 0, as Python counts), and their gradients.
function helpers.named_parameters(module)
   if not module.parameters then return {}, {}, {} end     -- criteria
   local weights, grads = module:parameters()
   weights, grads = weights or {}, grads or {}
   local names = {}
   local function walk(m, prefix)
      for key, value in pairs(m) do
         if type(key) == 'string' and core.is_tensor(value) then
            for i, w in ipairs(weights) do
               if names[i] == nil and w == value then names[i] = prefix .. key end
            end
         end
      end
      if type(m.modules) == 'table' then
         for i, child in ipairs(m.modules) do walk(child, prefix .. (i - 1) .. '.') end
      end
   end
   walk(module, '')
   for i = 1, #weights do names[i] = names[i] or ('param' .. (i - 1)) end
   return names, export_deep(weights), export_deep(grads)
end

-- The module's output, tensors as addresses (see export_deep).
function helpers.forward(module, input)
   return export_deep(module:forward(input))
end

-- A criterion's loss.
function helpers.loss(criterion, input, target)
   return (criterion:forward(input, target))
end

function helpers.is_criterion(module)
   return torch.isTypeOf(module, 'nn.Criterion')
end

-- A Sequential's backward that skips its first module's gradInput (nobody needs the
-- gradient of the input): that product is a third of a first Linear layer's backward.
local function sequential_parameters_backward(seq, input, gradOutput)
   local modules = seq.modules
   local grad = gradOutput
   for i = #modules, 2, -1 do
      grad = modules[i]:backward(modules[i - 1].output, grad)
   end
   modules[1]:accGradParameters(input, grad, 1)
end

-- with_parameters: the module's backward (its gradients accumulated), else only the
-- gradient of the input; without need_input, the gradient of the input may be skipped
-- (nil is returned)
function helpers.backward(module, input, gradOutput, with_parameters, need_input)
   if with_parameters and not need_input and torch.type(module) == 'nn.Sequential'
         and #module.modules > 0 then
      sequential_parameters_backward(module, input, gradOutput)
      return nil
   end
   if with_parameters then return export_deep(module:backward(input, gradOutput)) end
   return export_deep(module:updateGradInput(input, gradOutput))
end

function helpers.set_training(module, training)
   if training then module:training() else module:evaluate() end
end

return helpers
