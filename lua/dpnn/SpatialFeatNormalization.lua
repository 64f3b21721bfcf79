-- nn.SpatialFeatNormalization(mean[, std]): per-plane standardisation of images
-- (planes x height x width, or a batch of them): plane i becomes (x - mean[i]) / std[i]
-- (std defaults to ones). mean and std are 1-D, one value per plane.

local SpatialFeatNormalization, parent = torch.class('nn.SpatialFeatNormalization',
   'nn.Module')

function SpatialFeatNormalization:__init(mean, std)
   parent.__init(self)
   if mean:dim() ~= 1 then error('<SpatialFeatNormalization> Mean/Std should be 1D.', 2) end
   self.mean = torch.Tensor():resizeAs(mean):copy(mean)
   self.std = torch.Tensor():resizeAs(mean)
   if std ~= nil then self.std:copy(std) else self.std:fill(1) end
   self.noOfFeats = mean:size(1)
end

-- The per-plane values viewed to broadcast over an input of the given shape.
function SpatialFeatNormalization:perPlane(values, input, what)
   local dim = input:dim()
   if dim ~= 3 and dim ~= 4 then
      error('<SpatialFeatNormalization> invalid ' .. what .. ' dims.', 3)
   end
   local planes = dim - 2
   if input:size(planes) ~= self.noOfFeats then
      error("<SpatialFeatNormalization> No. of Feats dont match.", 3)
   end
   local shape = input:size():fill(1)
   shape[planes] = self.noOfFeats
   return values:view(shape):expandAs(input)
end

function SpatialFeatNormalization:updateOutput(input)
   self.output:resizeAs(input):copy(input)
      :add(-1, self:perPlane(self.mean, input, 'input'))
      :cdiv(self:perPlane(self.std, input, 'input'))
   return self.output
end

function SpatialFeatNormalization:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
      :cdiv(self:perPlane(self.std, gradOutput, 'self.gradInput'))
   return self.gradInput
end

return SpatialFeatNormalization
