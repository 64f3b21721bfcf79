-- nn.DontCast(module[, castin[, castout[, moduleType]]]): keeps module in its tensor type
-- when the network around it is converted with :type(); with castin/castout, inputs and
-- gradients (and outputs) are copied between the outside type and moduleType (guessed
-- from the module's output or parameters when not given).

local DontCast, parent = torch.class('nn.DontCast', 'nn.Decorator')

-- dst (created or reused) = a copy of src (a tensor or table of them) in type typename.
local function typedCopy(dst, src, typename)
   if torch.type(src) == 'table' then
      dst = torch.type(dst) == 'table' and dst or {}
      for k, v in pairs(src) do dst[k] = typedCopy(dst[k], v, typename) end
   elseif torch.isTensor(src) then
      dst = torch.type(dst) == typename and dst or torch.getmetatable(typename).new()
      dst:resize(src:size())
      if src:nElement() > 0 then dst:copy(src) end
   end
   return dst
end

-- The type of the first tensor found in x (a tensor or nested tables), and whether one
-- was found.
local function tensorType(x)
   if type(x) == 'table' then
      local typename, found
      for _, v in pairs(x) do
         typename, found = tensorType(v)
         if found then return typename, true end
      end
      return typename, found
   end
   return torch.type(x), torch.isTensor(x)
end

function DontCast:__init(module, castin, castout, moduleType)
   parent.__init(self, module)
   self.castin = castin
   self.castout = (castout == nil) and castin or castout
   self.moduleType = moduleType
   if (self.castin or self.castout) and not self.moduleType then
      local typename, found = tensorType(module.output)
      if not found then typename, found = tensorType(module:parameters()) end
      if not found then
         error('Cannot extrapolate moduleType. Provide constructor argument 4', 2)
      end
      self.moduleType = typename
   end
end

-- The input (and gradOutput) as the module wants them.
function DontCast:inner(input, gradOutput)
   if self.castin and tensorType(input) ~= self.moduleType then input = self._input end
   if gradOutput and self.castout and tensorType(gradOutput) ~= self.moduleType then
      gradOutput = self._gradOutput
   end
   return input, gradOutput
end

function DontCast:updateOutput(input)
   if self.castin and tensorType(input) ~= self.moduleType then
      self._input = typedCopy(self._input, input, self.moduleType)
      input = self._input
   end
   local output = self.modules[1]:updateOutput(input)
   if self.castout then
      self.output = typedCopy(self.output, output, tensorType(self.output))
   else
      self.output = output
   end
   return self.output
end

function DontCast:updateGradInput(input, gradOutput)
   if self.castout and tensorType(gradOutput) ~= self.moduleType then
      self._gradOutput = typedCopy(self._gradOutput, gradOutput, self.moduleType)
   end
   local gradInput = self.modules[1]:updateGradInput(self:inner(input, gradOutput))
   if self.castin then
      self.gradInput = typedCopy(self.gradInput, gradInput, tensorType(self.gradInput))
   else
      self.gradInput = gradInput
   end
   return self.gradInput
end

function DontCast:accGradParameters(input, gradOutput, scale)
   local i, g = self:inner(input, gradOutput)
   self.modules[1]:accGradParameters(i, g, scale)
end

function DontCast:accUpdateGradParameters(input, gradOutput, lr)
   local i, g = self:inner(input, gradOutput)
   self.modules[1]:accUpdateGradParameters(i, g, lr)
end

-- Only the outside-facing tensors change type.
function DontCast:type(typename)
   if self.castout and tensorType(self.output) ~= typename then
      self.output = typedCopy(nil, self.output, typename)
   end
   if self.castin and tensorType(self.gradInput) ~= typename then
      self.gradInput = typedCopy(nil, self.gradInput, typename)
   end
   return self
end

return DontCast
