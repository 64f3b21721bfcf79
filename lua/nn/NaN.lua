-- nn.NaN(module[, id]): runs module and raises an error naming it (and its id) as soon as
-- a NaN appears in its output, gradInput or parameter gradients, saying whether it came
-- in with the input, gradOutput or parameters.

local NaN, parent = torch.class('nn.NaN', 'nn.Decorator')

local idseq = 0
function NaN.newId()
   idseq = idseq + 1
   return idseq
end

function NaN:__init(module, id)
   parent.__init(self, module)
   self.id = id or NaN.newId()
end

function NaN:recursiveIsNaN(x)
   if torch.type(x) == 'table' then
      for _, v in pairs(x) do
         if self:recursiveIsNaN(v) then return true end
      end
      return false
   end
   local total = x:sum()          -- NaN anywhere makes the sum NaN
   return total ~= total
end

function NaN:fail(what)
   error(string.format('NaN found in %s of module :\n%s', what, self:__tostring__()), 3)
end

function NaN:updateOutput(input)
   self.output = self.modules[1]:updateOutput(input)
   if self:recursiveIsNaN(self.output) then
      if self:recursiveIsNaN(input) then self:fail('input') end
      if self:recursiveIsNaN(self:parameters()) then self:fail('parameters') end
      self:fail('output')
   end
   return self.output
end

function NaN:updateGradInput(input, gradOutput)
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   if self:recursiveIsNaN(self.gradInput) then
      if self:recursiveIsNaN(gradOutput) then self:fail('gradOutput') end
      self:fail('gradInput')
   end
   return self.gradInput
end

function NaN:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale)
   local _, gradParams = self:parameters()
   if self:recursiveIsNaN(gradParams) then self:fail('gradParameters') end
end

function NaN:__tostring__()
   local inner = self.modules[1]
   local text = inner.__tostring__ and inner:__tostring__() or torch.type(inner)
   return torch.type(self) .. '(' .. self.id .. ') @ ' .. text
end

return NaN
