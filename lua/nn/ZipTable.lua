-- nn.ZipTable: {{a1, a2, ...}, {b1, b2, ...}} becomes {{a1, b1}, {a2, b2}, ...}.

local ZipTable, parent = torch.class('nn.ZipTable', 'nn.Module')

function ZipTable:__init()
   parent.__init(self)
   self.output = {}
   self.gradInput = {}
end

-- The transpose of a table of tables.
local function zip(tables)
   local zipped = {}
   for i, inner in ipairs(tables) do
      for j, x in ipairs(inner) do
         zipped[j] = zipped[j] or {}
         zipped[j][i] = x
      end
   end
   return zipped
end

function ZipTable:updateOutput(inputTable)
   self.output = zip(inputTable)
   return self.output
end

function ZipTable:updateGradInput(inputTable, gradOutputTable)
   self.gradInput = zip(gradOutputTable)
   return self.gradInput
end

return ZipTable
