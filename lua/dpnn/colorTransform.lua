-- What SimpleColorTransform and PCAColorTransform share: the input checks and copy before
-- their offsets are added, and a gradient that passes through unchanged while training.

local colorTransform = {}

-- Checks input (C x H x W or N x C x H x W, C = self.inputChannels), copies it into
-- self.output and returns its dimension count and channel count.
function colorTransform.copyInput(self, input)
   local dim = input:nDimension()
   if dim ~= 3 and dim ~= 4 then error("Invalid input dimensionality.", 3) end
   local channels = input:size(dim - 2)
   if channels ~= self.inputChannels then
      error(string.format("expected %d input channels, got %d", self.inputChannels,
         channels), 3)
   end
   self.output:resizeAs(input):copy(input)
   return dim, channels
end

function colorTransform.updateGradInput(self, input, gradOutput)
   if not self.train then error('backprop only defined while training', 2) end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

return colorTransform
