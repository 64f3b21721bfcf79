-- The image package: loading and saving pictures as tensors (channels x height x width,
-- values in [0, 1], or [0, 255] for ByteTensors), geometry, colour spaces and kernels,
-- with the original's functions and argument forms. The pixel work is numpy and Pillow,
-- in torch7_compat/image_ops.py; this file reads the arguments and shapes the results.

require 'torch'
require 'dok'
local xlua = require 'xlua'
local paths = require 'paths'
local ops = require('torch7_compat.python').module('torch7_compat.image_ops', 4)

local image = rawget(_G, 'image') or {}
rawset(_G, 'image', image)

local function fail(message, where)
   error(where .. ': ' .. message, 3)
end

-- The element type names the Python side uses, from a Lua tensor type or load's tensortype.
local NUMPY_TYPES = {
   ['torch.ByteTensor'] = 'uint8', ['torch.FloatTensor'] = 'float32',
   ['torch.DoubleTensor'] = 'float64', byte = 'uint8', float = 'float32', double = 'float64',
}
local TYPE_NAMES = {byte = 'byte', float = 'float', double = 'double'}

local function default_type_name()
   local name = torch.getdefaulttensortype()
   if name == 'torch.FloatTensor' then return 'float' end
   if name == 'torch.ByteTensor' then return 'byte' end
   return 'double'
end

-- Copies result into dst (resized) when a destination was given; returns what to return.
local function into(dst, result)
   if not dst then return result end
   dst:resize(result:size()):copy(result)
   return dst
end

local function check_image(x, where)
   if not torch.isTensor(x) then
      fail('image (a tensor) expected, got ' .. torch.type(x), where)
   end
end

-------------------------------------------------------------------------------------------
-- loading and saving

local MAGIC_JPG, MAGIC_PNG = '\255\216\255', '\137PNG'

local function kind_of(filename)
   local file, err = io.open(filename, 'rb')
   if not file then error(err, 3) end
   local header = file:read(4) or ''
   file:close()
   if header:sub(1, 3) == MAGIC_JPG then return 'jpg' end
   if header == MAGIC_PNG then return 'png' end
   if header:match('^P[25]') then return 'pgm' end
   if header:match('^P[36]') then return 'ppm' end
   local extension = filename:match('%.(%a+)$')
   return extension and extension:lower()
end

local SUPPORTED = {jpg = 'jpg', jpeg = 'jpg', png = 'png', ppm = 'ppm', pgm = 'pgm'}
image.supported_filetypes = {}
for extension in pairs(SUPPORTED) do image.supported_filetypes[extension] = true end

function image.is_supported(suffix)
   return SUPPORTED[suffix and suffix:lower()] ~= nil
end

local function check_tensortype(tensortype, where)
   tensortype = tensortype or default_type_name()
   if not TYPE_NAMES[tensortype] then
      fail('tensortype must be byte, float or double, got ' .. tostring(tensortype), where)
   end
   return tensortype
end

-- image.load(filename [, depth] [, tensortype]): depth 1 or 3 forces gray or colour;
-- tensortype is 'byte', 'float' or 'double' (the default tensor type when left out).
function image.load(filename, depth, tensortype)
   if type(filename) ~= 'string' then fail('missing file name', 'image.load') end
   local kind = kind_of(filename)
   if not kind then fail('unable to determine image type for file: ' .. filename, 'image.load') end
   if not SUPPORTED[kind] then fail('unknown image type: ' .. kind, 'image.load') end
   return ops.load(filename, depth, check_tensortype(tensortype, 'image.load'))
end
image.loadPNG, image.loadJPG = image.load, image.load

-- PPM and PGM only (P2, P3, P5, P6): other Netpbm kinds fail with their magic number.
function image.loadPPM(filename, depth, tensortype)
   if type(filename) ~= 'string' then fail('missing file name', 'image.loadPPM') end
   ops.netpbm_magic(filename)
   return ops.load(filename, depth, check_tensortype(tensortype, 'image.loadPPM'))
