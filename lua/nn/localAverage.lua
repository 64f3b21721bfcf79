-- What the spatial normalisation modules share: an estimator of local weighted averages
-- over a neighbourhood given by `kernel` (2-D, or 1-D applied along both axes) across all
-- planes, as a Sequential of padding, convolution(s) and replication back to every plane.
-- Its construction draws the same random numbers as the original's (the convolutions'
-- initial weights, overwritten here by the kernel).

local localAverage = {}

-- kernel must be 1-D or 2-D with odd sizes; `who` names the module in errors.
function localAverage.check(kernel, who)
   local kdim = kernel:nDimension()
   if kdim ~= 2 and kdim ~= 1 then
      error('<' .. who .. '> averaging kernel must be 2D or 1D', 3)
   end
   if kernel:size(1) % 2 == 0 or (kdim == 2 and kernel:size(2) % 2 == 0) then
      error('<' .. who .. '> averaging kernel must have ODD dimensions', 3)
   end
end

-- The estimator, with `before` and `after` (modules or nil) around it; returns it and the
-- list of its convolutions, for setKernel.
function localAverage.build(nInputPlane, kernel, before, after)
   local padH = math.floor(kernel:size(1) / 2)
   local padW = kernel:nDimension() == 2 and math.floor(kernel:size(2) / 2) or padH
   local estimator = nn.Sequential()
   if before then estimator:add(before) end
   estimator:add(nn.SpatialZeroPadding(padW, padW, padH, padH))
   local convolutions
   if kernel:nDimension() == 2 then
      convolutions = {nn.SpatialConvolution(nInputPlane, 1, kernel:size(2), kernel:size(1))}
   else
      convolutions = {
         nn.SpatialConvolutionMap(nn.tables.oneToOne(nInputPlane), kernel:size(1), 1),
         nn.SpatialConvolution(nInputPlane, 1, 1, kernel:size(1))}
   end
   for _, c in ipairs(convolutions) do estimator:add(c) end
   estimator:add(nn.Replicate(nInputPlane, 1, 3))
   if after then estimator:add(after) end
   return estimator, convolutions
end

-- Every plane's weights become the kernel (along each axis for a 1-D one); no bias.
function localAverage.setKernel(convolutions, kernel, nInputPlane)
   for i = 1, nInputPlane do
      if #convolutions == 1 then
         convolutions[1].weight[1][i]:copy(kernel)
      else
         convolutions[1].weight[i]:copy(kernel)
         convolutions[2].weight[1][i]:copy(kernel)
      end
   end
   for _, c in ipairs(convolutions) do c.bias:zero() end
end

-- The estimator's output for an input of ones shaped like one sample of `input`,
-- expanded over the batch of a 4-D input: each position's total kernel weight inside the
-- image, which corrects the averages near the borders.
function localAverage.coefficients(self, estimator, input)
   self.ones = self.ones or input.new()
   self._coef = self._coef or input.new()
   local sample = input:dim() == 4 and input[1] or input
   self.ones:resizeAs(sample):fill(1)
   local coef = estimator:updateOutput(self.ones)
   self._coef:resizeAs(coef):copy(coef)
   if input:dim() ~= 4 then return self._coef end
   local size = self._coef:size():totable()
   return self._coef:view(1, unpack(size)):expand(input:size(1), unpack(size))
end

return localAverage
