-- require 'cunn': nn's modules on torch.CudaTensor. module:cuda() moves a module's tensors
-- to the GPU (nn.Module:type); calls whose input or weight is a CudaTensor then run the
-- CUDA kernels, for Linear (through CudaTensor's BLAS), SpatialConvolution(MM),
-- Spatial{Max,Average}Pooling, (Spatial)BatchNormalization, ReLU/Threshold, Tanh, Sigmoid,
-- SoftMax, LogSoftMax, LookupTable and the ClassNLL, CrossEntropy and MSE criterions.
-- Dropout, View, Reshape, JoinTable, CAddTable and the containers (and nngraph's gModule)
-- are tensor code that runs on CudaTensors as it is. Under cutorch's CPU fallback,
-- module:cuda() gives FloatTensors and nn's own code runs.

local cutorch = require 'cutorch'
require 'nn'

local cunn = {}
rawset(_G, 'cunn', cunn)

if cutorch.cpuFallback then      -- the caller asked to run on the CPU: nn's modules as they are
   require('cutorch.cpu_fallback').install_nn()
   return cunn
end

require 'cunn.transfer'
require 'cunn.spatial'
require 'cunn.normalization'
require 'cunn.criterions'
require 'cunn.embedding'

return cunn
