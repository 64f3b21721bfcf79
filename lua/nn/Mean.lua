-- nn.Mean([dimension[, nInputDims]]): the mean along a dimension, that is
-- nn.Sum(dimension, nInputDims, true), kept for older code.

local Mean, parent = torch.class('nn.Mean', 'nn.Sum')

function Mean:__init(dimension, nInputDims)
   parent.__init(self, dimension, nInputDims, true)
end

return Mean
