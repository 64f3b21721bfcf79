"""Every nn module with a backward, checked against central finite differences of its own
forward (gradInput, and the gradient of each parameter tensor), on one sample and on a
batch; the same module converted to Float against the Double results; and every
criterion's gradient against finite differences of its loss.

The finite differences are computed here, independently of nn.Jacobian: each input or
parameter element moves by +-h, and d/dx sum(gradOutput * output) is compared with what
backward gave. Inputs may be nested tables of tensors (index tensors are not perturbed).

Modules that call tensor functions being written on other branches are skipped until those
functions exist (the cases marked needs(...)).
"""
import numpy as np
import pytest

from test_nn_support import lua, needs


# The Lua side: random gradOutputs over nested outputs, and the finite-difference check.
GRADCHECK = r"""
local function tensors(x, list)
   list = list or {}
   if torch.isTensor(x) then list[#list + 1] = x
   elseif type(x) == 'table' then for _, v in ipairs(x) do tensors(v, list) end end
   return list
end

local function floating(t)
   local k = torch.type(t)
   return k == 'torch.DoubleTensor' or k == 'torch.FloatTensor'
end

local function randomLike(x)
   if torch.isTensor(x) then return x.new(x:size()):normal() end
   local r = {}
   for i, v in ipairs(x) do r[i] = randomLike(v) end
   return r
end

local function copyOf(x)
   if torch.isTensor(x) then return x:clone() end
   local r = {}
   for i, v in ipairs(x) do r[i] = copyOf(v) end
   return r
end

-- sum over the nested output of output .* gradOutput, in double precision
local function dot(out, go)
   local a, b = tensors(out), tensors(go)
   assert(#a == #b, 'output and gradOutput structures differ')
   local s = 0
   for i = 1, #a do
      s = s + a[i]:double():clone():cmul(b[i]:double()):sum()
   end
   return s
end

-- Largest |numeric - analytic| over the elements of the floating tensors in vars, with
-- grads the matching analytic gradients, f() the scalar function.
local function compare(vars, grads, f, h)
   local worst = 0
   for k, v in ipairs(vars) do
      if floating(v) then
         assert(v:isContiguous(), 'variables must be contiguous')
         local flat = v:view(v:nElement())
         local g = grads[k]:contiguous():view(grads[k]:nElement())
         for i = 1, flat:nElement() do
            local x = flat[i]
            flat[i] = x + h
            local above = f()
            flat[i] = x - h
            local below = f()
            flat[i] = x
            local numeric = (above - below) / (2 * h)
            worst = math.max(worst, math.abs(numeric - g[i]))
         end
      end
   end
   return worst
end

-- {input = max error of gradInput, params = max error over the parameter gradients}
function gradcheck(m, input, h)
   h = h or 1e-6
   local out = m:forward(input)
   local go = randomLike(out)
   m:zeroGradParameters()
   local gi = copyOf(m:backward(input, go))
   local params, gradParams = m:parameters()
   local gparams = {}
   for i, g in ipairs(gradParams or {}) do gparams[i] = g:clone() end
   local f = function() return dot(m:forward(input), go) end
   local inputs, gradInputs = tensors(input), tensors(gi)
   local used = {}
   for i, v in ipairs(inputs) do
      if floating(v) then used[#used + 1] = i end
   end
   local vars, grads = {}, {}
   for _, i in ipairs(used) do
      assert(gradInputs[i], 'no gradInput for input tensor ' .. i)
      assert(gradInputs[i]:nElement() == inputs[i]:nElement(),
             'gradInput ' .. i .. ' has ' .. gradInputs[i]:nElement() .. ' elements, input '
             .. inputs[i]:nElement())
      vars[#vars + 1] = inputs[i]
      grads[#grads + 1] = gradInputs[i]
   end
   local result = {input = compare(vars, grads, f, h), params = 0}
   if params then
      result.params = compare(params, gparams, f, h)
   end
   return result
end

-- Float against Double: the module m (Double), a Float copy, the same input; the largest
-- relative difference over output, gradInput and parameter gradients.
function floatcheck(m, input)
   m:forward(input)       -- draws what a first forward draws (fractional pooling regions)
   local mf = m:clone():float()
   local function asFloat(x)
      if torch.isTensor(x) then return floating(x) and x:float() or x:clone() end
      local r = {}
      for i, v in ipairs(x) do r[i] = asFloat(v) end
      return r
   end
   local inputf = asFloat(input)
   local out = copyOf(m:forward(input))
   local go = randomLike(out)
   m:zeroGradParameters()
   local gi = copyOf(m:backward(input, go))
   local outf = copyOf(mf:forward(inputf))
   mf:zeroGradParameters()
   local gif = copyOf(mf:backward(inputf, asFloat(go)))
   local worst = 0
   local function cmp(a, b)
      local ta, tb = tensors(a), tensors(b)
      assert(#ta == #tb)
      for i = 1, #ta do
         if floating(ta[i]) then
            assert(torch.type(tb[i]) == 'torch.FloatTensor', 'Float module gave a '
                   .. torch.type(tb[i]))
            local scale = math.max(1, torch.abs(ta[i]):max())
            local d = (ta[i] - tb[i]:double()):abs():max() / scale
            worst = math.max(worst, d)
         end
      end
   end
   cmp(out, outf)
   cmp(gi, gif)
   local _, g = m:parameters()
   local _, gf = mf:parameters()
   if g then cmp(g, gf) end
   return worst
end
"""

