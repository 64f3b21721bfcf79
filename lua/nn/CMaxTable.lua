-- nn.CMaxTable: the element-wise maximum of the tensors of the input table (see
-- nn.extremum).

return require('nn.extremum').overTable('nn.CMaxTable', 'gt', 'max')
