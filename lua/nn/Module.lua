-- nn.Module: the protocol every layer follows. forward = updateOutput; backward =
-- updateGradInput + accGradParameters; parameters() lists (weights, gradients) so that
-- generic code (getParameters, optim, type conversion) can reach them.

local Module = torch.class('nn.Module')

function Module:__init()
   self.gradInput = torch.Tensor()
   self.output = torch.Tensor()
   self._type = self.output:type()
end

-- The parameter tensors and their gradients, in matching order; nothing when there are none.
function Module:parameters()
   if self.weight and self.bias then
      return {self.weight, self.bias}, {self.gradWeight, self.gradBias}
   elseif self.weight then
      return {self.weight}, {self.gradWeight}
   elseif self.bias then
      return {self.bias}, {self.gradBias}
   end
end

function Module:updateOutput(input)
   return self.output
end

function Module:forward(input)
   return self:updateOutput(input)
end

function Module:backward(input, gradOutput, scale)
   scale = scale or 1
   self:updateGradInput(input, gradOutput)
   self:accGradParameters(input, gradOutput, scale)
   return self.gradInput
end

-- Backpropagates and updates the parameters at once, with no gradient accumulation.
function Module:backwardUpdate(input, gradOutput, lr)
   self:updateGradInput(input, gradOutput)
   self:accUpdateGradParameters(input, gradOutput, lr)
   return self.gradInput
end

function Module:updateGradInput(input, gradOutput)
   return self.gradInput
end

function Module:accGradParameters(input, gradOutput, scale)
end

function Module:accUpdateGradParameters(input, gradOutput, lr)
   if self.shared then
      self:sharedAccUpdateGradParameters(input, gradOutput, lr)
   else
      self:defaultAccUpdateGradParameters(input, gradOutput, lr)
   end
end

-- Accumulating "gradients" of scale -lr straight into the weights is an update of the
-- weights: so lend the weights to accGradParameters in the gradients' place.
function Module:defaultAccUpdateGradParameters(input, gradOutput, lr)
   local gradWeight, gradBias = self.gradWeight, self.gradBias
   self.gradWeight, self.gradBias = self.weight, self.bias
   self:accGradParameters(input, gradOutput, -lr)
   self.gradWeight, self.gradBias = gradWeight, gradBias
end

-- Shared weights may be the gradients of another module too: go through real gradients.
function Module:sharedAccUpdateGradParameters(input, gradOutput, lr)
   if self:parameters() then
      self:zeroGradParameters()
      self:accGradParameters(input, gradOutput, 1)
      self:updateParameters(lr)
   end
end

function Module:zeroGradParameters()
   local _, gradParams = self:parameters()
   if gradParams then
      for i = 1, #gradParams do gradParams[i]:zero() end
   end
end

function Module:updateParameters(learningRate)
   local params, gradParams = self:parameters()
   if params then
      for i = 1, #params do params[i]:add(-learningRate, gradParams[i]) end
   end
end

function Module:training()
   self.train = true
end

function Module:evaluate()
   self.train = false
end

-- Makes the named tensor fields of self views of mlp's (m:share(other, 'weight', 'bias')).
function Module:share(mlp, ...)
   for _, name in ipairs({...}) do
      if self[name] ~= nil then
         self[name]:set(mlp[name])
         self.shared = true
         mlp.shared = true
      end
   end
   return self
end

-- A copy sharing nothing with self, except the fields named in the arguments, which are
-- then shared as by share(). (See nn.utils.deepCopy on how this differs from the original.)
function Module:clone(...)
   local copy = nn.utils.deepCopy(self)
   if select('#', ...) > 0 then copy:share(self, ...) end
   return copy
end

-- type() gives the tensor type; type(name[, cache]) converts every tensor field, however
-- nested, keeping tensors that share memory shared (see nn.utils.recursiveType).
function Module:type(typename, tensorCache)
   if not typename then return self._type end
   tensorCache = tensorCache or {}
   for key, value in pairs(self) do
      self[key] = nn.utils.recursiveType(value, typename, tensorCache)
   end
   self._type = typename
   return self
end

function Module:float(...)
   return self:type('torch.FloatTensor', ...)
end

function Module:double(...)
   return self:type('torch.DoubleTensor', ...)
end

function Module:cuda(...)
   return self:type('torch.CudaTensor', ...)
end

function Module:reset()
end