end

function image.getSize(filename)
   if type(filename) ~= 'string' then fail('missing file name', 'image.getSize') end
   local channels, height, width = ops.size_of(filename)
   return torch.LongTensor({channels, height, width})
end
image.getPNGsize, image.getJPGsize, image.getPPMsize = image.getSize, image.getSize,
   image.getSize

local function save_as(kind, filename, tensor, quality)
   if type(filename) ~= 'string' or not torch.isTensor(tensor) then
      fail('missing file name | tensor to save', 'image.save')
   end
   ops.save(filename, tensor, kind, quality or 75)
end

-- image.save(filename, tensor): the format follows the extension (png, jpg, ppm, pgm).
function image.save(filename, tensor)
   if type(filename) ~= 'string' then fail('missing file name | tensor to save', 'image.save') end
   local extension = filename:match('%.(%a+)$')
   local kind = SUPPORTED[extension and extension:lower()]
   if not kind then fail('unknown image type: ' .. tostring(extension), 'image.save') end
   save_as(kind, filename, tensor)
end
function image.savePNG(filename, tensor) save_as('png', filename, tensor) end
function image.saveJPG(filename, tensor, quality) save_as('jpg', filename, tensor, quality) end
function image.savePPM(filename, tensor) save_as('ppm', filename, tensor) end
function image.savePGM(filename, tensor) save_as('pgm', filename, tensor) end

-- The encoded bytes of an image, as a ByteTensor.
function image.compressJPG(tensor, quality)
   check_image(tensor, 'image.compressJPG')
   return ops.compress(tensor, 'jpg', quality or 75)
end

function image.compressPNG(tensor)
   check_image(tensor, 'image.compressPNG')
   return ops.compress(tensor, 'png', 0)
end

-- Decodes a ByteTensor holding a JPEG or PNG file.
function image.decompress(blob, depth, tensortype)
   if torch.typename(blob) ~= 'torch.ByteTensor' then
      fail('Input tensor must be a byte tensor', 'image.decompress')
   end
   if blob:nElement() < 4 then
      fail('Input must be either jpg or png format', 'image.decompress')
   end
   return ops.decompress(blob, depth, check_tensortype(tensortype, 'image.decompress'))
end
image.decompressJPG, image.decompressPNG = image.decompress, image.decompress

-------------------------------------------------------------------------------------------
-- geometry

local function width_height(src)
   if src:dim() == 3 then return src:size(3), src:size(2) end
   return src:size(2), src:size(1)
end

local CROP_CORNERS = {
   c = function(w, h, iw, ih) return math.floor((iw - w) / 2), math.floor((ih - h) / 2) end,
   tl = function() return 0, 0 end,
   tr = function(w, h, iw) return iw - w, 0 end,
   bl = function(w, h, iw, ih) return 0, ih - h end,
   br = function(w, h, iw, ih) return iw - w, ih - h end,
}

-- image.crop([dst,] src, x1, y1 [, x2, y2]) or image.crop([dst,] src, format, w, h) with
-- format 'c', 'tl', 'tr', 'bl' or 'br'. Coordinates are 0-based, x2/y2 excluded; without
-- x2 and y2 the crop is the size of dst. A dst of another size gets the crop scaled.
function image.crop(...)
   local n, args = select('#', ...), {...}
   local dst, src, x1, y1, x2, y2, format, w, h
   if torch.isTensor(args[2]) then dst = table.remove(args, 1); n = n - 1 end
   src = args[1]
   check_image(src, 'image.crop')
   if type(args[2]) == 'string' then
      format, w, h = args[2], args[3], args[4]
      local corner = CROP_CORNERS[format]
      if not corner then error('crop format must be "c"|"tl"|"tr"|"bl"|"br"', 2) end
      x1, y1 = corner(w, h, width_height(src))
      x2, y2 = x1 + w, y1 + h
   elseif n >= 3 then
      x1, y1, x2, y2 = args[2], args[3], args[4], args[5]
   else
      fail('incorrect arguments', 'image.crop')
   end
   if x2 == nil then
      if not dst then fail('incorrect arguments', 'image.crop') end
      local dw, dh = width_height(dst)
      x2, y2 = x1 + dw, y1 + dh
   end
   local result = ops.crop(src, x1, y1, x2, y2)
   if dst then
      local w, h = width_height(dst)
      if w ~= x2 - x1 or h ~= y2 - y1 then return image.scale(dst, result) end
   end
   return into(dst, result)
