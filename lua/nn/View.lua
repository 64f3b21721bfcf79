-- nn.View(d1, d2, ...) or nn.View(LongStorage): a view of the input with the sizes given,
-- one of which may be -1 (inferred from the element count). Leading dimensions beyond the
-- view's element count make a batch; setNumInputDims(n) says how many trailing dimensions
-- of the input form one sample, for when that count is ambiguous.

local View, parent = torch.class('nn.View', 'nn.Module')

function View:resetSize(...)
   if select('#', ...) == 1 and torch.typename((...)) == 'torch.LongStorage' then
      self.size = (...)
   else
      self.size = torch.LongStorage({...})
   end
   -- the element count of one sample, without the inferred size
   self.numElements = 1
   local inferred = false
   for i = 1, #self.size do
      local size = self.size[i]
      if size >= 0 then
         self.numElements = self.numElements * size
      else
         assert(size == -1, 'size should be positive or -1')
         assert(not inferred, 'only one dimension can be at -1')
         inferred = true
      end
   end
   return self
end

function View:__init(...)
   parent.__init(self)
   self:resetSize(...)
   self.numInputDims = nil
end

function View:setNumInputDims(numInputDims)
   self.numInputDims = numInputDims
   return self
end

local function has_inferred_size(size)
   for i = 1, #size do
      if size[i] == -1 then return true end
   end
   return false
end

-- The batch size the input implies, or nil when it is a single sample.
local function batch_size(input, size, numInputDims, numElements)
   local ndim = input:dim()
   local sample_dims = numInputDims or ndim
   local sample_elements = 1
   for d = ndim, ndim - sample_dims + 1, -1 do
      sample_elements = sample_elements * input:size(d)
   end
   if sample_elements % numElements ~= 0 then
      error(string.format('input view (%s) and desired view (%s) do not match',
         table.concat(input:size():totable(), 'x'), table.concat(size:totable(), 'x')), 3)
   end
   -- what the view's sizes leave over is the batch, unless a size is to be inferred
   local batch = has_inferred_size(size) and 1 or sample_elements / numElements
   for d = ndim - sample_dims, 1, -1 do batch = batch * input:size(d) end
   if batch == 1 and (not numInputDims or ndim <= numInputDims) then return nil end
   return batch
end

function View:updateOutput(input)
   local batch = batch_size(input, self.size, self.numInputDims, self.numElements)
   if batch then
      self.output:set(input:view(batch, unpack(self.size:totable())))
   else
      self.output:set(input:view(self.size))
   end
   return self.output
end

function View:updateGradInput(input, gradOutput)
   self.gradInput:set(gradOutput:view(input:size()))
   return self.gradInput
end

function View:__tostring__()
   return torch.type(self) .. '(' .. table.concat(self.size:totable(), ', ') .. ')'
end

return View
