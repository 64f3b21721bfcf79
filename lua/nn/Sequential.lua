-- nn.Sequential: children applied one after the other, each to the previous one's output.

local Sequential = torch.class('nn.Sequential', 'nn.Container')

function Sequential:__len()
   return #self.modules
end

-- output and gradInput are the last and first children's tensors, so that code reading them
-- before any forward pass (as the original allowed) sees the right objects.
function Sequential:add(module)
   if #self.modules == 0 then self.gradInput = module.gradInput end
   table.insert(self.modules, module)
   self.output = module.output
   return self
end

function Sequential:insert(module, index)
   index = index or (#self.modules + 1)
   if index > #self.modules + 1 or index < 1 then
      error('index should be contiguous to existing modules', 2)
   end
   table.insert(self.modules, index, module)
   self.output = self.modules[#self.modules].output
   self.gradInput = self.modules[1].gradInput
end

function Sequential:remove(index)
   index = index or #self.modules
   if index > #self.modules or index < 1 then error('index out of range', 2) end
   table.remove(self.modules, index)
   if #self.modules > 0 then
      self.output = self.modules[#self.modules].output
      self.gradInput = self.modules[1].gradInput
   else
      self.output = torch.Tensor()
      self.gradInput = torch.Tensor()
   end
end

function Sequential:updateOutput(input)
   local current = input
   for i = 1, #self.modules do
      current = self:rethrowErrors(self.modules[i], i, 'updateOutput', current)
   end
   self.output = current
   return current
end

-- Walks back from the last child: child i gets the output of child i-1 as its input.
function Sequential:updateGradInput(input, gradOutput)
   local current = gradOutput
   for i = #self.modules, 2, -1 do
      current = self:rethrowErrors(self.modules[i], i, 'updateGradInput',
         self.modules[i - 1].output, current)
   end
   current = self:rethrowErrors(self.modules[1], 1, 'updateGradInput', input, current)
   self.gradInput = current
   return current
end

function Sequential:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local current = gradOutput
   for i = #self.modules, 2, -1 do
      local module = self.modules[i]
      self:rethrowErrors(module, i, 'accGradParameters', self.modules[i - 1].output, current,
         scale)
      current = module.gradInput
   end
   self:rethrowErrors(self.modules[1], 1, 'accGradParameters', input, current, scale)
end

-- Each child's backward at once, rather than all updateGradInput then all
-- accGradParameters: a module that changes its gradInput tensor is followed through.
function Sequential:backward(input, gradOutput, scale)
   scale = scale or 1
   local current = gradOutput
   for i = #self.modules, 2, -1 do
      local module = self.modules[i]
      current = self:rethrowErrors(module, i, 'backward', self.modules[i - 1].output, current,
         scale)
      module.gradInput = current
   end
   current = self:rethrowErrors(self.modules[1], 1, 'backward', input, current, scale)
   self.gradInput = current
   return current
end

function Sequential:accUpdateGradParameters(input, gradOutput, lr)
   local current = gradOutput
   for i = #self.modules, 2, -1 do
      local module = self.modules[i]
      self:rethrowErrors(module, i, 'accUpdateGradParameters', self.modules[i - 1].output,
         current, lr)
      current = module.gradInput
   end
   self:rethrowErrors(self.modules[1], 1, 'accUpdateGradParameters', input, current, lr)
end

-- nn.Sequential {
--   [input -> (1) -> (2) -> output]
--   (1): nn.Linear(2 -> 8)
--   (2): nn.Tanh
-- }
function Sequential:__tostring__()
   local indent, arrow = '  ', ' -> '
   local lines = {'nn.Sequential {'}
   local path = {indent .. '[input'}
   for i = 1, #self.modules do path[#path + 1] = '(' .. i .. ')' end
   path[#path + 1] = 'output]'
   lines[#lines + 1] = table.concat(path, arrow)
   for i, module in ipairs(self.modules) do
      local text = tostring(module):gsub('\n', '\n' .. indent)
      lines[#lines + 1] = indent .. '(' .. i .. '): ' .. text
   end
   lines[#lines + 1] = '}'
   return table.concat(lines, '\n')
end

return Sequential
