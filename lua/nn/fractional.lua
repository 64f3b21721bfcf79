-- What the fractional max pooling modules share: pseudo-random, overlapping windows of a
-- fixed size placed from one random sample per plane and dimension (self.randomSamples,
-- redrawn at each forward unless :fixPoolingRegions() was called), giving an output of a
-- fixed size or of a fixed ratio of the input's.

local THNN = require 'nn.THNN'
local C, check, ffi = THNN.C, THNN.check, THNN.ffi

local fractional = {}

local out_size, pool_size = ffi.new('int64_t[3]'), ffi.new('int64_t[3]')

-- dims spatial dimensions; samples per plane: dims.
function fractional.initSampleBuffer(self, input, dims)
   local n = input:dim()
   if n ~= dims + 1 and n ~= dims + 2 then
      THNN.fail(self, 'input must be dim %d or %d', dims + 1, dims + 2)
   end
   local batch = n == dims + 2 and input:size(1) or 1
   local planes = input:size(n - dims)
   local samples = self.randomSamples
   if samples == nil then
      self.randomSamples = input.new():resize(batch, planes, dims):uniform()
   elseif samples:size(1) ~= batch or samples:size(2) ~= planes then
      samples:resize(batch, planes, dims):uniform()
   elseif not self.newRandomPool then
      samples:uniform()
   end
end

function fractional.fixPoolingRegions(self, val)
   if val == nil then val = true end
   self.newRandomPool = val
   return self
end

-- outputs, pools: the sizes in the order of the input's spatial dimensions.
function fractional.updateOutput(self, input, outputs, pools)
   THNN.checkFloating(self, input)
   local dims = #outputs
   self.indices = (self.indices or torch.LongTensor()):long()
   fractional.initSampleBuffer(self, input, dims)
   for i = 1, 3 do
      out_size[i - 1] = outputs[i - 3 + dims] or 1
      pool_size[i - 1] = pools[i - 3 + dims] or 1
   end
   check(C.t7_nn_fractional_max_pool(self.output, self.indices, input, self.randomSamples,
      dims, out_size, pool_size, THNN.INDEX_BASE), self)
   return self.output
end

function fractional.clearState(self, parent)
   self.indices = nil
   self.randomSamples = nil
   return parent.clearState(self)
end

return fractional
