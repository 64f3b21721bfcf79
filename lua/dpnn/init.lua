-- require 'dpnn': Element-Research's extensions to nn, as far as saved models and training
-- scripts use them: methods every nn.Module gains (sharedClone, momentum, weight decay,
-- norm constraints, serialization modes, reinforce, ...), the modules Inception, Serial,
-- ReverseTable, Dictionary, Clip, ArgMax, TotalDropout, SpatialUniformCrop,
-- SpatialFeatNormalization and FireModule, the REINFORCE modules (Reinforce,
-- ReinforceNormal, ReinforceBernoulli, ReinforceCategorical, ReinforceGamma) with their
-- reward criterions VRClassReward and BinaryClassReward and the CategoricalEntropy
-- regulariser, and noise-contrastive estimation (NCEModule, NCECriterion, with torchx's
-- torch.AliasMultinomial), the two-class logistic losses BinaryLogisticRegression and
-- SpatialBinaryLogisticRegression, the augmentations SpatialRegionDropout,
-- SimpleColorTransform and PCAColorTransform, and XNOR-Net's SpatialBinaryConvolution.

require 'nn'

dpnn = dpnn or {}
dpnn.version = 2

-- Requires a package the calling module depends on, saying which one is missing.
function dpnn.require(name)
   local ok, message = pcall(require, name)
   if not ok then
      error(string.format("dpnn needs the package '%s', which cannot be loaded: %s", name,
         tostring(message)), 2)
   end
end

require 'dpnn.Module'
require 'dpnn.Container'
require 'dpnn.Criterion'
require 'dpnn.LookupTable'
require 'dpnn.serialization'

require 'dpnn.Serial'
require 'dpnn.ReverseTable'
require 'dpnn.Inception'
require 'dpnn.Dictionary'
require 'dpnn.Clip'
require 'dpnn.ArgMax'
require 'dpnn.TotalDropout'
require 'dpnn.SpatialUniformCrop'
require 'dpnn.SpatialFeatNormalization'
require 'dpnn.FireModule'

require 'dpnn.Reinforce'
require 'dpnn.ReinforceNormal'
require 'dpnn.ReinforceBernoulli'
require 'dpnn.ReinforceCategorical'
require 'dpnn.ReinforceGamma'
require 'dpnn.VRClassReward'
require 'dpnn.BinaryClassReward'
require 'dpnn.CategoricalEntropy'
require 'dpnn.AliasMultinomial'
require 'dpnn.NCEModule'
require 'dpnn.NCECriterion'

require 'dpnn.BinaryLogisticRegression'
require 'dpnn.SpatialBinaryLogisticRegression'
require 'dpnn.SpatialRegionDropout'
require 'dpnn.SimpleColorTransform'
require 'dpnn.PCAColorTransform'
require 'dpnn.SpatialBinaryConvolution'

return dpnn
