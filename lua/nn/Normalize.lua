-- nn.Normalize(p[, eps]): each input vector (or each row of a matrix) divided by its
-- p-norm (p may be math.huge for the maximum norm); eps (default 1e-10) keeps zero
-- vectors finite.

local Normalize, parent = torch.class('nn.Normalize', 'nn.Module')

function Normalize:__init(p, eps)
   parent.__init(self)
   assert(p, 'p-norm not provided')
   assert(p > 0, p .. '-norm not supported')
   self.p = p
   self.eps = eps or 1e-10
end

function Normalize:updateOutput(input)
   assert(input:dim() <= 2, 'only 1d layer supported')
   local input_size = input:size()
   if input:dim() == 1 then input = input:view(1, -1) end
   self._output = self._output or input.new()
   self.norm = self.norm or input.new()
   self.buffer = self.buffer or input.new()
   if self.p == math.huge then
      self._indices = self._indices or torch.LongTensor()
      self.buffer:abs(input)
      torch.max(self.norm, self._indices, self.buffer, 2)
      self.norm:add(self.eps)
   else
      self.normp = self.normp or input.new()
      if self.p % 2 ~= 0 then
         self.buffer:abs(input):pow(self.p)
      else
         self.buffer:pow(input, self.p)
      end
      self.normp:sum(self.buffer, 2):add(self.eps)
      self.norm:pow(self.normp, 1 / self.p)
   end
   self._output:cdiv(input, self.norm:view(-1, 1):expandAs(input))
   self.output:view(self._output, input_size)
   return self.output
end

-- With y = x / n: dy_i / dx_j = (delta_ij n^p - x_i |x_j|^(p-2) x_j) / n^(p+1) for finite
-- p; for the maximum norm only the maximal element's column changes.
function Normalize:updateGradInput(input, gradOutput)
   assert(input:dim() <= 2, 'only 1d layer supported')
   assert(gradOutput:dim() <= 2, 'only 1d layer supported')
   local input_size = input:size()
   if input:dim() == 1 then input = input:view(1, -1) end
   local n, d = input:size(1), input:size(2)
   gradOutput = gradOutput:contiguous():view(n, d)
   self._gradInput = self._gradInput or input.new()
   self.cross = self.cross or input.new()
   self._gradInput:resize(n, d)
   if self.p == math.huge then
      self._gradInput:cmul(self.norm:view(n, 1):expand(n, d), gradOutput)
      self.buffer:resizeAs(input):zero()
      self.cross:resize(n, 1):gather(input, 2, self._indices)
      self.cross:cdiv(self.norm)
      self.buffer:scatter(2, self._indices, self.cross)
   else
      self._gradInput:cmul(self.normp:view(n, 1):expand(n, d), gradOutput)
      if self.p % 2 ~= 0 then
         if self.p < 2 then
            self.buffer:abs(input):add(self.eps):pow(self.p - 2):cmul(input)
         else
            self.buffer:abs(input):pow(self.p - 2):cmul(input)
         end
      elseif self.p == 2 then
         self.buffer:resizeAs(input):copy(input)
      else
         self.buffer:pow(input, self.p - 2):cmul(input)
      end
   end
   self.buffer2 = self.buffer2 or input.new()
   self.buffer2:cmul(input, gradOutput)
   self.cross:resize(n, 1):sum(self.buffer2, 2)
   self.buffer:cmul(self.cross:expandAs(self.buffer))
   self._gradInput:add(-1, self.buffer)
   if self.p == math.huge then
      self.cross:cmul(self.norm, self.norm)
   else
      self.cross:cmul(self.normp, self.norm)
   end
   self._gradInput:cdiv(self.cross:expand(n, d))
   self.gradInput:view(self._gradInput, input_size)
   return self.gradInput
end

function Normalize:__tostring__()
   local format = self.p % 1 == 0 and '%s(%d)' or '%s(%f)'
   return string.format(format, torch.type(self), self.p)
end

function Normalize:type(typename, tensorCache)
   self._indices = nil
   parent.type(self, typename, tensorCache)
   return self
end

function Normalize:clearState()
   nn.utils.clear(self, {'_output', '_indices', '_gradInput', 'buffer', 'norm', 'normp',
      'cross', 'buffer2'})
   return parent.clearState(self)
end

return Normalize
