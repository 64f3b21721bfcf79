-- nn.SimpleColorTransform(inputChannels, range): colour augmentation. In training, every
-- image gets one offset per channel c, drawn uniformly from [-range[c], range[c]] and added
-- to all of that channel's pixels. Images are channels x height x width or batches of them;
-- range holds one value per channel. In evaluation the input passes unchanged; the gradient
-- passes through as it is.

local SimpleColorTransform, parent = torch.class('nn.SimpleColorTransform', 'nn.Module')
local colorTransform = require 'dpnn.colorTransform'

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
   local dim, channels = colorTransform.copyInput(self, input)
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

SimpleColorTransform.updateGradInput = colorTransform.updateGradInput

function SimpleColorTransform:type(type, tensorCache)
   self.noise = nil
   return parent.type(self, type, tensorCache)
end

function SimpleColorTransform:__tostring__()
   return 'SimpleColorTransform'
end

return SimpleColorTransform
