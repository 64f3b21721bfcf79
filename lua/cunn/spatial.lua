-- CUDA versions of the 2-D convolutions and poolings. Geometry comes from the modules' own
-- convShape()/poolShape() (the CPU kernels' structs), so both devices read the fields alike.

local core = require 'cutorch.core'
local dispatch = require 'cunn.dispatch'
local C, ffi, check, implement = core.C, core.ffi, dispatch.check, dispatch.implement

local conv_shape = ffi.new('T7CudaConvShape')
local pool_shape = ffi.new('T7CudaPoolShape')

-- The module's convolution as the CUDA kernels take it (2-D, no groups or dilation).
local function conv_geometry(self, input)
   local s = self:convShape(input)
   if s.dims ~= 2 or s.groups ~= 1 or s.transposed ~= 0 or s.dilation[1] ~= 1
         or s.dilation[2] ~= 1 then
      error(torch.type(self) .. ': the CUDA kernels run plain 2-D convolutions only', 3)
   end
   conv_shape.input_planes, conv_shape.output_planes = s.input_planes, s.output_planes
   conv_shape.kernel_h, conv_shape.kernel_w = s.kernel[1], s.kernel[2]
   conv_shape.stride_h, conv_shape.stride_w = s.stride[1], s.stride[2]
   conv_shape.pad_h, conv_shape.pad_w = s.pad[1], s.pad[2]
   return conv_shape
end

local convolution = {
   updateOutput = function(self, input)
      check(C.t7cu_nn_conv2d_forward(self.output, input, self.weight, self.bias,
         conv_geometry(self, input)), self)
      return self.output
   end,
   updateGradInput = function(self, input, gradOutput)
      if not self.gradInput then return end
      check(C.t7cu_nn_conv2d_backward_input(self.gradInput, input, gradOutput, self.weight,
         conv_geometry(self, input)), self)
      return self.gradInput
   end,
   accGradParameters = function(self, input, gradOutput, scale)
      check(C.t7cu_nn_conv2d_backward_params(self.gradWeight, self.gradBias, input,
         gradOutput, scale or 1, conv_geometry(self, input)), self)
   end,
}
implement('nn.SpatialConvolution', convolution)
implement('nn.SpatialConvolutionMM', convolution)

local function pool_geometry(self)
   local s = self:poolShape()
   if s.dims ~= 2 or s.dilation[1] ~= 1 or s.dilation[2] ~= 1 then
      error(torch.type(self) .. ': the CUDA kernels run plain 2-D poolings only', 3)
   end
   pool_shape.kernel_h, pool_shape.kernel_w = s.kernel[1], s.kernel[2]
   pool_shape.stride_h, pool_shape.stride_w = s.stride[1], s.stride[2]
   pool_shape.pad_h, pool_shape.pad_w = s.pad[1], s.pad[2]
   pool_shape.ceil_mode, pool_shape.count_include_pad = s.ceil_mode, s.count_include_pad
   return pool_shape
end

-- Positions of the maxima live on the GPU, as floats (cutorch's CudaTensor indices).
implement('nn.SpatialMaxPooling', {
   updateOutput = function(self, input)
      if not core.is_tensor(self.indices) then self.indices = torch.CudaTensor() end
      check(C.t7cu_nn_max_pool2d(self.output, self.indices, input, pool_geometry(self)), self)
      return self.output
   end,
   updateGradInput = function(self, input, gradOutput)
      check(C.t7cu_nn_max_pool2d_backward(self.gradInput, input, gradOutput, self.indices),
         self)
      return self.gradInput
   end,
})

implement('nn.SpatialAveragePooling', {
   updateOutput = function(self, input)
      check(C.t7cu_nn_avg_pool2d(self.output, input, pool_geometry(self)), self)
      return self.output
   end,
   updateGradInput = function(self, input, gradOutput)
      if not self.gradInput then return end
      check(C.t7cu_nn_avg_pool2d_backward(self.gradInput, input, gradOutput,
         pool_geometry(self)), self)
      return self.gradInput
   end,
})
