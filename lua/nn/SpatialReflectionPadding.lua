-- nn.SpatialReflectionPadding(pad_l[, pad_r, pad_t, pad_b]): pads each plane of a 3-D or
-- 4-D input with its mirror image (the edge not repeated); the others default to pad_l.

local THNN = require 'nn.THNN'
return require('nn.padding').spatial('nn.SpatialReflectionPadding', THNN.C.T7_PAD_REFLECT)
