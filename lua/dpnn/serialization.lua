-- The buffers of nn's classes that a medium serialization (nn.Serial) leaves empty, and
-- the running statistics batch normalization shares with its clones like parameters.

local function with(base, ...)
   local names = {}
   for _, name in ipairs(base) do names[#names + 1] = name end
   for _, name in ipairs({...}) do names[#names + 1] = name end
   return names
end

local medium = nn.Module.dpnn_mediumEmpty
for _, class in ipairs({'SpatialConvolution', 'SpatialConvolutionMM'}) do
   nn[class].dpnn_mediumEmpty = with(medium, 'finput', 'fgradinput', '_input', '_gradOutput')
end
nn.SpatialMaxPooling.dpnn_mediumEmpty = with(medium, 'indices')
for _, class in ipairs({'BatchNormalization', 'SpatialBatchNormalization'}) do
   nn[class].dpnn_mediumEmpty = with(medium, 'buffer', 'buffer2', 'centered', 'std',
      'normalized')
   nn[class].dpnn_parameters = with(nn.Module.dpnn_parameters, 'running_mean', 'running_var')
end
