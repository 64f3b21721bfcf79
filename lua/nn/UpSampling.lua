-- nn.UpSampling(scale[, mode]) or nn.UpSampling({[odepth=d,] oheight=h, owidth=w},
-- 'linear'): up-sampling of 4-D (batch x planes x h x w) or 5-D (with depth) input, by
-- nearest neighbour (the default mode; an integer scale) or linear interpolation (mode
-- 'linear', 'bilinear' or 'trilinear': to scale times the size, or to the sizes given).

local UpSampling, parent = torch.class('nn.UpSampling', 'nn.Module')
local THNN = require 'nn.THNN'
local resampling = require 'nn.resampling'

function UpSampling:__init(params, mode)
   parent.__init(self)
   if mode == 'linear' or mode == 'bilinear' or mode == 'trilinear' then
      self.mode = 'linear'
   else
      self.mode = 'nearest'
   end
   if torch.type(params) == 'table' then
      if self.mode == 'nearest' then
         error('Nearest neighbour upsampling requires a scale_factor', 2)
      end
      self.odepth, self.owidth, self.oheight = params.odepth, params.owidth, params.oheight
      if self.owidth == nil or self.oheight == nil then
         error('Output height and width parameters are required', 2)
      end
   else
      self.scale_factor = params
      resampling.checkScale(params)
   end
   self.inputSize = torch.LongStorage(5):fill(0)
   self.outputSize = torch.LongStorage(5):fill(0)
end

-- Spatial dimensions, and the kernel's scale and sizes.
function UpSampling:plan(input)
   local n = input:dim()
   if n < 4 or n > 5 then THNN.fail(self, 'only supports 4D or 5D tensors, got %s',
      THNN.sizes(input)) end
   local dims = n - 2
   if self.mode == 'nearest' then return dims, self.scale_factor end
   local sizes = {}
   if self.scale_factor then
      for d = 3, n do sizes[#sizes + 1] = input:size(d) * self.scale_factor end
   else
      if dims == 3 then
         if self.odepth == nil then
            THNN.fail(self, 'No output depth dimension was supplied for volumetric upsampling')
         end
         sizes[1] = self.odepth
      end
      sizes[#sizes + 1] = self.oheight
      sizes[#sizes + 1] = self.owidth
   end
   return dims, 0, sizes
end

function UpSampling:updateOutput(input)
   local dims, scale, sizes = self:plan(input)
   return resampling.updateOutput(self, input, dims, scale, sizes)
end

function UpSampling:updateGradInput(input, gradOutput)
   local dims, scale, sizes = self:plan(input)
   return resampling.updateGradInput(self, input, gradOutput, dims, scale, sizes)
end

function UpSampling:__tostring__()
   if self.scale_factor then
      return string.format('%s(%dx, %s)', torch.type(self), self.scale_factor, self.mode)
   end
   if self.odepth then
      return string.format('%s(%dx%dx%d, %s)', torch.type(self), self.odepth, self.oheight,
         self.owidth, self.mode)
   end
   return string.format('%s(%dx%d, %s)', torch.type(self), self.oheight, self.owidth,
      self.mode)
end

return UpSampling