end

-- image.translate([dst,] src, x, y): shifted by x columns and y rows, zeros coming in.
function image.translate(...)
   local args = {...}
   local dst = torch.isTensor(args[2]) and table.remove(args, 1) or nil
   local src, x, y = args[1], args[2], args[3]
   check_image(src, 'image.translate')
   if type(x) ~= 'number' or type(y) ~= 'number' then
      fail('incorrect arguments', 'image.translate')
   end
   return into(dst, ops.translate(src, x, y))
end

-- The width and height a size request gives: 'WxH', a number or 'MAX' (longest side),
-- '^MIN' (shortest side), '*SC' or '*SCn/SCd' (a factor).
local function requested_size(src, size)
   local iw, ih = width_height(src)
   local longest = tonumber(size)
   if longest then
      local m = math.max(iw, ih)
      return iw * longest / m, ih * longest / m
   end
   local w, h = size:match('(%d+)x(%d+)')
   if w then return tonumber(w), tonumber(h) end
   local shortest = tonumber(size:match('%^(%d+)'))
   if shortest then
      local m = math.min(iw, ih)
      return iw * shortest / m, ih * shortest / m
   end
   local num, den = size:match('%*(%d+)/(%d+)')
   if num then return iw * num / den, ih * num / den end
   local factor = tonumber(size:match('%*(.+)'))
   if factor then return iw * factor, ih * factor end
end

-- image.scale(src, width, height [, mode]), image.scale(src, size [, mode]) or
-- image.scale(dst, src [, mode]); mode is 'bilinear' (default), 'bicubic' or 'simple'.
function image.scale(...)
   local n, args = select('#', ...), {...}
   local dst, src, width, height, mode
   if torch.isTensor(args[2]) then
      dst, src, mode = args[1], args[2], args[3]
      width, height = width_height(dst)
   else
      src = args[1]
      local size_form = type(args[2]) == 'string'
         or (type(args[2]) == 'number' and type(args[3]) ~= 'number')
      if size_form then
         check_image(src, 'image.scale')
         width, height = requested_size(src, args[2])
         mode = args[3]
      else
         width, height, mode = args[2], args[3], args[4]
      end
   end
   check_image(src, 'image.scale')
   if n < 2 then fail('incorrect arguments', 'image.scale') end
   if not width or not height then fail('could not find valid dest size', 'image.scale') end
   width, height = math.max(math.floor(width), 1), math.max(math.floor(height), 1)
   mode = mode or 'bilinear'
   if mode ~= 'bilinear' and mode ~= 'bicubic' and mode ~= 'simple' then
      fail('mode must be one of: simple | bicubic | bilinear', 'image.scale')
   end
   return into(dst, ops.scale(src, width, height, mode))
end

-- image.rotate([dst,] src, theta [, mode]): theta in radians, mode 'simple' or 'bilinear'.
function image.rotate(...)
   local args = {...}
   local dst = torch.isTensor(args[2]) and table.remove(args, 1) or nil
   local src, theta, mode = args[1], args[2], args[3] or 'simple'
   check_image(src, 'image.rotate')
   if type(theta) ~= 'number' then fail('incorrect arguments', 'image.rotate') end
   if dst and dst == src then error('image.rotate: in-place rotate not supported', 2) end
   if mode ~= 'simple' and mode ~= 'bilinear' then
      fail('mode must be one of: simple | bilinear', 'image.rotate')
   end
   return into(dst, ops.rotate(src, theta, mode))
