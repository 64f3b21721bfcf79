-- nn.Max([dimension[, nInputDims]]): the maximum along dimension, that dimension removed
-- (see nn.extremum).

return require('nn.extremum').alongDimension('nn.Max', 'max')
