-- nn.SimpleColorTransform(inputChannels, range): colour augmentation. In training, every
-- image gets one offset per channel c, drawn uniformly from [-range[c], range[c]] and added
-- to all of that channel's pixels. Images are channels x height x width or batches of them;
-- range holds one value per channel. In evaluation the input passes unchanged; the gradient
-- passes through as it is.

local SimpleColorTransform, parent = torch.class('nn.SimpleColorTransform', 'nn.Module')

function SimpleColorTransform:__init(inputChannels, range)
   parent.__init(self)
   self.train = true
   if inputChannels ~= range:nElement() then
      error("Number of input channels and number of range values don't match.", 2)
   end
   self.inputChannels = inputChannels
   self.range = range
end

function SimpleColorTransform:updateOutput(input)
   local dim = input:nDimension()
   if dim ~= 3 and dim ~= 4 then error("Invalid input dimensionality.", 2) end
   local channels = input:size(dim - 2)
   if channels ~= self.inputChannels then
      error(string.format("expected %d input channels, got %d", self.inputChannels,
         channels), 2)
   end
   self.output:resizeAs(input):copy(input)
   if self.train then
      self.noise = self.noise or self.output.new()
      if dim == 4 then
         -- Drawn channel by channel, each channel for the whole batch at once.
         self.noise:resize(input:size(1), channels)
         for c = 1, channels do
            self.noise:select(2, c):uniform(-self.range[c], self.range[c])
         end
         self.output:add(self.noise:view(input:size(1), channels, 1, 1):expandAs(input))
      else
         self.noise:resize(channels)
         for c = 1, channels do
            self.noise[c] = torch.uniform(-self.range[c], self.range[c])
         end
         self.output:add(self.noise:view(channels, 1, 1):expandAs(input))
      end
   end
   return self.output
end

function SimpleColorTransform:updateGradInput(input, gradOutput)
   if not self.train then error('backprop only defined while training', 2) end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

function SimpleColorTransform:type(type, tensorCache)
   self.noise = nil
   return parent.type(self, type, tensorCache)
end

function SimpleColorTransform:__tostring__()
   return 'SimpleColorTransform'
end

return SimpleColorTransform
