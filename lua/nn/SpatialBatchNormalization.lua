-- nn.SpatialBatchNormalization(nFeature[, eps[, momentum[, affine]]]): batch normalisation
-- of batch x planes x h x w input, with statistics per plane over the batch and positions.

local BN = torch.class('nn.SpatialBatchNormalization', 'nn.BatchNormalization')

BN.__version = 2
BN.nDim = 4

return BN
