-- The methods dpnn adds to every nn.Module: clones that share parameters, getParameters
-- that reaches modules kept outside self.modules, the training helpers (momentum, weight
-- decay, norm constraints, gradient clipping) and the serialization modes used by nn.Serial.

local Module = nn.Module

-- The fields holding parameters and their gradients; classes with others list them here.
Module.dpnn_parameters = {'weight', 'bias'}
Module.dpnn_gradParameters = {'gradWeight', 'gradBias'}

-- Fields a medium (or light) serialization leaves empty; heavy keeps everything.
Module.dpnn_mediumEmpty = {'output', 'gradInput', 'momGradParams', 'dpnn_input'}
Module.dpnn_lightEmpty = Module.dpnn_gradParameters
Module.dpnn_serialEmpty = {}

-- parameters() with, for sparse modules, a learning-rate scale per parameter; dense
-- modules return their parameters unchanged.
function Module:sparseParameters()
   return self:parameters()
end

function Module:updateParameters(learningRate)
   local params, gradParams, scales = self:sparseParameters()
   if not params then return end
   for i, param in pairs(params) do
      param:add(-learningRate * (scales and scales[i] or 1), gradParams[i])
   end
end

function Module:zeroGradParameters()
   local _, gradParams = self:sparseParameters()
   if not gradParams then return end
   for _, gradParam in pairs(gradParams) do gradParam:zero() end
end

-- Calls visit(module) on every module reachable from root through fields and nested
-- tables (root included), once each; visit returning false stops the walk below a module.
local function walk_modules(root, visit)
   local seen = {}
   local function walk(value)
      if type(value) ~= 'table' or seen[value] then return end
      seen[value] = true
      if torch.isTypeOf(value, 'nn.Module') and visit(value) == false then return end
      for _, field in pairs(value) do walk(field) end
   end
   walk(root)
end

