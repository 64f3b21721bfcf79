-- nn.PCAColorTransform(inputChannels, eigenVectors, eigenValues[, std]): colour
-- augmentation along the principal components of the pixel values (AlexNet's "fancy PCA").
-- In training, every image draws alpha ~ N(0, std^2) per component (std defaults to 0.1)
-- and adds eigenVectors * (alpha .* eigenValues) to its pixels, one offset per channel.
-- As in the original, that product weights column k of the square eigenVectors matrix by
-- eigenValues[k]. Images are channels x height x width or batches of them. In evaluation
-- the input passes unchanged; the gradient passes through as it is.

local PCAColorTransform, parent = torch.class('nn.PCAColorTransform', 'nn.Module')
local colorTransform = require 'dpnn.colorTransform'

function PCAColorTransform:__init(inputChannels, eigenVectors, eigenValues, std)
   parent.__init(self)
   self.train = true
   if eigenVectors:size(1) ~= inputChannels then
      error("Number of input channels do not match number of eigen vectors.", 2)
   end
   if eigenVectors:dim() ~= 2 or eigenVectors:size(2) ~= eigenVectors:size(1) then
      error("Invalid dimensionality: eigen vectors.", 2)
   end
   if eigenValues:nElement() ~= inputChannels then
      error("Number of input channels do not match number of eigen values.", 2)
   end
   self.inputChannels = inputChannels
   self.eigenVectors = eigenVectors
   self.eigenValues = eigenValues
   self.std = std or 0.1
end

function PCAColorTransform:updateOutput(input)
   local dim, channels = colorTransform.copyInput(self, input)
   if self.train then
      local images = dim == 4 and input:size(1) or 1
      -- One column of weights per image, drawn as channels x images.
      self.alphas = self.alphas or self.output.new()
      self.alphas:resize(channels, images):normal(0, self.std)
      self.alphas:cmul(self.eigenValues:view(channels, 1):typeAs(self.alphas)
         :expand(channels, images))
      self.noise = self.noise or self.output.new()
      self.noise:resize(images, channels)
      self.noise:t():mm(self.eigenVectors:typeAs(self.alphas), self.alphas)
      local offsets = dim == 4 and self.noise:view(images, channels, 1, 1)
         or self.noise:view(channels, 1, 1)
      self.output:add(offsets:expandAs(input))
   end
   return self.output
end

PCAColorTransform.updateGradInput = colorTransform.updateGradInput

function PCAColorTransform:type(type, tensorCache)
   self.noise, self.alphas = nil, nil
   return parent.type(self, type, tensorCache)
end

function PCAColorTransform:__tostring__()
   return string.format('%s channels: %d, std: %f', torch.type(self), self.inputChannels,
      self.std)
end

return PCAColorTransform
