-- nn.Min([dimension[, nInputDims]]): the minimum along dimension, that dimension removed
-- (see nn.extremum).

return require('nn.extremum').alongDimension('nn.Min', 'min')