end

-- image.flip([dst,] src, dim): reversed along dimension dim.
function image.flip(...)
   local args = {...}
   local dst = torch.isTensor(args[2]) and table.remove(args, 1) or nil
   local src, dim = args[1], args[2]
   check_image(src, 'image.flip')
   if type(dim) ~= 'number' or dim < 1 or dim > src:dim() then
      fail('flip_dim must be a dimension of the input', 'image.flip')
   end
   return into(dst, ops.flip(src, dim - 1))
end

-- The arguments of the f([dst,] src) forms: dst (or nil) and src, checked.
local function dst_and_src(where, first, second)
   local dst = torch.isTensor(second) and first or nil
   local src = dst and second or first
   check_image(src, where)
   return dst, src
end

function image.hflip(...)
   local dst, src = dst_and_src('image.hflip', ...)
   return into(dst, ops.flip(src, src:dim() - 1))
end

function image.vflip(...)
   local dst, src = dst_and_src('image.vflip', ...)
   return into(dst, ops.flip(src, src:dim() - 2))
end

-------------------------------------------------------------------------------------------
-- filtering and ranges

-- image.convolve([dst,] src, kernel [, mode]): mode 'valid' (default), 'full' or 'same'.
function image.convolve(...)
   local args = {...}
   local dst = torch.isTensor(args[3]) and table.remove(args, 1) or nil
   local src, kernel, mode = args[1], args[2], args[3]
   check_image(src, 'image.convolve')
   check_image(kernel, 'image.convolve')
   if mode and mode ~= 'valid' and mode ~= 'full' and mode ~= 'same' then
      fail('mode has to be one of: full | valid | same', 'image.convolve')
   end
   return into(dst, ops.convolve(src, kernel, mode or 'valid'))
end

-- image.minmax{tensor=, min=, max=, symm=, inplace=, saturate=, tensorOut=}: the tensor
-- mapped linearly so that min goes to 0 and max to 1 (both found when not given).
function image.minmax(args)
   local tensor = args.tensor
   check_image(tensor, 'image.minmax')
   local out = args.tensorOut or (args.inplace and tensor) or tensor:clone()
   if args.tensorOut then out:resize(tensor:size()):copy(tensor) end
   local min, max = args.min, args.max
   local saturate = args.saturate and (min ~= nil or max ~= nil)
   local half_range = 0
   if min == nil then
      if args.symm then
         half_range = math.max(math.abs(out:min()), math.abs(out:max()))
         min = -half_range
      else
         min = out:min()
      end
   end
   if min ~= 0 then out:add(-min) end
   if max == nil then
      max = args.symm and half_range * 2 or out:max()
   else
      max = max - min
   end
   if max ~= 0 then out:div(max) end
   if saturate then out:clamp(0, 1) end
   return out
end

-------------------------------------------------------------------------------------------
-- kernels

local KERNEL_ARGS = {
   {arg = 'size', type = 'number', help = 'kernel size (size x size)', default = 3},
   {arg = 'sigma', type = 'number', help = 'sigma (horizontal and vertical)'},
   {arg = 'amplitude', type = 'number', help = 'amplitude (max value)', default = 1},
   {arg = 'normalize', type = 'number', help = 'normalize kernel (exc Amplitude)',
    default = false},
   {arg = 'width', type = 'number', help = 'kernel width', defaulta = 'size'},
   {arg = 'height', type = 'number', help = 'kernel height', defaulta = 'size'},
   {arg = 'sigma_horz', type = 'number', help = 'horizontal sigma', defaulta = 'sigma'},
   {arg = 'sigma_vert', type = 'number', help = 'vertical sigma', defaulta = 'sigma'},
   {arg = 'mean_horz', type = 'number', help = 'horizontal mean', default = 0.5},
   {arg = 'mean_vert', type = 'number', help = 'vertical mean', default = 0.5},
   {arg = 'tensor', type = 'torch.Tensor', help = 'result tensor (height/width are ignored)'},
}

