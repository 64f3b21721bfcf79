-- require 'nn': the neural-network package, one class per file as the original organised
-- it. Modules are declared in dependency order: a class's parent must exist before it.

require 'torch'

nn = nn or {}

require 'nn.utils'

require 'nn.Module'
require 'nn.Container'
require 'nn.Sequential'

require 'nn.Linear'
require 'nn.Identity'
require 'nn.Reshape'
require 'nn.View'

require 'nn.SpatialConvolution'
require 'nn.SpatialConvolutionMM'
require 'nn.SpatialDilatedConvolution'
require 'nn.SpatialFullConvolution'
require 'nn.SpatialDepthWiseConvolution'
require 'nn.VolumetricConvolution'
require 'nn.VolumetricDilatedConvolution'
require 'nn.VolumetricFullConvolution'
require 'nn.SpatialMaxPooling'
require 'nn.SpatialDilatedMaxPooling'
require 'nn.SpatialMaxUnpooling'
require 'nn.SpatialFractionalMaxPooling'
require 'nn.SpatialAveragePooling'
require 'nn.SpatialAdaptiveMaxPooling'
require 'nn.SpatialAdaptiveAveragePooling'
require 'nn.TemporalMaxPooling'
require 'nn.VolumetricMaxPooling'
require 'nn.VolumetricDilatedMaxPooling'
require 'nn.VolumetricFractionalMaxPooling'
require 'nn.VolumetricMaxUnpooling'
require 'nn.VolumetricAveragePooling'

require 'nn.Tanh'
require 'nn.Sigmoid'
require 'nn.Threshold'
require 'nn.ReLU'
require 'nn.SoftMax'
require 'nn.LogSoftMax'

require 'nn.Criterion'
require 'nn.MSECriterion'
require 'nn.ClassNLLCriterion'
require 'nn.CrossEntropyCriterion'

require 'nn.Jacobian'

return nn
