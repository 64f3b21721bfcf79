-- nn.PixelShuffle(upscaleFactor): rearranges (r^2 C) x H x W input (or a batch) into
-- C x rH x rW: each group of r^2 planes becomes the r x r sub-pixels of one plane (Shi et
-- al., 2016).

local PixelShuffle, parent = torch.class('nn.PixelShuffle', 'nn.Module')

function PixelShuffle:__init(upscaleFactor)
   parent.__init(self)
   self.upscaleFactor = upscaleFactor
   self.upscaleFactorSquared = upscaleFactor * upscaleFactor
end

-- Batch size and the first plane dimension of the input.
local function layout(input)
   if input:nDimension() == 4 then return input:size(1), 2 end
   return 1, 1
end

-- dst (resized) = src seen as a 6-D tensor with its dimensions reordered: dst's dimension
-- k is src's dimension order[k] (a copy through transpositions).
local function reorder(dst, src, order)
   local view, where = src, {1, 2, 3, 4, 5, 6}
   for k = 1, 6 do
      local j
      for m = k, 6 do if where[m] == order[k] then j = m end end
      if j ~= k then
         view = view:transpose(k, j)
         where[k], where[j] = where[j], where[k]
      end
   end
   return dst:resize(view:size()):copy(view)
end

function PixelShuffle:updateOutput(input)
   local r = self.upscaleFactor
   local batch, first = layout(input)
   local channels = input:size(first) / self.upscaleFactorSquared
   local height, width = input:size(first + 1), input:size(first + 2)
   self._shuffleOut = self._shuffleOut or input.new()
   local grouped = input:contiguous():view(batch, channels, r, r, height, width)
   reorder(self._shuffleOut, grouped, {1, 2, 5, 3, 6, 4})
   if input:nDimension() == 4 then
      self.output = self._shuffleOut:view(batch, channels, height * r, width * r)
   else
      self.output = self._shuffleOut:view(channels, height * r, width * r)
   end
   return self.output
end

function PixelShuffle:updateGradInput(input, gradOutput)
   local r = self.upscaleFactor
   local batch, first = layout(input)
   local channels = input:size(first) / self.upscaleFactorSquared
   local height, width = input:size(first + 1), input:size(first + 2)
   self._shuffleIn = self._shuffleIn or input.new()
   local grouped = gradOutput:contiguous():view(batch, channels, height, r, width, r)
   reorder(self._shuffleIn, grouped, {1, 2, 4, 6, 3, 5})
   self.gradInput = self._shuffleIn:view(input:size())
   return self.gradInput
end

function PixelShuffle:clearState()
   nn.utils.clear(self, {'_intermediateShape', '_outShape', '_shuffleIn', '_shuffleOut'})
   return parent.clearState(self)
end

return PixelShuffle
