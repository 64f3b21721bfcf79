-- nn.ReverseTable: {a, b, c} becomes {c, b, a}; the gradients are reversed back.

local ReverseTable, parent = torch.class('nn.ReverseTable', 'nn.Module')

function ReverseTable:__init()
   parent.__init(self)
   self.output = {}
   self.gradInput = {}
end

local function reverse_into(result, list)
   local n = #list
   for i = 1, n do result[i] = list[n + 1 - i] end
   for i = n + 1, #result do result[i] = nil end
   return result
end

function ReverseTable:updateOutput(input)
   if torch.type(input) ~= 'table' then error('Expecting table at arg 1', 2) end
   return reverse_into(self.output, input)
end

function ReverseTable:updateGradInput(input, gradOutput)
   return reverse_into(self.gradInput, gradOutput)
end

return ReverseTable