-- Serialization (torch.File's writeObject/readObject): every field, as a plain table.
function Module:write(file)
   local fields = {}
   for key, value in pairs(self) do fields[key] = value end
   file:writeObject(fields)
end

function Module:read(file)
   for key, value in pairs(file:readObject()) do self[key] = value end
end

-- Compaction keeps a tensor's strides, so no unused position may lie within its span.
local function check_compact(place, before, index)
   local first, last = place.offset, place.offset
   for d = 1, #place.size do
      local reach = (place.size[d] - 1) * place.stride[d]
      if reach < 0 then first = first + reach else last = last + reach end
   end
   if before[last] - before[first - 1] ~= last - first + 1 then
      error(string.format('cannot flatten parameter %d: unused memory lies between its '
         .. 'elements', index), 4)
   end
end

-- Lays the given tensors out in one new storage, each keeping its size, stride and its
-- position relative to the tensors it shared a storage with, and makes every tensor a view
-- of it. Returns the 1-D tensor over the whole new storage.
--
-- The storages are placed one after another; elements no tensor uses (holes) are then
-- squeezed out, which keeps each tensor's strides valid only when no hole lies inside the
-- span of one tensor: anything else is refused.
function Module.flatten(tensors)
   if not tensors or #tensors == 0 then return torch.Tensor() end
   local new = tensors[1].new

   local base_of, storages, total = {}, {}, 0
   local layout = {}
   for i, t in ipairs(tensors) do
      local storage = t:storage()
      if storage then
         local key = torch.pointer(storage)
         if not base_of[key] then
            base_of[key] = total
            storages[#storages + 1] = {storage, total}
            total = total + storage:size()
         end
         layout[i] = {offset = t:storageOffset() + base_of[key], size = t:size(),
                      stride = t:stride(), empty = t:nElement() == 0}
      end
   end

   local flat = new(total)          -- the storages fill it entirely
   for _, entry in ipairs(storages) do
      local storage, base = entry[1], entry[2]
      if storage:size() > 0 then
         flat:narrow(1, base + 1, storage:size()):copy(new():set(storage))
      end
   end

   -- used[p - 1] = 1 where some tensor has an element at position p
   local used = torch.ByteTensor(total):zero()
   for _, place in pairs(layout) do
      if not place.empty then
         torch.ByteTensor():set(used:storage(), place.offset, place.size, place.stride):fill(1)
      end
   end
   local used_data = used:data()
   -- before[p]: how many used positions there are among positions 1..p
   local before = torch.DoubleTensor(total + 1)
   local before_data = before:data()
   before_data[0] = 0
   for k = 0, total - 1 do before_data[k + 1] = before_data[k] + used_data[k] end
   local n_used = before_data[total]

   if n_used ~= total then
      for i, place in pairs(layout) do
         if place.empty then
            place.offset = 1
         else
            check_compact(place, before_data, i)
            place.offset = before_data[place.offset]
         end
      end
      local compact = new(n_used)
      local from, to = flat:data(), compact:data()
      local at = 0
      for k = 0, total - 1 do
         if used_data[k] ~= 0 then
            to[at] = from[k]
            at = at + 1
         end
      end
      flat = compact
   end

   local flat_storage = flat:storage()
   for i, t in ipairs(tensors) do
      local place = layout[i]
      if place then t:set(flat_storage, place.offset, place.size, place.stride) end
   end
   return flat
end

-- One flat tensor holding every parameter and one holding every gradient, laid out alike:
-- after this, parameters() gives views into them (optim works on the flat tensors).
function Module:getParameters()
   local params, gradParams = self:parameters()
   local flatParams = Module.flatten(params)
   local flatGradParams = Module.flatten(gradParams)
   if flatParams:nElement() ~= flatGradParams:nElement() then
      error(string.format('%d parameters but %d gradients: check that you are sharing '
         .. 'parameters and gradParameters', flatParams:nElement(),
         flatGradParams:nElement()), 2)
   end
   if params then
      for i = 1, #params do
         if params[i]:storageOffset() ~= gradParams[i]:storageOffset() then
            error('misaligned parameter at ' .. i, 2)
         end
      end
   end
   return flatParams, flatGradParams
end

function Module:__call__(input, gradOutput)
   self:forward(input)
   if gradOutput then
      self:backward(input, gradOutput)
      return self.output, self.gradInput
   end
   return self.output
end

-- Calls callback on this module, then on every module inside it (depth first).
function Module:apply(callback)
   callback(self)
   if self.modules then
      for _, module in ipairs(self.modules) do module:apply(callback) end
   end
end

-- The modules of class `typename` inside this one (self included), with their containers.
function Module:findModules(typename, container)
   container = container or self
   local found, containers = {}, {}
   if torch.typename(self) == typename then
      found[1], containers[1] = self, container
   end
   if torch.type(self.modules) == 'table' then
      for _, child in ipairs(self.modules) do
         local more, their_containers = child:findModules(typename, self)
         for j = 1, #more do
            found[#found + 1] = more[j]
            containers[#containers + 1] = their_containers[j]
         end
      end
   end
   return found, containers
end

-- This module and every module inside it, depth first.
function Module:listModules()
   local modules = {self}
   if self.modules then
      for _, child in ipairs(self.modules) do
         for _, m in ipairs(child:listModules()) do modules[#modules + 1] = m end
      end
   end
   return modules
end

-- Drops the memory of intermediate results (before saving a model, say).
function Module:clearState()
   return nn.utils.clear(self, 'output', 'gradInput')
end

-- Replaces, depth first, each module by what callback returns for it.
function Module:replace(callback)
   local result = callback(self)
   if self.modules then
      for i, module in ipairs(self.modules) do self.modules[i] = module:replace(callback) end
   end
   return result
end

return Module
