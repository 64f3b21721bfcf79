-- nn.SpatialUniformCrop(oheight[, owidth]): in training, a crop of oheight x owidth at a
-- uniformly drawn place of each image (batch x planes x height x width, or one image);
-- in evaluation, the centre crop. The gradient goes back to the cropped places.
-- dpnn's third argument (random rescaling through nnx's SpatialReSampling) needs nnx,
-- which is not available: it is refused.

local SpatialUniformCrop, parent = torch.class('nn.SpatialUniformCrop', 'nn.Module')

function SpatialUniformCrop:__init(oheight, owidth, scale)
   parent.__init(self)
   if scale ~= nil then
      error('nn.SpatialUniformCrop: the scale argument needs nnx.SpatialReSampling, '
         .. 'which is not available', 2)
   end
   self.oheight = oheight
   self.owidth = owidth or oheight
end

function SpatialUniformCrop:updateOutput(input)
   input = self:toBatch(input, 3)
   local n, planes, iH, iW = input:size(1), input:size(2), input:size(3), input:size(4)
   self.output:resize(n, planes, self.oheight, self.owidth)
   self.coord = self.coord or torch.IntTensor()
   self.coord:resize(n, 2)
   if self.train ~= false then
      for i = 1, n do
         local h = math.ceil(torch.uniform(1e-2, iH - self.oheight))
         local w = math.ceil(torch.uniform(1e-2, iW - self.owidth))
         self.output[i]:copy(input[i]:narrow(2, h, self.oheight):narrow(3, w, self.owidth))
         self.coord[i][1], self.coord[i][2] = h, w
      end
   else
      local h = math.ceil((iH - self.oheight) / 2)
      local w = math.ceil((iW - self.owidth) / 2)
      self.output:copy(input:narrow(3, h, self.oheight):narrow(4, w, self.owidth))
   end
   self.output = self:fromBatch(self.output, 1)
   return self.output
end

function SpatialUniformCrop:updateGradInput(input, gradOutput)
   input = self:toBatch(input, 3)
   gradOutput = self:toBatch(gradOutput, 3)
   self.gradInput:resizeAs(input):zero()
   for i = 1, input:size(1) do
      local h, w = self.coord[i][1], self.coord[i][2]
      self.gradInput[i]:narrow(2, h, self.oheight):narrow(3, w, self.owidth)
         :copy(gradOutput[i])
   end
   self.gradInput = self:fromBatch(self.gradInput, 1)
   return self.gradInput
end

function SpatialUniformCrop:type(typename, cache)
   self.coord = nil
   return parent.type(self, typename, cache)
end

return SpatialUniformCrop
