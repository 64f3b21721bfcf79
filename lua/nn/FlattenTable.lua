-- nn.FlattenTable: a nested table of tensors as one flat table, depth first (the same
-- tensors, not copies); the gradient gets the nesting back.

local FlattenTable, parent = torch.class('nn.FlattenTable', 'nn.Module')

function FlattenTable:__init()
   parent.__init(self)
   self.output = {}
   self.input_map = {}
   self.gradInput = {}
end

-- Appends input's tensors to output; returns input's structure with each tensor replaced
-- by its position in output.
local function flatten(output, input)
   if torch.type(input) ~= 'table' then
      output[#output + 1] = input
      return #output
   end
   local map = {}
   for i = 1, #input do map[i] = flatten(output, input[i]) end
   return map
end

-- Whether map still describes where input's tensors are in output.
local function mapped(output, input, map)
   if map == nil or output == nil or input == nil then return false end
   if torch.type(input) ~= 'table' then
      return torch.type(map) == 'number' and output[map] == input
   end
   if torch.type(map) ~= 'table' or #input ~= #map then return false end
   for i = 1, #input do
      if not mapped(output, input[i], map[i]) then return false end
   end
   return true
end

local function unflatten(flat, map)
   if torch.type(map) ~= 'table' then return flat[map] end
   local nested = {}
   for i = 1, #map do nested[i] = unflatten(flat, map[i]) end
   return nested
end

function FlattenTable:updateOutput(input)
   assert(torch.type(input) == 'table', 'input must be a table')
   if not mapped(self.output, input, self.input_map) then
      self.output = {}
      self.input_map = flatten(self.output, input)
   end
   return self.output
end

function FlattenTable:updateGradInput(input, gradOutput)
   assert(torch.type(input) == 'table', 'input must be a table')
   assert(torch.type(gradOutput) == 'table', 'gradOutput must be a table')
   if not mapped(gradOutput, self.gradInput, self.input_map) then
      self.gradInput = unflatten(gradOutput, self.input_map)
   end
   return self.gradInput
end

function FlattenTable:type(typename, tensorCache)
   self:clearState()
   return self
end

function FlattenTable:clearState()
   self.input_map = {}
   return parent.clearState(self)
end

return FlattenTable