local function kernel_args(name, sigma, ...)
   local defs = {}
   for i, d in ipairs(KERNEL_ARGS) do
      defs[i] = setmetatable({}, {__index = d})
      if d.arg == 'sigma' then defs[i].default = sigma end
   end
   return xlua.unpack({...}, name, 'returns a 2D kernel', unpack(defs))
end

-- image.gaussian{size=3, sigma=0.25, amplitude=1, normalize=false, width, height,
-- sigma_horz, sigma_vert, mean_horz=0.5, mean_vert=0.5, tensor}: a 2D gaussian kernel.
function image.gaussian(...)
   local a = kernel_args('image.gaussian', 0.25, ...)
   local result = a.tensor
   if result then
      assert(result:dim() == 2, 'expecting 2D tensor')
      assert(result:nElement() > 0, 'expecting non-empty tensor')
   end
   local target = result or torch.Tensor()
   local height = result and result:size(1) or a.height
   local width = result and result:size(2) or a.width
   local kernel = ops.gaussian(width, height, a.amplitude, a.normalize and true or false,
      a.sigma_horz, a.sigma_vert, a.mean_horz, a.mean_vert, NUMPY_TYPES[torch.type(target)]
      or 'float64')
   if result then return result:copy(kernel) end
   return torch.Tensor(kernel:size()):copy(kernel)
end

-- image.gaussian1D{size=3, sigma=0.25, amplitude=1, normalize=false, mean=0.5, tensor}
function image.gaussian1D(...)
   local a = xlua.unpack({...}, 'image.gaussian1D', 'returns a 1D gaussian kernel',
      {arg = 'size', type = 'number', help = 'size the kernel', default = 3},
      {arg = 'sigma', type = 'number', help = 'Sigma', default = 0.25},
      {arg = 'amplitude', type = 'number', help = 'Amplitude (max value)', default = 1},
      {arg = 'normalize', type = 'number', help = 'Normalize kernel', default = false},
      {arg = 'mean', type = 'number', help = 'Mean', default = 0.5},
      {arg = 'tensor', type = 'torch.Tensor', help = 'result tensor (size is ignored)'})
   local size = a.tensor and a.tensor:size(1) or a.size
   local centre = a.mean * size + 0.5
   local kernel = a.tensor or torch.Tensor(size)
   for i = 1, size do
      kernel[i] = a.amplitude * math.exp(-(((i - centre) / (a.sigma * size)) ^ 2) / 2)
   end
   if a.normalize then kernel:div(kernel:sum()) end
   return kernel
end

-- image.laplacian{size=3, sigma=0.1, amplitude=1, normalize=false, ...}: a 2D Laplacian
-- of Gaussian kernel (rows measured against the horizontal parameters, as the original).
function image.laplacian(...)
   local a = kernel_args('image.laplacian', 0.1, ...)
   local cx, cy = a.mean_horz * a.width + 0.5, a.mean_vert * a.height + 0.5
   local kernel = torch.Tensor(a.height, a.width)
   for i = 1, a.height do
      for j = 1, a.width do
         local xsq = ((i - cx) / (a.sigma_horz * a.width)) ^ 2 / 2
         local ysq = ((j - cy) / (a.sigma_vert * a.height)) ^ 2 / 2
         kernel[i][j] = (1 - (xsq + ysq)) * a.amplitude * math.exp(-(xsq + ysq))
      end
   end
   if a.normalize then kernel:div(kernel:sum()) end
   return kernel
end

-------------------------------------------------------------------------------------------
-- colour spaces: f(src) or f(dst, src)

local function colour(name, convert)
   image[name] = function(...)
      local dst, src = dst_and_src('image.' .. name, ...)
      return into(dst, ops[convert](src))
   end
end

for _, name in ipairs({'rgb2y', 'rgb2yuv', 'yuv2rgb', 'rgb2hsl', 'hsl2rgb', 'rgb2hsv',
                       'hsv2rgb', 'rgb2lab', 'lab2rgb'}) do
   colour(name, name)
