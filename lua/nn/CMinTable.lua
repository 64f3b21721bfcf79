-- nn.CMinTable: the element-wise minimum of the tensors of the input table (see
-- nn.extremum).

return require('nn.extremum').overTable('nn.CMinTable', 'lt', 'min')
