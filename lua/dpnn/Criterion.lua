-- Criterions get the batch helpers dpnn gives modules (a sample becomes a batch of one).

nn.Criterion.toBatch = nn.Module.toBatch
nn.Criterion.fromBatch = nn.Module.fromBatch

return nn.Criterion