end

-- nbColor colours spread around the hue circle (saturation cycling from 0.3), N x 3.
function image.colormap(nbColor)
   local map = torch.Tensor(nbColor, 3)
   local hue_step, saturation_step = 0, 0
   for i = 1, nbColor do
      local hue = math.fmod(hue_step, 360)
      local saturation = math.fmod(saturation_step, 0.7) + 0.3
      hue_step, saturation_step = hue_step + 39, saturation_step + 1 / 9
      local chroma = (1 - math.abs(2 * 0.5 - 1)) * saturation
      local sector = hue / 60
      local second = chroma * (1 - math.abs(math.fmod(sector, 2) - 1))
      local rgb
      if sector < 1 then rgb = {chroma, second, 0}
      elseif sector < 2 then rgb = {second, chroma, 0}
      elseif sector < 3 then rgb = {0, chroma, second}
      elseif sector < 4 then rgb = {0, second, chroma}
      elseif sector < 5 then rgb = {second, 0, chroma}
      else rgb = {chroma, 0, second} end
      for c = 1, 3 do map[i][c] = rgb[c] + 0.5 - chroma / 2 end
   end
   return map
end

-- The jet colour map (blue, cyan, yellow, red) in nbColor steps, N x 3.
function image.jetColormap(nbColor)
   local map = torch.Tensor(nbColor, 3)
   for i = 1, nbColor do
      local v = 4 * i / nbColor
      map[i][1] = math.max(math.min(v - 1.5, -v + 4.5, 1), 0)
      map[i][2] = math.max(math.min(v - 0.5, -v + 3.5, 1), 0)
      map[i][3] = math.max(math.min(v + 0.5, -v + 2.5, 1), 0)
   end
   return map
end

-- image.y2jet([dst,] levels): an image of integer levels 1..L (1D, 2D or 1 x H x W) in
-- jet colours, 3 x H x W.
function image.y2jet(...)
   local args = {...}
   local dst = torch.isTensor(args[2]) and args[1] or nil
   local input = dst and args[2] or args[1]
   if not torch.isTensor(input) then error('Invalid input for image.y2jet()', 2) end
   if input:dim() == 3 and input:size(1) == 1 then input = input[1] end
   if input:dim() == 1 then input = input:view(1, input:size(1)) end
   local map = image.jetColormap(input:max())
   if torch.type(input) == 'torch.ByteTensor' then
      local bytes = torch.ByteTensor(map:size(1), 3)
      for i = 1, map:size(1) do
         for c = 1, 3 do bytes[i][c] = math.floor(map[i][c] * 255 + 0.5) end
      end
      map = bytes
   else
      map = map:type(torch.type(input))
   end
   -- a copy: :double() of a DoubleTensor is the tensor itself
   local indices = torch.DoubleTensor(input:size()):copy(input):add(-1)
   return into(dst, ops.colorize(indices, map))
end

-- image.drawRect(src, x1, y1, x2, y2 [, {color = {r, g, b}, lineWidth = 1, inplace}]):
-- the corners count pixels from 0 (the original handed them to C as they were), the colour
-- is in 0..255 for every image type.
function image.drawRect(src, x1, y1, x2, y2, opts)
   opts = opts or {}
   assert(torch.isTensor(src) and src:dim() == 3 and src:size(1) == 3,
      'input image has to be a 3D tensor of shape 3 x H x W ')
   if not (x1 and x2 and y1 and y2) then return opts.inplace and src or src:clone() end
   local color = opts.color or {255, 0, 0}
   local drawn = ops.draw_rect(src, x1, y1, x2, y2, opts.lineWidth or 1,
      color[1], color[2], color[3])
   if opts.inplace then return src:copy(drawn) end
   return drawn
end

function image.drawText()
   error('image.drawText: no bitmap font in torch7_compat', 2)
end

