-- nn.SpatialConvolutionMap(connTable, kW, kH[, dW, dH]): a 2-D convolution (no padding)
-- whose input and output planes are joined only where connTable says: each row (input
-- plane, output plane) has its own kW x kH kernel. nn.tables builds the usual tables.

local SpatialConvolutionMap, parent = torch.class('nn.SpatialConvolutionMap', 'nn.Module')
local convolutionMap = require 'nn.convolutionMap'

nn.tables = nn.tables or {}

-- Every input plane to every output plane.
function nn.tables.full(nin, nout)
   local t = torch.Tensor(nin * nout, 2)
   local row = 1
   for j = 1, nout do
      for i = 1, nin do
         t[row][1], t[row][2] = i, j
         row = row + 1
      end
   end
   return t
end

-- Plane i to plane i.
function nn.tables.oneToOne(nfeat)
   local t = torch.Tensor(nfeat, 2)
   for i = 1, nfeat do t[i][1], t[i][2] = i, i end
   return t
end

-- Each output plane from nto input planes drawn at random: input planes are dealt from
-- successive random permutations, nto at a time, a fresh permutation once one runs out of
-- whole groups.
function nn.tables.random(nin, nout, nto)
   local t = torch.Tensor(nto * nout, 2)
   local perm = torch.randperm(nin)
   local groups = math.floor(nin / nto)
   local group = 1
   for o = 1, nout do
      for j = 1, nto do
         t[(o - 1) * nto + j][1] = perm[(group - 1) * nto + j]
         t[(o - 1) * nto + j][2] = o
      end
      group = group + 1
      if group - 1 == groups then
         perm:copy(torch.randperm(nin))
         group = 1
      end
   end
   return t
end

function SpatialConvolutionMap:__init(conMatrix, kW, kH, dW, dH)
   parent.__init(self)
   convolutionMap.init(self, conMatrix, kW, kH, dW, dH)
   self:reset()
end

SpatialConvolutionMap.reset = convolutionMap.reset

function SpatialConvolutionMap:updateOutput(input)
   return convolutionMap.updateOutput(self, input, 0)
end

function SpatialConvolutionMap:updateGradInput(input, gradOutput)
   return convolutionMap.updateGradInput(self, input, gradOutput, 0)
end

function SpatialConvolutionMap:accGradParameters(input, gradOutput, scale)
   convolutionMap.accGradParameters(self, input, gradOutput, scale, 0)
end

function SpatialConvolutionMap:decayParameters(decay)
   self.weight:add(-decay, self.weight)
   self.bias:add(-decay, self.bias)
end

return SpatialConvolutionMap
