-- nn.Inception(config): GoogLeNet's inception block. Columns run side by side on the same
-- input and their outputs are concatenated along the feature planes (nn.DepthConcat(2)):
--   one column per entry of kernelSize: 1x1 convolution (reduce) -> transfer ->
--     kxk convolution -> transfer;
--   a pooling column: pool -> 1x1 convolution -> transfer (the convolution only when
--     reduceSize has an entry for it);
--   a last column, when reduceSize has an entry for it: 1x1 convolution -> transfer.
-- config: inputSize (planes in), outputSize (planes out of each kxk convolution),
-- reduceSize (planes out of each 1x1 convolution, #kernelSize + 2 entries); optional:
-- reduceStride, transfer (default nn.ReLU()), batchNorm, padding (default true: the kxk
-- convolutions keep the input's height and width), kernelSize ({5, 3}), kernelStride
-- ({1, 1}), poolSize (3), poolStride (1), pool (nn.SpatialMaxPooling of those).

local Inception, parent = torch.class('nn.Inception', 'nn.Decorator')

function Inception:__init(config)
   self.inputSize = config.inputSize
   self.outputSize = config.outputSize
   self.reduceSize = config.reduceSize
   self.reduceStride = config.reduceStride or {}
   self.transfer = config.transfer or nn.ReLU()
   self.batchNorm = config.batchNorm
   self.padding = config.padding == nil and true or config.padding
   self.kernelSize = config.kernelSize or {5, 3}
   self.kernelStride = config.kernelStride or {1, 1}
   self.poolSize = config.poolSize or 3
   self.poolStride = config.poolStride or 1
   self.pool = config.pool or nn.SpatialMaxPooling(self.poolSize, self.poolSize,
      self.poolStride, self.poolStride)

   local columns = nn.DepthConcat(2)
   for i = 1, #self.kernelSize do
      local column = nn.Sequential()
      self:addReduction(column, i)
      local k, stride = self.kernelSize[i], self.kernelStride[i]
      local pad = self.padding and math.floor(k / 2) or 0
      column:add(nn.SpatialConvolution(self.reduceSize[i], self.outputSize[i], k, k,
         stride, stride, pad))
      self:addNormAndTransfer(column, self.outputSize[i])
      columns:add(column)
   end
   local poolColumn = nn.Sequential():add(self.pool)
   local i = #self.kernelSize + 1
   if self.reduceSize[i] then self:addReduction(poolColumn, i) end
   columns:add(poolColumn)
   i = i + 1
   if self.reduceSize[i] then
      local column = nn.Sequential()
      self:addReduction(column, i)
      columns:add(column)
   end
   parent.__init(self, columns)
end

-- Appends column i's 1x1 convolution from the input planes, then its transfer.
function Inception:addReduction(column, i)
   local stride = self.reduceStride[i] or 1
   column:add(nn.SpatialConvolution(self.inputSize, self.reduceSize[i], 1, 1, stride, stride))
   self:addNormAndTransfer(column, self.reduceSize[i])
end

function Inception:addNormAndTransfer(column, planes)
   if self.batchNorm then column:add(nn.SpatialBatchNormalization(planes)) end
   column:add(self.transfer:clone())
end

-- A single image (planes x height x width) runs as a batch of one.
function Inception:updateOutput(input)
   local output = self.modules[1]:updateOutput(self:toBatch(input, 3))
   self.output = self:fromBatch(output, 1)
   return self.output
end

function Inception:updateGradInput(input, gradOutput)
   local gradInput = self.modules[1]:updateGradInput(self:toBatch(input, 3),
      self:toBatch(gradOutput, 3))
   self.gradInput = self:fromBatch(gradInput, 1)
   return self.gradInput
end

function Inception:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(self:toBatch(input, 3), self:toBatch(gradOutput, 3),
      scale)
end

function Inception:accUpdateGradParameters(input, gradOutput, lr)
   self.modules[1]:accUpdateGradParameters(self:toBatch(input, 3),
      self:toBatch(gradOutput, 3), lr)
end

return Inception