-- image.gaussianpyramid([dst,] src, scales): src scaled by each factor in turn, each level
-- smoothed by a normalised 3x3 gaussian before the next.
function image.gaussianpyramid(...)
   local args = {...}
   local dst, src, scales
   if select('#', ...) == 3 then dst, src, scales = args[1], args[2], args[3]
   else dst, src, scales = {}, args[1], args[2] end
   check_image(src, 'image.gaussianpyramid')
   local kernel = image.gaussian{width = 3, normalize = true}:type(torch.type(src))
   local level = src
   for i, factor in ipairs(scales) do
      local w, h = width_height(src)
      w, h = math.floor(w * factor), math.floor(h * factor)
      local target = dst[i] or src.new()
      if src:dim() == 3 then target:resize(src:size(1), h, w) else target:resize(h, w) end
      if factor == 1 then target:copy(level) else image.scale(target, level, 'simple') end
      dst[i] = target
      level = image.convolve(target, kernel, 'same')
   end
   return dst
end

-------------------------------------------------------------------------------------------
-- sample pictures and display

-- Stand-ins for the original's bundled photographs: a 3x512x512 colour picture and a
-- 512x512 gray one (as the original's lena and fabio), in [0, 1] of the default tensor
-- type, drawn from formulas.
function image.lena()
   return ops.sample('colour', NUMPY_TYPES[default_type_name()])
end

function image.fabio()
   return ops.sample('gray', NUMPY_TYPES[default_type_name()])
end

-- image.toDisplayTensor{input=, padding=0, nrow=6, scaleeach=false, min=, max=,
-- symmetric=false, saturate=true}: a tensor, a batch or a table of images as one picture.
function image.toDisplayTensor(...)
   local first = ...
   local opts = type(first) == 'table' and not torch.isTensor(first) and first.input
      and first or {input = first}
   local input = opts.input
   if type(input) == 'table' then
      local images = input
      local batch = images[1].new(#images, unpack(images[1]:size():totable()))
      for i, img in ipairs(images) do batch[i]:copy(img) end
      input = batch
   end
   check_image(input, 'image.toDisplayTensor')
   local range = {min = opts.min, max = opts.max, symm = opts.symmetric,
                  saturate = opts.saturate ~= false}
   local function normalised(t)
      range.tensor = t
      return image.minmax(range)
   end
   if input:dim() <= 2 or (input:dim() == 3 and (input:size(1) == 1 or input:size(1) == 3)) then
      return normalised(input)
   end
   local batch = input
   if opts.scaleeach then
      batch = input:clone()
      for i = 1, batch:size(1) do batch[i]:copy(normalised(batch[i])) end
   else
      batch = normalised(input)
   end
   return ops.tile(batch, opts.nrow or 6, opts.padding or 0)
end

local shown = 0

-- There is no window here: the picture is written to a PNG file, and its name printed.
function image.display(...)
   local first = ...
   local opts = type(first) == 'table' and not torch.isTensor(first) and first.image
      and first or {image = first}
   local picture = image.toDisplayTensor{input = opts.image, padding = opts.padding,
      nrow = opts.nrow, scaleeach = opts.scaleeach, min = opts.min, max = opts.max,
      symmetric = opts.symmetric, saturate = opts.saturate}
   if opts.zoom and opts.zoom ~= 1 then
      local w, h = width_height(picture)
      picture = image.scale(picture, math.floor(w * opts.zoom), math.floor(h * opts.zoom),
         'simple')
   end
   shown = shown + 1
   local folder = os.getenv('TMPDIR') or '/tmp'
   local name = (opts.legend or 'image'):gsub('[^%w_%-]', '_')
   local file = string.format('%s/torch7_compat_display_%s_%d.png', folder, name, shown)
   image.save(file, picture)
   print('image.display: no screen to show images on; saved ' .. file)
   return nil
end

function image.window()
   error('image.window: there are no windows in torch7_compat (image.display writes PNG '
      .. 'files)', 2)
end

return image
