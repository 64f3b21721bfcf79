-- nn.SpatialReflectionPadding(pad_l[, pad_r, pad_t, pad_b]): pads each plane of a 3-D or
-- 4-D input with mirrored (the edge not repeated); the others default to pad_l.

local SpatialReflectionPadding, parent = torch.class('nn.SpatialReflectionPadding', 'nn.Module')
local THNN = require 'nn.THNN'
local padding = require 'nn.padding'

function SpatialReflectionPadding:__init(pad_l, pad_r, pad_t, pad_b)
   parent.__init(self)
   self.pad_l = pad_l
   self.pad_r = pad_r or self.pad_l
   self.pad_t = pad_t or self.pad_l
   self.pad_b = pad_b or self.pad_l
end

function SpatialReflectionPadding:updateOutput(input)
   return padding.updateOutput(self, input, 2, THNN.C.T7_PAD_REFLECT, 0, 0, self.pad_t, self.pad_b,
      self.pad_l, self.pad_r)
end

function SpatialReflectionPadding:updateGradInput(input, gradOutput)
   return padding.updateGradInput(self, input, gradOutput, 2, THNN.C.T7_PAD_REFLECT, 0, 0,
      self.pad_t, self.pad_b, self.pad_l, self.pad_r)
end

function SpatialReflectionPadding:__tostring__()
   return torch.type(self) .. string.format('(l=%d, r=%d, t=%d, b=%d)', self.pad_l,
      self.pad_r, self.pad_t, self.pad_b)
end

return SpatialReflectionPadding