# (id, Lua constructor, Lua input, marks); the input expressions run after
# torch.manualSeed, and may use `n(...)` for torch.randn, `u(...)` for values in [0.5, 1.5] and
# evaluated(m) for m in evaluation mode.
CASES = [
    # transfer functions, element-wise
    ("Tanh", "nn.Tanh()", "n(3, 4)"),
    ("Sigmoid", "nn.Sigmoid()", "n(5)"),
    ("ReLU", "nn.ReLU()", "n(3, 4)"),
    ("ReLU6", "nn.ReLU6()", "n(3, 4):mul(4)"),
    ("HardTanh", "nn.HardTanh()", "n(3, 4)"),
    ("HardTanh-bounds", "nn.HardTanh(-0.5, 0.7)", "n(2, 3, 4)"),
    ("Threshold", "nn.Threshold(0.1, 2)", "n(4, 3)"),
    ("LeakyReLU", "nn.LeakyReLU(0.1)", "n(3, 4)"),
    ("ELU", "nn.ELU(0.7)", "n(3, 4)"),
    ("SoftPlus", "nn.SoftPlus()", "n(3, 4)"),
    ("SoftPlus-beta", "nn.SoftPlus(2, 1)", "n(3, 4)"),
    ("SoftShrink", "nn.SoftShrink(0.3)", "n(3, 4)"),
    ("HardShrink", "nn.HardShrink(0.3)", "n(3, 4)"),
    ("LogSigmoid", "nn.LogSigmoid()", "n(3, 4)"),
    ("SoftSign", "nn.SoftSign()", "n(3, 4)"),
    ("TanhShrink", "nn.TanhShrink()", "n(3, 4)"),
    ("Abs", "nn.Abs()", "n(3, 4)"),
    ("Square", "nn.Square()", "n(3, 4)"),
    ("Sqrt", "nn.Sqrt()", "u(3, 4)"),
    ("Exp", "nn.Exp()", "n(3, 4)"),
    ("Log", "nn.Log()", "u(3, 4)"),
    ("Power", "nn.Power(2.5)", "u(3, 4)"),
    ("Clamp", "nn.Clamp(-0.5, 0.5)", "n(3, 4)"),
    ("AddConstant", "nn.AddConstant(3)", "n(3, 4)"),
    ("MulConstant", "nn.MulConstant(-2)", "n(3, 4)"),
    ("RReLU-evaluate", "evaluated(nn.RReLU(0.1, 0.3))", "n(3, 4)"),
    ("PReLU-shared", "nn.PReLU()", "n(3, 4)"),
    ("PReLU-planes", "nn.PReLU(3)", "n(3)"),
    ("PReLU-planes-3d", "nn.PReLU(3)", "n(2, 3, 4)"),
    ("PReLU-planes-batch", "nn.PReLU(3)", "n(2, 3, 2, 2)"),
    ("SoftMax-1d", "nn.SoftMax()", "n(5)"),
    ("SoftMax-2d", "nn.SoftMax()", "n(3, 5)"),
    ("SoftMax-3d", "nn.SoftMax()", "n(4, 2, 3)"),
    ("SoftMax-4d", "nn.SoftMax()", "n(2, 4, 2, 3)"),
    ("LogSoftMax", "nn.LogSoftMax()", "n(3, 5)"),
    ("LogSoftMax-4d", "nn.LogSoftMax()", "n(2, 4, 2, 3)"),
    ("SoftMin", "nn.SoftMin()", "n(3, 5)"),
    ("SpatialSoftMax", "nn.SpatialSoftMax()", "n(2, 3, 2, 2)"),
    ("SpatialLogSoftMax", "nn.SpatialLogSoftMax()", "n(2, 3, 2, 2)"),
    ("CReLU", "nn.CReLU(3)", "n(2, 3, 2, 2)", needs("equal")),
    ("GatedLinearUnit", "nn.GatedLinearUnit()", "n(3, 4)"),
    ("Dropout-evaluate", "evaluated(nn.Dropout(0.3))", "n(3, 4)"),
    # shape and selection
    ("Identity", "nn.Identity()", "n(3, 4)"),
    ("Contiguous", "nn.Contiguous()", "n(4, 3):t():contiguous()"),
    ("Copy", "nn.Copy('torch.DoubleTensor', 'torch.DoubleTensor')", "n(3, 4)"),
    ("Reshape", "nn.Reshape(2, 6)", "n(3, 12)"),
    ("View", "nn.View(-1, 2)", "n(3, 4)"),
    ("Transpose", "nn.Transpose({1, 2}, {2, 3})", "n(2, 3, 4)"),
    ("Squeeze", "nn.Squeeze()", "n(3, 1, 4)"),
    ("Unsqueeze", "nn.Unsqueeze(2)", "n(3, 4)"),
    ("Narrow", "nn.Narrow(2, 2, 2)", "n(3, 4)"),
    ("Narrow-negative", "nn.Narrow(2, 2, -2)", "n(3, 5)"),
    ("Select", "nn.Select(2, 3)", "n(3, 4)"),
    ("Replicate", "nn.Replicate(3, 2)", "n(2, 4)"),
    ("Padding-after", "nn.Padding(1, 2)", "n(3, 4)"),
    ("Padding-before", "nn.Padding(1, -2, nil, 5)", "n(3, 4)"),
    ("Collapse", "nn.Collapse(2)", "n(3, 2, 2)"),
    ("PixelShuffle", "nn.PixelShuffle(2)", "n(2, 8, 2, 3)"),
    ("Mean", "nn.Mean(2)", "n(3, 4)"),
    ("Sum", "nn.Sum(2)", "n(3, 4)"),
    ("Sum-batch-average", "nn.Sum(1, 1, true)", "n(3, 4)"),
    ("Max", "nn.Max(2)", "n(3, 4)", needs("scatter")),
    ("Min", "nn.Min(1)", "n(3, 4)", needs("scatter")),
    ("Normalize-2", "nn.Normalize(2)", "n(3, 4)", needs("norm")),
    ("Normalize-inf", "nn.Normalize(math.huge)", "n(3, 4)", needs("norm")),
    ("Normalize-1.5", "nn.Normalize(1.5)", "n(3, 4)", needs("norm")),
    ("Bottle", "nn.Bottle(nn.Linear(4, 3))", "n(2, 3, 4)"),
    ("Maxout", "nn.Maxout(4, 3, 2)", "n(2, 4)", needs("scatter")),
    ("LayerNormalization", "nn.LayerNormalization(4)", "n(3, 4)", needs("repeatTensor")),
    # parameterised
    ("Linear", "nn.Linear(4, 3)", "n(4)"),
    ("Linear-batch", "nn.Linear(4, 3)", "n(2, 4)"),
    ("Linear-noBias", "nn.Linear(4, 3, false)", "n(2, 4)"),
    ("LinearWeightNorm", "nn.LinearWeightNorm(4, 3)", "n(2, 4)"),
    ("WeightNorm", "nn.WeightNorm(nn.Linear(4, 3))", "n(2, 4)"),
    ("PartialLinear", "nn.PartialLinear(5, 3)", "n(2, 5)", needs("index")),
    ("Add", "nn.Add(5)", "n(2, 5)"),
    ("Add-scalar", "nn.Add(1, true)", "n(2, 5)"),
    ("Mul", "nn.Mul()", "n(2, 5)"),
    ("CMul", "nn.CMul(5)", "n(2, 5)"),
    ("CMul-2d", "nn.CMul(4, 3)", "n(2, 4, 3)"),
    ("CMul-broadcast", "nn.CMul(1, 3)", "n(4, 3)"),
    ("CAdd", "nn.CAdd(3, 1)", "n(3, 4)"),
    ("Euclidean", "nn.Euclidean(4, 3)", "n(2, 4)"),
    ("WeightedEuclidean", "nn.WeightedEuclidean(4, 3)", "n(2, 4)", needs("repeatTensor")),
    ("Cosine", "nn.Cosine(4, 3)", "n(2, 4)", needs("norm")),
    ("BatchNormalization", "nn.BatchNormalization(4)", "n(5, 4)"),
    ("BatchNormalization-noaffine", "nn.BatchNormalization(4, nil, nil, false)", "n(5, 4)"),
    ("BatchNormalization-evaluate", "evaluated(nn.BatchNormalization(4))", "n(5, 4)"),
    ("SpatialBatchNormalization", "nn.SpatialBatchNormalization(3)", "n(2, 3, 2, 2)"),
    ("VolumetricBatchNormalization", "nn.VolumetricBatchNormalization(2)",
     "n(2, 2, 2, 2, 2)"),
    ("SpatialCrossMapLRN", "nn.SpatialCrossMapLRN(3, 0.5, 0.75, 2)", "n(2, 4, 3, 3)"),
    ("SpatialCrossMapLRN-single", "nn.SpatialCrossMapLRN(5)", "n(4, 3, 3)"),
    # convolutions
    ("SpatialConvolution", "nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1)", "n(2, 5, 5)"),
    ("SpatialConvolution-batch", "nn.SpatialConvolution(2, 3, 3, 2, 2, 1, 0, 1)",
     "n(2, 2, 6, 5)"),
    ("SpatialConvolution-noBias", "nn.SpatialConvolution(2, 3, 3, 3):noBias()",
     "n(2, 2, 5, 5)"),
    ("SpatialConvolutionMM", "nn.SpatialConvolutionMM(2, 3, 3, 3, 2, 2, 1, 1)",
     "n(2, 2, 6, 6)"),
    ("SpatialDilatedConvolution", "nn.SpatialDilatedConvolution(2, 3, 3, 3, 1, 1, 1, 1, 2, 2)",
     "n(2, 2, 6, 6)"),
    ("SpatialFullConvolution", "nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1, 1, 1)",
     "n(2, 2, 3, 3)"),
    ("SpatialFullConvolution-single", "nn.SpatialFullConvolution(2, 3, 3, 3)", "n(2, 3, 3)"),
    ("SpatialDepthWiseConvolution", "nn.SpatialDepthWiseConvolution(2, 2, 3, 3, 1, 1, 1, 1)",
     "n(2, 2, 4, 4)"),
    ("SpatialConvolutionLocal", "nn.SpatialConvolutionLocal(2, 3, 5, 5, 3, 3)",
     "n(2, 2, 5, 5)"),
    ("SpatialConvolutionMap", "nn.SpatialConvolutionMap(nn.tables.full(2, 3), 3, 3)",
     "n(2, 5, 5)"),
    ("SpatialFullConvolutionMap",
     "nn.SpatialFullConvolutionMap(nn.tables.oneToOne(2), 3, 3, 2, 2)",
     "n(2, 3, 3)"),
    ("SpatialSubSampling", "nn.SpatialSubSampling(2, 2, 2, 2, 2)", "n(2, 2, 4, 4)"),
    ("VolumetricConvolution", "nn.VolumetricConvolution(2, 3, 2, 3, 3, 1, 1, 1, 0, 1, 1)",
     "n(2, 2, 3, 4, 4)"),
    ("VolumetricDilatedConvolution",
     "nn.VolumetricDilatedConvolution(2, 2, 2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2)",
     "n(2, 4, 4, 4)"),
    ("VolumetricFullConvolution", "nn.VolumetricFullConvolution(2, 2, 2, 3, 3, 2, 2, 2)",
     "n(2, 2, 2, 2, 2)"),
    ("TemporalConvolution", "nn.TemporalConvolution(4, 3, 3)", "n(6, 4)"),
    ("TemporalConvolution-batch", "nn.TemporalConvolution(4, 3, 3, 2)", "n(2, 7, 4)"),
    ("TemporalRowConvolution", "nn.TemporalRowConvolution(4, 3)", "n(2, 6, 4)"),
    ("TemporalRowConvolution-featFirst", "nn.TemporalRowConvolution(4, 3, 2, true)",
     "n(4, 7)"),
    ("TemporalSubSampling", "nn.TemporalSubSampling(4, 3, 2)", "n(7, 4)"),
    # pooling
    ("SpatialMaxPooling", "nn.SpatialMaxPooling(2, 2)", "n(2, 2, 4, 4)"),
    ("SpatialMaxPooling-ceil-pad", "nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1):ceil()",
     "n(2, 5, 6)"),
    ("SpatialDilatedMaxPooling", "nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 2, 2)",
     "n(2, 2, 5, 5)"),
    ("SpatialAveragePooling", "nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1)", "n(2, 2, 5, 5)"),
    ("SpatialAveragePooling-exclude-ceil",
     "nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1):ceil():setCountExcludePad()", "n(2, 6, 6)"),
    ("SpatialAdaptiveMaxPooling", "nn.SpatialAdaptiveMaxPooling(3, 2)", "n(2, 2, 5, 7)"),
    ("SpatialAdaptiveAveragePooling", "nn.SpatialAdaptiveAveragePooling(3, 2)",
     "n(2, 5, 7)"),
    ("SpatialLPPooling", "nn.SpatialLPPooling(2, 2, 2, 2, 2, 2)", "u(2, 4, 4)"),
    ("SpatialFractionalMaxPooling",
     "nn.SpatialFractionalMaxPooling(2, 2, 4, 4):fixPoolingRegions()", "n(2, 2, 7, 7)"),
    ("SpatialFractionalMaxPooling-ratio",
     "nn.SpatialFractionalMaxPooling(2, 2, 0.6, 0.6):fixPoolingRegions()", "n(2, 7, 7)"),
    ("VolumetricMaxPooling", "nn.VolumetricMaxPooling(2, 2, 2)", "n(2, 2, 4, 4, 4)"),
    ("VolumetricMaxPooling-pad-ceil", "nn.VolumetricMaxPooling(2, 2, 2, 2, 2, 2, 1, 1, 1):ceil()",
     "n(2, 3, 4, 5)"),
    ("VolumetricDilatedMaxPooling",
     "nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2)", "n(2, 4, 4, 4)"),
    ("VolumetricAveragePooling", "nn.VolumetricAveragePooling(2, 2, 2, 1, 1, 1)",
     "n(2, 2, 3, 3, 3)"),
    ("VolumetricFractionalMaxPooling",
     "nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 3, 3):fixPoolingRegions()",
     "n(2, 2, 5, 5, 5)"),
    ("TemporalMaxPooling", "nn.TemporalMaxPooling(2)", "n(6, 3)"),
    ("TemporalMaxPooling-batch", "nn.TemporalMaxPooling(3, 2)", "n(2, 7, 3)"),
    ("TemporalDynamicKMaxPooling", "nn.TemporalDynamicKMaxPooling(2)", "n(2, 5, 3)",
     needs("sort")),
    ("FeatureLPPooling", "nn.FeatureLPPooling(2, 2, 2)", "u(2, 6)"),
    ("FeatureLPPooling-batch", "nn.FeatureLPPooling(3, 1, 2, true)", "u(2, 6, 2)"),
    ("SpatialMaxUnpooling",
     "(function() local p = nn.SpatialMaxPooling(2, 2) return nn.Sequential():add(p)"
     ":add(nn.SpatialMaxUnpooling(p)) end)()", "n(2, 2, 4, 4)"),
    ("VolumetricMaxUnpooling",
     "(function() local p = nn.VolumetricMaxPooling(2, 2, 2) return nn.Sequential():add(p)"
     ":add(nn.VolumetricMaxUnpooling(p)) end)()", "n(2, 4, 4, 4)"),
    # padding, resampling, local normalisations
    ("SpatialZeroPadding", "nn.SpatialZeroPadding(1, 2, -1, 1)", "n(2, 2, 3, 3)"),
    ("SpatialReflectionPadding", "nn.SpatialReflectionPadding(1, 2, 2, 1)", "n(2, 2, 3, 4)"),
    ("SpatialReplicationPadding", "nn.SpatialReplicationPadding(1, 2, 2, 1)", "n(2, 3, 4)"),
    ("VolumetricReplicationPadding", "nn.VolumetricReplicationPadding(1, 0, 2, 1, 1, 0)",
     "n(2, 2, 2, 3, 2)"),
    ("SpatialUpSamplingNearest", "nn.SpatialUpSamplingNearest(2)", "n(2, 2, 2, 3)"),
    ("SpatialUpSamplingBilinear", "nn.SpatialUpSamplingBilinear(2)", "n(2, 2, 2, 3)"),
    ("SpatialUpSamplingBilinear-size", "nn.SpatialUpSamplingBilinear({oheight = 5, owidth = 4})",
     "n(2, 3, 2)"),
    ("UpSampling-nearest", "nn.UpSampling(2, 'nearest')", "n(2, 2, 2, 2, 2)"),
    ("UpSampling-linear", "nn.UpSampling(2, 'linear')", "n(2, 2, 2, 2, 2)"),
    ("SpatialSubtractiveNormalization",
     "nn.SpatialSubtractiveNormalization(2, torch.Tensor{1, 2, 1})", "n(2, 2, 5, 4)"),
    ("SpatialDivisiveNormalization",
     "nn.SpatialDivisiveNormalization(2, torch.Tensor(3, 3):fill(1))", "n(2, 5, 4)"),
    ("SpatialContrastiveNormalization",
     "nn.SpatialContrastiveNormalization(2, torch.Tensor{1, 2, 1})", "n(2, 2, 5, 4)"),
    # tables
    ("CAddTable", "nn.CAddTable()", "{n(3, 4), n(3, 4), n(3, 4)}"),
    ("CSubTable", "nn.CSubTable()", "{n(3, 4), n(3, 4)}"),
    ("CMulTable", "nn.CMulTable()", "{n(3, 4), n(3, 4), n(3, 4)}"),
    ("CDivTable", "nn.CDivTable()", "{n(3, 4), u(3, 4)}"),
    ("CMaxTable", "nn.CMaxTable()", "{n(3, 4), n(3, 4), n(3, 4)}", needs("gt")),
    ("CMinTable", "nn.CMinTable()", "{n(3, 4), n(3, 4)}", needs("lt")),
    ("CAddTensorTable", "nn.CAddTensorTable()", "{n(4), {n(4), n(4)}}"),
    ("JoinTable", "nn.JoinTable(2)", "{n(3, 2), n(3, 4)}", needs("cat")),
    ("JoinTable-nInputDims", "nn.JoinTable(1, 1)", "{n(2, 3), n(2, 2)}", needs("cat")),
    ("SplitTable", "nn.SplitTable(2)", "n(3, 4)"),
    ("SplitTable-nInputDims", "nn.SplitTable(1, 2)", "n(2, 3, 4)"),
    ("NarrowTable", "nn.NarrowTable(2, 2)", "{n(2), n(3), n(4), n(1)}"),
    ("SelectTable", "nn.SelectTable(-1)", "{n(2), {n(3), n(1)}}"),
    ("FlattenTable", "nn.FlattenTable()", "{n(2), {n(3), {n(1)}}, n(2)}"),
    ("ConcatTable", "nn.ConcatTable():add(nn.Linear(4, 2)):add(nn.Tanh())", "n(3, 4)"),
    ("ParallelTable", "nn.ParallelTable():add(nn.Linear(4, 2)):add(nn.Sigmoid())",
     "{n(3, 4), n(2)}"),
    ("MapTable", "nn.MapTable(nn.Linear(3, 2))", "{n(3), n(3), n(3)}"),
    ("ZipTable", "nn.ZipTable()", "{{n(2), n(3)}, {n(1), n(2)}}"),
    ("ZipTableOneToMany", "nn.ZipTableOneToMany()", "{n(2), {n(3), n(1)}}"),
    ("MixtureTable", "nn.MixtureTable()",
     "{nn.SoftMax():forward(n(2, 3)), {n(2, 4), n(2, 4), n(2, 4)}}"),
    ("MixtureTable-tensor", "nn.MixtureTable(2)", "{nn.SoftMax():forward(n(2, 3)), n(2, 3, 4)}"),
    ("DotProduct", "nn.DotProduct()", "{n(3, 4), n(3, 4)}"),
    ("CosineDistance", "nn.CosineDistance()", "{n(3, 4), n(3, 4)}"),
    ("CosineDistance-single", "nn.CosineDistance()", "{n(4), n(4)}"),
    ("PairwiseDistance-2", "nn.PairwiseDistance(2)", "{n(3, 4), n(3, 4)}", needs("norm")),
    ("PairwiseDistance-1", "nn.PairwiseDistance(1)", "{n(4), n(4)}", needs("norm")),
    ("MM", "nn.MM()", "{n(2, 3), n(3, 4)}"),
    ("MM-transposed", "nn.MM(true, true)", "{n(3, 2), n(4, 3)}"),
    ("MM-batch", "nn.MM(false, true)", "{n(2, 2, 3), n(2, 4, 3)}", needs("bmm")),
    ("MV", "nn.MV()", "{n(2, 3), n(3)}"),
    ("MV-batch", "nn.MV(true)", "{n(2, 3, 2), n(2, 3)}", needs("bmm")),
    ("Bilinear", "nn.Bilinear(3, 2, 4)", "{n(5, 3), n(5, 2)}"),
    ("Index", "nn.Index(1)", "{n(5, 3), torch.LongTensor{2, 5, 2}}", needs("index")),
    ("MaskedSelect", "nn.MaskedSelect()", "{n(3, 4), torch.ByteTensor(3, 4):bernoulli(0.5)}",
     needs("maskedSelect")),
    ("Concat", "nn.Concat(2):add(nn.Linear(3, 2)):add(nn.Linear(3, 4))", "n(2, 3)"),
    ("DepthConcat", "nn.DepthConcat(2):add(nn.SpatialConvolution(2, 3, 1, 1))"
     ":add(nn.SpatialConvolution(2, 2, 3, 3))", "n(2, 2, 4, 4)"),
    ("Parallel", "nn.Parallel(1, 1):add(nn.Linear(3, 2)):add(nn.Linear(3, 4))", "n(2, 3)",
     needs("cat")),
    ("Sequential-nested", "nn.Sequential():add(nn.Linear(4, 3)):add(nn.Sequential()"
     ":add(nn.Tanh()):add(nn.Linear(3, 2)))", "n(2, 4)"),
]

