-- nn.VolumetricReplicationPadding(pleft[, pright, ptop, pbottom, pfront, pback]): pads
-- each volume of a 4-D or 5-D input with copies of its edge values; the others default to
-- pleft.

local VolumetricReplicationPadding, parent = torch.class('nn.VolumetricReplicationPadding',
   'nn.Module')
local THNN = require 'nn.THNN'
local padding = require 'nn.padding'

function VolumetricReplicationPadding:__init(pleft, pright, ptop, pbottom, pfront, pback)
   parent.__init(self)
   self.pleft = pleft
   self.pright = pright or self.pleft
   self.ptop = ptop or self.pleft
   self.pbottom = pbottom or self.pleft
   self.pfront = pfront or self.pleft
   self.pback = pback or self.pleft
end

function VolumetricReplicationPadding:updateOutput(input)
   return padding.updateOutput(self, input, 3, THNN.C.T7_PAD_REPLICATE, self.pfront, self.pback,
      self.ptop, self.pbottom, self.pleft, self.pright)
end

function VolumetricReplicationPadding:updateGradInput(input, gradOutput)
   return padding.updateGradInput(self, input, gradOutput, 3, THNN.C.T7_PAD_REPLICATE,
      self.pfront, self.pback, self.ptop, self.pbottom, self.pleft, self.pright)
end

function VolumetricReplicationPadding:__tostring__()
   return torch.type(self) .. string.format('(left=%d, right=%d, top=%d, bottom=%d, '
      .. 'front=%d, back=%d)', self.pleft, self.pright, self.ptop, self.pbottom, self.pfront,
      self.pback)
end

return VolumetricReplicationPadding
