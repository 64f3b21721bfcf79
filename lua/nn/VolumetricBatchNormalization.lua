-- nn.VolumetricBatchNormalization(nFeature[, eps[, momentum[, affine]]]): batch
-- normalisation of batch x planes x t x h x w input, statistics per plane.

local BN = torch.class('nn.VolumetricBatchNormalization', 'nn.BatchNormalization')

BN.nDim = 5

return BN