-- A clone of self whose parameters (and gradients) are views of self's: the same memory,
-- without copying it. stepClone (rnn's clones for time steps) keeps recurrent modules
-- nested inside as they are, since those keep their own clones per step.
function Module:sharedClone(shareParams, shareGradParams, stepClone)
   if shareParams == nil then shareParams = true end
   if shareGradParams == nil then shareGradParams = true end
   if stepClone and self.dpnn_stepclone then return self end

   -- Seeding the copy's memo with objects makes the copy use them as they are: storages
   -- seeded this way end up shared by every tensor viewing them.
   local keep = {}
   local function keep_storage_of(tensor)
      if torch.isTensor(tensor) and tensor:storage() then
         keep[torch.pointer(tensor:storage())] = tensor:storage()
      end
   end
   walk_modules(self, function(module)
      if module ~= self and stepClone and module.dpnn_stepclone then
         keep[torch.pointer(module)] = module
         return false
      end
      if shareParams then
         for _, name in ipairs(module.dpnn_parameters) do keep_storage_of(module[name]) end
      end
      if shareGradParams then
         for _, name in ipairs(module.dpnn_gradParameters) do
            keep_storage_of(module[name])
         end
      end
   end)
   return nn.utils.deepCopy(self, keep)
end

-- One flat tensor over every parameter, including those of modules kept outside
-- self.modules (an rnn module's clones per time step share its parameters: they must
-- become views of the flat tensor too).
local flat_parameters = Module.getParameters

function Module:getParameters()
   local everything = nn.Container()
   walk_modules(self, function(module) everything:add(module) end)
   return flat_parameters(everything)
end

-- Serialization modes: which fields nn.Serial leaves empty, set on every module inside.
function Module:serialMode(empty)
   if torch.type(empty) ~= 'table' then error('Expecting table at arg 1', 2) end
   walk_modules(self, function(module) module.dpnn_serialEmpty = empty end)
   return self
end

function Module:heavySerial()
   return self:serialMode({})
end

function Module:mediumSerial()
   walk_modules(self, function(module) module.dpnn_serialEmpty = module.dpnn_mediumEmpty end)
   return self
end

function Module:lightSerial()
   walk_modules(self, function(module)
      local empty = {}
      for _, name in ipairs(module.dpnn_mediumEmpty) do empty[#empty + 1] = name end
      for _, name in ipairs(module.dpnn_lightEmpty) do empty[#empty + 1] = name end
      module.dpnn_serialEmpty = empty
   end)
   return self
end

-- A copy of the module structure for saving: tables and modules are new, tensors are
-- self's own, and the fields each module's serial mode names are empty.
function Module:getSerialState(copies)
   copies = copies or {}
   local function copy(value)
      if type(value) ~= 'table' then return value end
      if copies[value] then return copies[value] end
      local state = setmetatable({}, getmetatable(value))
      copies[value] = state
      local empty = {}
      if torch.isTypeOf(value, 'nn.Module') then
         for _, name in ipairs(value.dpnn_serialEmpty or {}) do empty[name] = true end
      end
      for key, field in pairs(value) do
         if empty[key] and torch.isTensor(field) then
            state[key] = field.new()
         elseif empty[key] and type(field) == 'table' then
            state[key] = {}
         else
            state[key] = copy(field)
         end
      end
      return state
   end
   return copy(self)
end

function Module:Serial(tensortype)
   return nn.Serial(self, tensortype)
end

-- The size of the output for an input of the given size (a random input is forwarded).
function Module:outside(insize)
   local input = torch.type(insize) == 'table' and torch.randn(unpack(insize))
      or torch.randn(insize)
   return self:updateOutput(input):size()
end

function Module:accept(visitor)
   visitor:visit(self)
end

-- Containers pass the training helpers below on to their children; a module may fix its
-- own hyper-parameters in fields of the same name (self.maxOutNorm, self.momFactor, ...).

-- Renormalises the rows (maxOutNorm) and columns (maxInNorm) of each parameter of more
-- than one dimension to at most the given L2 norm.
function Module:maxParamNorm(maxOutNorm, maxInNorm)
   maxOutNorm = self.maxOutNorm or maxOutNorm
   maxInNorm = self.maxInNorm or maxInNorm
   if not (maxOutNorm or maxInNorm) then return end
   if self.modules then
      for _, module in ipairs(self.modules) do module:maxParamNorm(maxOutNorm, maxInNorm) end
      return
   end
   for _, param in pairs(self:parameters() or {}) do
      if param:dim() > 1 then
         if maxOutNorm and maxOutNorm > 0 then param:renorm(2, 1, maxOutNorm) end
         if maxInNorm and maxInNorm > 0 then param:renorm(2, param:dim(), maxInNorm) end
      end
   end
end

-- Scales the gradients down so that their joint L2 norm is at most cutoffNorm (for each
-- leaf module on its own when moduleLocal). Returns the norm before scaling.
function Module:gradParamClip(cutoffNorm, moduleLocal)
   cutoffNorm = self.cutoffNorm or cutoffNorm
   if cutoffNorm <= 0 then return end
   if self.moduleLocal ~= nil then moduleLocal = self.moduleLocal end
   local norm = 0
   if moduleLocal and self.modules then
      for _, module in ipairs(self.modules) do
         norm = norm + (module:gradParamClip(cutoffNorm, moduleLocal) or 0) ^ 2
      end
      return math.sqrt(norm)
   end
   local params, gradParams = self:parameters()
   if not (params and gradParams) then return norm end
   for _, gradParam in pairs(gradParams) do norm = norm + gradParam:norm() ^ 2 end
   norm = math.sqrt(norm)
   if norm > cutoffNorm then
      for _, gradParam in pairs(gradParams) do gradParam:mul(cutoffNorm / norm) end
   end
   return norm
end

-- Adds wdFactor * parameter to the gradient of each parameter of at least wdMinDim
-- (default 2) dimensions: biases are left alone.
function Module:weightDecay(wdFactor, wdMinDim)
   wdFactor = self.wdFactor or wdFactor
   if wdFactor <= 0 then return end
   wdMinDim = self.wdMinDim or wdMinDim or 2
   if self.modules then
      for _, module in ipairs(self.modules) do module:weightDecay(wdFactor, wdMinDim) end
      return
   end
   local params, gradParams = self:parameters()
   if not (params and gradParams) then return end
   for i, param in pairs(params) do
      if param:dim() >= wdMinDim then gradParams[i]:add(wdFactor, param) end
   end
end

-- The running averages of the gradients momentum learning keeps (made on first use as
-- copies of the current gradients).
function Module:momentumGradParameters()
   if not self.momGradParams or next(self.momGradParams) == nil then
      local _, gradParams = self:parameters()
      if not gradParams or next(gradParams) == nil then return end
      self.momGradParams = {}
      for i, gradParam in pairs(gradParams) do
         self.momGradParams[i] = gradParam.new():resizeAs(gradParam):copy(gradParam)
      end
   end
   return self.momGradParams
end

-- Momentum: mom = momFactor * mom + (1 - momDamp) * grad, then grad becomes mom (or, with
-- Nesterov momentum, grad + momFactor * mom). momDamp defaults to momFactor.
function Module:updateGradParameters(momFactor, momDamp, momNesterov)
   momFactor = self.momFactor or momFactor
   if momFactor <= 0 then return end
   momDamp = self.momDamp or momDamp or momFactor
   if self.momNesterov ~= nil then momNesterov = self.momNesterov end
   if self.modules then
      for _, module in ipairs(self.modules) do
         module:updateGradParameters(momFactor, momDamp, momNesterov)
      end
      return
   end
   local params, gradParams = self:parameters()
   if not params or next(params) == nil then return end
   local momGradParams = self:momentumGradParameters()
   for i, gradParam in pairs(gradParams) do
      momGradParams[i]:mul(momFactor):add(1 - momDamp, gradParam)
      if momNesterov then
         gradParam:add(momFactor, momGradParams[i])
      else
         gradParam:copy(momGradParams[i])
      end
   end
end

function Module:checkParameters()
   for k, param in pairs(self:parameters() or {}) do
      local sum = param:sum()
      if sum ~= sum then error('NaN Error for param at index' .. k, 2) end
   end
end

-- Makes the backward pass of this module (and its parameters' updates) do nothing.
function Module:dontBackward()
   local nothing = function() end
   self.backward = nothing
   self.updateGradInput = nothing
   self.accGradParameters = nothing
   self.accUpdateGradParameters = nothing
   return self
end

-- A contiguous version of input, kept for the backward pass (called with backward true).
function Module:contiguousInput(input, backward)
   if backward then return self.dpnn_cinput or input end
   if not input:isContiguous() then
      self.dpnn_cinput = self.dpnn_cinput or input.new()
      self.dpnn_cinput:resizeAs(input):copy(input)
      input = self.dpnn_cinput
   end
   return input
end

-- A tensor of nDim dimensions becomes a batch of one (a size-1 dimension at batchDim);
-- fromBatch undoes it for the output when toBatch did it for the input.
function Module:toBatch(tensor, nDim, batchDim)
   batchDim = batchDim or 1
   self.dpnn_online = tensor:dim() == nDim
   if self.dpnn_online then
      local size = tensor:size():totable()
      table.insert(size, batchDim, 1)
      tensor = tensor:view(unpack(size))
   end
   return tensor
end

function Module:fromBatch(tensor, batchDim)
   if self.dpnn_online then
      local size = tensor:size():totable()
      table.remove(size, batchDim)
      tensor = tensor:view(unpack(size))
   end
   return tensor
end

-- The tensor type most of the parameters have (nil without parameters).
function Module:extrapolateType()
   local counts, best, most = {}, nil, 0
   for _, param in ipairs(self:parameters() or {}) do
      local name = torch.type(param)
      counts[name] = (counts[name] or 0) + 1
      if counts[name] > most then best, most = name, counts[name] end
   end
   return best
end

-- REINFORCE: containers pass the reward to their children; stochastic modules use it.
function Module:reinforce(reward)
   if self.modules then
      for _, module in ipairs(self.modules) do module:reinforce(reward) end
   end
end

return Module
