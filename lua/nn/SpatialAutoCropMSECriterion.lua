-- nn.SpatialAutoCropMSECriterion([sizeAverage]): the MSE between the input and the centre
-- of a target of at least the input's height and width (3-D or 4-D).

local SpatialAutoCropMSECriterion, parent = torch.class('nn.SpatialAutoCropMSECriterion',
   'nn.MSECriterion')

function SpatialAutoCropMSECriterion:__init(sizeAverage)
   parent.__init(self, sizeAverage)
end

local function height_width(t)
   local n = t:dim()
   return t:size(n - 1), t:size(n)
end

-- The centred height x width part of t's planes.
local function centre_crop(t, height, width)
   local th, tw = height_width(t)
   assert(height > 0 and height <= th and width > 0 and width <= tw,
      'the crop must fit in the target')
   local n = t:dim()
   return t:narrow(n - 1, 1 + math.floor((th - height) / 2), height)
      :narrow(n, 1 + math.floor((tw - width) / 2), width)
end

function SpatialAutoCropMSECriterion:updateOutput(input, target)
   assert(input:dim() == target:dim(),
      'input and target should have the same number of dimensions')
   assert(input:dim() == 4 or input:dim() == 3, 'input and target must have 3 or 4 dimensions')
   local h, w = height_width(input)
   local th, tw = height_width(target)
   assert(h <= th and w <= tw, 'Spatial resolution of input should be less than or equal to '
      .. 'the spatial resolution of the target')
   return parent.updateOutput(self, input, centre_crop(target, h, w))
end

function SpatialAutoCropMSECriterion:updateGradInput(input, target)
   assert(input:dim() == target:dim(),
      'input and gradOutput should have the same number of dimensions')
   assert(input:dim() == 4 or input:dim() == 3,
      'input and gradOutput must have 3 or 4 dimensions')
   local h, w = height_width(input)
   return parent.updateGradInput(self, input, centre_crop(target, h, w))
end

return SpatialAutoCropMSECriterion
