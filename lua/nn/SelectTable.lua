-- nn.SelectTable(index): element index of the input table (negative counts from the end);
-- the others get zero gradients.

local SelectTable, parent = torch.class('nn.SelectTable', 'nn.Module')

function SelectTable:__init(index)
   parent.__init(self)
   self.index = index
   self.gradInput = {}
end

function SelectTable:position(input)
   local index = self.index
   if type(index) == 'number' and index < 0 then index = #input + index + 1 end
   return index
end

function SelectTable:updateOutput(input)
   local index = self:position(input)
   assert(input[index], 'index does not exist in the input table')
   self.output = input[index]
   return self.output
end

-- t1 becomes t2's structure filled with zeros (reusing t1's tensors).
local function zeroTableCopy(t1, t2)
   for k, v in pairs(t2) do
      if torch.type(v) == 'table' then
         t1[k] = zeroTableCopy(t1[k] or {}, v)
      elseif torch.isTensor(v) then
         if t1[k] then t1[k]:resizeAs(v):zero() else t1[k] = v:clone():zero() end
      else
         t1[k] = nil
      end
   end
   for k in pairs(t1) do
      if not t2[k] then t1[k] = nil end
   end
   return t1
end

function SelectTable:updateGradInput(input, gradOutput)
   zeroTableCopy(self.gradInput, input)
   local index = self:position(input)
   assert(self.gradInput[index])
   nn.utils.recursiveCopy(self.gradInput[index], gradOutput)
   return self.gradInput
end

function SelectTable:type(typename, tensorCache)
   self.gradInput = {}
   self.output = {}
   return parent.type(self, typename, tensorCache)
end

function SelectTable:__tostring__()
   return torch.type(self) .. '(' .. self.index .. ')'
end

SelectTable.clearState = nn.Identity.clearState

return SelectTable