def _param(case):
    ident, ctor, input_expr, *marks = case
    return pytest.param(ctor, input_expr, id=ident, marks=marks)


PARAMS = [_param(c) for c in CASES]

SETUP = """
local function n(...) return torch.randn(...) end
local function u(...) return torch.rand(...):add(0.5) end
local function evaluated(m) m:evaluate() return m end
"""


@pytest.mark.parametrize("ctor, input_expr", PARAMS)
def test_gradients_against_finite_differences(ctor, input_expr):
    result = lua(GRADCHECK + SETUP + """
        torch.setdefaulttensortype('torch.DoubleTensor')
        torch.manualSeed(1)
        local m = %s
        local input = %s
        return gradcheck(m, input)
    """ % (ctor, input_expr))
    assert result["input"] < 1e-5, result
    assert result["params"] < 1e-5, result


@pytest.mark.parametrize("ctor, input_expr", PARAMS)
def test_float_matches_double(ctor, input_expr):
    worst = lua(GRADCHECK + SETUP + """
        torch.manualSeed(2)
        local m = %s
        local input = %s
        return floatcheck(m, input)
    """ % (ctor, input_expr))
    assert worst < 1e-4


# -- criterions ------------------------------------------------------------------------------

# Appended to GRADCHECK (its tensors and compare).
CRITERIONCHECK = r"""
-- the largest |numeric - analytic| gradient error of c at (input, target), and the loss
function critcheck(c, input, target, h)
   h = h or 1e-6
   local loss = c:forward(input, target)
   local grads = {}
   for i, t in ipairs(tensors(c:backward(input, target))) do grads[i] = t:clone() end
   local vars = {}
   for k, v in ipairs(tensors(input)) do
      if not grads[k] then break end     -- inputs without a gradient (CriterionTable's target)
      vars[k] = v
   end
   return compare(vars, grads, function() return c:forward(input, target) end, h), loss
end
"""

