-- What the containers whose children run side by side share (Concat, DepthConcat,
-- Parallel, ConcatTable, ParallelTable): their printed form, and, for those that give one
-- input to every child, the sum of the children's input gradients (tensors or tables of
-- them).

local branching = {}

-- nn.X {
--   input
--     |`-> (1): child
--      `-> (2): child
--      ... -> output
-- }
function branching.describe(self)
   local tab, line = '  ', '\n'
   local lines = {torch.type(self) .. ' {', tab .. 'input'}
   for i, module in ipairs(self.modules) do
      local last = i == #self.modules
      local text = tostring(module):gsub(line, line .. tab .. (last and '       ' or '  |    '))
      lines[#lines + 1] = tab .. (last and '   `-> ' or '  |`-> ') .. '(' .. i .. '): ' .. text
   end
   lines[#lines + 1] = tab .. '   ... -> output'
   lines[#lines + 1] = '}'
   return table.concat(lines, line)
end

-- Walks the (nested) table t2 into t1, applying f(t1, key, value) at each tensor; keys of
-- t1 beyond t2's are dropped.
local function merge(t1, t2, f)
   for k, v in ipairs(t2) do
      if torch.type(v) == 'table' then
         t1[k] = merge(t1[k] or {}, v, f)
      else
         f(t1, k, v)
      end
   end
   for i = #t2 + 1, #t1 do t1[i] = nil end
   return t1
end

local function assign(t, k, v)
   t[k] = t[k] or v:clone()
   t[k]:resize(v:size()):copy(v)
end

local function accumulate(t, k, v)
   if t[k] then t[k]:add(v) else t[k] = v:clone() end
end

-- Runs `method` on each child with gradOutputFor(i, module) as its gradOutput, and makes
-- self.gradInput the sum of their gradients with respect to the shared input.
function branching.backward(self, method, input, gradOutputFor, scale)
   local wasTable = torch.type(self.gradInput) == 'table'
   if torch.type(input) == 'table' then
      for i, module in ipairs(self.modules) do
         local gradInput = self:rethrowErrors(module, i, method, input,
            gradOutputFor(i, module), scale)
         if torch.type(gradInput) ~= 'table' then error('currentGradInput is not a table!', 2) end
         if #input ~= #gradInput then
            error('table size mismatch: ' .. #input .. ' ~= ' .. #gradInput, 2)
         end
         if i == 1 then
            self.gradInput = wasTable and self.gradInput or {}
            merge(self.gradInput, gradInput, assign)
         else
            merge(self.gradInput, gradInput, accumulate)
         end
      end
   else
      self.gradInput = (not wasTable) and self.gradInput or input:clone()
      local first = true
      for i, module in ipairs(self.modules) do
         local gradInput = self:rethrowErrors(module, i, method, input,
            gradOutputFor(i, module), scale)
         if gradInput then      -- a child may give no gradient (a first layer, say)
            if first then
               self.gradInput:resize(gradInput:size()):copy(gradInput)
               first = false
            else
               self.gradInput:add(gradInput)
            end
         end
      end
   end
   return self.gradInput
end

return branching
