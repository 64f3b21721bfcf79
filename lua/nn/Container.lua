-- nn.Container: what modules made of other modules (Sequential, ...) have in common. The
-- children live in self.modules; parameters and the train flag are theirs.

local Container, parent = torch.class('nn.Container', 'nn.Module')

function Container:__init(...)
   parent.__init(self, ...)
   self.modules = {}
end

function Container:add(module)
   table.insert(self.modules, module)
   return self
end

function Container:get(index)
   return self.modules[index]
end

function Container:size()
   return #self.modules
end

local TRACEBACK_NOTE = 'WARNING: If you see a stack trace below, it doesn\'t point to the '
   .. 'place where this error occurred. Please use only the one above.'

-- Calls module[method](module, ...). An error raised inside is prefixed by the module's
-- place in each enclosing container; the innermost one also appends the traceback taken
-- where the error happened, because the traceback Lua prints later starts at the outermost.
function Container:rethrowErrors(module, moduleIndex, method, ...)
   local function annotate(err)
      if type(err) ~= 'string' then return err end
      if not err:find(TRACEBACK_NOTE, 1, true) then
         err = err .. '\n' .. debug.traceback('', 2) .. '\n\n' .. TRACEBACK_NOTE
      else
         err = err:sub(2)    -- an inner container's, which starts with its own newline
      end
      return '\n' .. string.format('In %d module of %s:', moduleIndex, torch.type(self))
         .. '\n' .. err
   end
   local ok, result = xpcall(module[method], annotate, module, ...)
   if not ok then error(result, 0) end
   return result
end

function Container:applyToModules(func)
   for _, module in ipairs(self.modules) do func(module) end
end

function Container:zeroGradParameters()
   self:applyToModules(function(module) module:zeroGradParameters() end)
end

function Container:updateParameters(learningRate)
   self:applyToModules(function(module) module:updateParameters(learningRate) end)
end

function Container:training()
   self:applyToModules(function(module) module:training() end)
   parent.training(self)
end

function Container:evaluate()
   self:applyToModules(function(module) module:evaluate() end)
   parent.evaluate(self)
end

function Container:share(mlp, ...)
   for i = 1, #self.modules do self.modules[i]:share(mlp.modules[i], ...) end
   return self
end

function Container:reset(stdv)
   self:applyToModules(function(module) module:reset(stdv) end)
end

-- Appends the tensors of a list, however deeply nested, to `list`.
local function append_all(list, items)
   if torch.type(items) == 'table' then
      for i = 1, #items do append_all(list, items[i]) end
   else
      list[#list + 1] = items
   end
end

-- The children's parameters and gradients, concatenated in order.
function Container:parameters()
   local weights, gradients = {}, {}
   for _, module in ipairs(self.modules) do
      local w, g = module:parameters()
      if w then
         append_all(weights, w)
         append_all(gradients, g)
      end
   end
   return weights, gradients
end

-- output and gradInput are often the children's own tensors: replace them rather than
-- emptying them in place, then let each child clear its own.
function Container:clearState()
   nn.utils.detach(self, 'output', 'gradInput')
   for _, module in pairs(self.modules) do module:clearState() end
   return self
end

return Container
