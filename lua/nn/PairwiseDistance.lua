-- nn.PairwiseDistance([p]): the p-norm (default 2) of input[1] - input[2], for a pair of
-- vectors or row by row for a pair of matrices.

local PairwiseDistance, parent = torch.class('nn.PairwiseDistance', 'nn.Module')
local THNN = require 'nn.THNN'

function PairwiseDistance:__init(p)
   parent.__init(self)
   self.gradInput = {}
   self.diff = torch.Tensor()
   self.norm = p or 2
end

function PairwiseDistance:updateOutput(input)
   THNN.checkTableSizes(self, input, 2)
   local a, b = input[1], input[2]
   if a:dim() ~= 1 and a:dim() ~= 2 then error('input must be vector or matrix', 2) end
   local rows = a:dim() == 1 and a:view(1, -1) or a
   self.diff:resizeAs(rows):copy(rows):add(-1, b:contiguous():viewAs(rows)):abs()
   self.diff:pow(self.norm)
   self.output:sum(self.diff, 2):resize(rows:size(1)):pow(1 / self.norm)
   return self.output
end

-- d ||d||_p / d a = |d|^(p-2) d / ||d||^(p-1), and the opposite for b.
function PairwiseDistance:updateGradInput(input, gradOutput)
   local a, b = input[1], input[2]
   if a:dim() > 2 then error('input must be vector or matrix', 2) end
   self.gradInput[1] = (self.gradInput[1] or a.new()):resize(a:size())
   self.gradInput[2] = (self.gradInput[2] or b.new()):resize(b:size())
   local g = self.gradInput[1]
   g:copy(a):add(-1, b)
   if self.norm == 1 then
      THNN.randomSigns(g)
   else
      if self.norm > 2 then g:cmul(g:clone():abs():pow(self.norm - 2)) end
      if a:dim() > 1 then
         self.outExpand = self.outExpand or self.output.new()
         self.outExpand:resize(self.output:size(1), 1):copy(self.output):add(1e-6)
            :pow(-(self.norm - 1))
         g:cmul(self.outExpand:expand(g:size(1), g:size(2)))
      else
         g:mul(math.pow(self.output[1] + 1e-6, -(self.norm - 1)))
      end
   end
   if a:dim() == 1 then
      g:mul(gradOutput[1])
   else
      g:cmul(gradOutput:contiguous():view(-1, 1):expandAs(g))
   end
   self.gradInput[2]:zero():add(-1, g)
   return self.gradInput
end

function PairwiseDistance:clearState()
   nn.utils.clear(self, 'diff', 'outExpand', 'grad', 'ones')
   return parent.clearState(self)
end

return PairwiseDistance
