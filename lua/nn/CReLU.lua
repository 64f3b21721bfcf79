-- nn.CReLU(nInputDims[, inplace]): concatenated ReLU, [max(0, x), max(0, -x)] along the
-- feature dimension (Shang et al., 2016); nInputDims says how many dimensions a sample
-- has, so that a batch is recognised.

local CReLU, parent = torch.class('nn.CReLU', 'nn.Sequential')

function CReLU:__init(nInputDims, inplace)
   parent.__init(self)
   self.nInputDims = nInputDims
   self.inplace = inplace or false
   local both = nn.ConcatTable()
   both:add(nn.Identity())
   both:add(nn.MulConstant(-1))
   self:add(both)
   self:add(nn.JoinTable(2))
   self:add(nn.ReLU(self.inplace))
end

-- The samples as rows.
local function rows(self, t, input)
   if input:dim() == self.nInputDims + 1 then return t:view(input:size(1), -1) end
   return t:view(1, -1)
end

function CReLU:updateOutput(input)
   parent.updateOutput(self, rows(self, input, input))
   local size = input:size()
   local d = input:dim() == self.nInputDims + 1 and 2 or 1
   size[d] = size[d] * 2
   self.output:resize(size)
   return self.output
end

function CReLU:backward(input, gradOutput)
   return self:updateGradInput(input, gradOutput)
end

function CReLU:updateGradInput(input, gradOutput)
   parent.updateGradInput(self, rows(self, input, input), rows(self, gradOutput, input))
   self.gradInput:resizeAs(input)
   return self.gradInput
end

function CReLU:__tostring__()
   return 'CReLU()'
end

return CReLU
