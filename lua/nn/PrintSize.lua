-- nn.PrintSize([prefix]): passes its input through, printing its size (and, backward,
-- gradOutput's) for debugging.

local PrintSize, parent = torch.class('nn.PrintSize', 'nn.Module')

function PrintSize:__init(prefix)
   parent.__init(self)
   self.prefix = prefix or 'PrintSize'
end

local function size_of(x)
   if torch.type(x) == 'table' then return x end
   if x == nil then return 'missing size' end
   return x:size()
end

function PrintSize:updateOutput(input)
   self.output = input
   print(self.prefix .. ':input\n', size_of(input))
   return self.output
end

function PrintSize:updateGradInput(input, gradOutput)
   print(self.prefix .. ':gradOutput\n', size_of(gradOutput))
   self.gradInput = gradOutput
   return self.gradInput
end

return PrintSize