# (id, Lua constructor, input, target)
CRITERIA = [
    ("MSE", "nn.MSECriterion()", "n(3, 4)", "n(3, 4)"),
    ("MSE-sum", "nn.MSECriterion(false)", "n(5)", "n(5)"),
    ("Abs", "nn.AbsCriterion()", "n(3, 4)", "n(3, 4)"),
    ("SmoothL1", "nn.SmoothL1Criterion()", "n(3, 4)", "n(3, 4)"),
    ("SmoothL1-sum", "nn.SmoothL1Criterion(false)", "n(3, 4)", "n(3, 4)"),
    ("BCE", "nn.BCECriterion()", "torch.rand(3, 4):mul(0.8):add(0.1)",
     "torch.rand(3, 4):gt(0.5):double()", needs("gt")),
    ("BCE-weights", "nn.BCECriterion(torch.rand(4))", "torch.rand(3, 4):mul(0.8):add(0.1)",
     "torch.Tensor(3, 4):bernoulli(0.5)"),
    ("BCE-single", "nn.BCECriterion()", "torch.rand(4):mul(0.8):add(0.1)",
     "torch.Tensor(4):bernoulli(0.5)"),
    ("ClassNLL", "nn.ClassNLLCriterion()", "n(3, 4)", "torch.Tensor{1, 4, 2}"),
    ("ClassNLL-weights", "nn.ClassNLLCriterion(torch.rand(4))", "n(3, 4)",
     "torch.Tensor{1, 4, 2}"),
    ("CrossEntropy", "nn.CrossEntropyCriterion()", "n(3, 4)", "torch.Tensor{3, 4, 1}"),
    ("DistKLDiv", "nn.DistKLDivCriterion()", "n(3, 4)", "torch.rand(3, 4):add(0.1)"),
    ("Margin", "nn.MarginCriterion(0.5)", "n(6)", "torch.Tensor{1, -1, 1, 1, -1, -1}"),
    ("SoftMargin", "nn.SoftMarginCriterion()", "n(2, 3)", "torch.Tensor{{1, -1, 1}, {-1, -1, 1}}"),
    ("MultiMargin", "nn.MultiMarginCriterion()", "n(3, 4)", "torch.Tensor{1, 4, 2}"),
    ("MultiMargin-p2-weights", "nn.MultiMarginCriterion(2, torch.rand(4), 0.7)", "n(3, 4)",
     "torch.Tensor{1, 4, 2}"),
    ("MultiMargin-single", "nn.MultiMarginCriterion()", "n(5)", "3"),
    ("MultiLabelMargin", "nn.MultiLabelMarginCriterion()", "n(2, 4)",
     "torch.Tensor{{2, 3, 0, 0}, {4, 0, 0, 0}}"),
    ("MultiLabelSoftMargin", "nn.MultiLabelSoftMarginCriterion()", "n(2, 4)",
     "torch.Tensor{{1, 0, 1, 0}, {0, 0, 0, 1}}"),
    ("HingeEmbedding", "nn.HingeEmbeddingCriterion(1.5)", "n(6)",
     "torch.Tensor{1, -1, 1, 1, -1, -1}"),
    ("L1HingeEmbedding", "nn.L1HingeEmbeddingCriterion(2)", "{n(4), n(4)}", "-1"),
    ("CosineEmbedding", "nn.CosineEmbeddingCriterion(0.1)", "{n(3, 4), n(3, 4)}",
     "torch.Tensor{1, -1, -1}"),
    ("MarginRanking", "nn.MarginRankingCriterion(0.3)", "{n(4), n(4)}",
     "torch.Tensor{1, -1, 1, -1}"),
    ("MarginRanking-single", "nn.MarginRankingCriterion(0.3)", "{n(1), n(1)}", "-1"),
    ("SpatialClassNLL", "nn.SpatialClassNLLCriterion()", "n(2, 3, 2, 2)",
     "torch.Tensor{{{1, 3}, {2, 2}}, {{3, 1}, {1, 2}}}"),
    ("SpatialClassNLL-weights", "nn.SpatialClassNLLCriterion(torch.rand(3))", "n(2, 3, 2, 2)",
     "torch.Tensor{{{1, 3}, {2, 2}}, {{3, 1}, {1, 2}}}"),
    ("WeightedMSE", "nn.WeightedMSECriterion(n(3, 4))", "n(3, 4)", "n(3, 4)"),
    ("L1Cost", "nn.L1Cost()", "n(3, 4)", "nil"),
    ("ClassSimplex", "nn.ClassSimplexCriterion(4)", "n(3, 4)", "torch.Tensor{1, 4, 2}",
     needs("eye")),
    ("DistanceRatio", "nn.DistanceRatioCriterion(true)", "{u(3), u(3)}", "nil"),
    ("MultiCriterion", "nn.MultiCriterion():add(nn.MSECriterion(), 0.5)"
     ":add(nn.AbsCriterion(), 2)", "n(3, 4)", "n(3, 4)"),
    ("ParallelCriterion", "nn.ParallelCriterion():add(nn.MSECriterion(), 0.5)"
     ":add(nn.ClassNLLCriterion())", "{n(3), n(2, 3)}", "{n(3), torch.Tensor{1, 3}}"),
    ("CriterionTable", "nn.CriterionTable(nn.MSECriterion())", "{n(3), n(3)}", "nil"),
    ("ModuleCriterion", "nn.ModuleCriterion(nn.ClassNLLCriterion(), nn.LogSoftMax())",
     "n(3, 4)", "torch.Tensor{1, 4, 2}"),
    ("SpatialAutoCropMSE", "nn.SpatialAutoCropMSECriterion()", "n(2, 2, 3, 4)",
     "n(2, 2, 5, 6)"),
]


@pytest.mark.parametrize("ctor, input_expr, target_expr", [
    pytest.param(c[1], c[2], c[3], id=c[0], marks=c[4:]) for c in CRITERIA])
def test_criterion_gradients_against_finite_differences(ctor, input_expr, target_expr):
    worst, loss = lua(GRADCHECK + CRITERIONCHECK + SETUP + """
        torch.manualSeed(3)
        local c = %s
        local input = %s
        local target = %s
        return critcheck(c, input, target)
    """ % (ctor, input_expr, target_expr))
    assert np.isfinite(loss)
    assert worst < 1e-5


def test_every_case_builds_a_distinct_module():
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names))
    names = [c[0] for c in CRITERIA]
    assert len(names) == len(set(names))
