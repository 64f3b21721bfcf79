-- nn.SpatialReplicationPadding(pad_l[, pad_r, pad_t, pad_b]): pads each plane of a 3-D or
-- 4-D input with copies of the edge values; the others default to pad_l.

local THNN = require 'nn.THNN'
return require('nn.padding').spatial('nn.SpatialReplicationPadding', THNN.C.T7_PAD_REPLICATE)
