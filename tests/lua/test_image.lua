-- The image package: codecs round trips in a scratch folder, and the geometry, colour and
-- kernel functions against values worked out by hand from the original's definitions.

require 'torch'
require 'image'

local tester = torch.Tester()
local tests = torch.TestSuite()

local folder = paths.tmpname()
paths.mkdir(folder)

local function fill(t, f)
   if t:dim() == 2 then
      for i = 1, t:size(1) do for j = 1, t:size(2) do t[i][j] = f(i, j) end end
   else
      for c = 1, t:size(1) do
         for i = 1, t:size(2) do for j = 1, t:size(3) do t[c][i][j] = f(i, j, c) end end
      end
   end
   return t
end

local function max_difference(a, b)
   local worst = 0
   local fa, fb = a:contiguous():view(a:nElement()), b:contiguous():view(b:nElement())
   for i = 1, fa:size(1) do worst = math.max(worst, math.abs(fa[i] - fb[i])) end
   return worst
end

-- a 3 x 4 x 5 picture whose values are exact in 8 bits
local function picture()
   return fill(torch.DoubleTensor(3, 4, 5), function(i, j, c)
      return ((i * 37 + j * 11 + c * 53) % 256) / 255
   end)
end

function tests.png_round_trip_is_exact()
   local file = folder .. '/p.png'
   local p = picture()
   image.save(file, p)
   local back = image.load(file)
   tester:eq(torch.type(back), 'torch.DoubleTensor')
   tester:eq(back:size():totable(), {3, 4, 5})
   tester:assertlt(max_difference(back, p), 1e-12)
   local bytes = image.load(file, 3, 'byte')
   tester:eq(torch.type(bytes), 'torch.ByteTensor')
   tester:eq(bytes[2][3][4], math.floor(p[2][3][4] * 255 + 0.5))
   local floats = image.load(file, nil, 'float')
   tester:eq(torch.type(floats), 'torch.FloatTensor')
   tester:eq(image.getSize(file):totable(), {3, 4, 5})
end

function tests.depth_forcing()
   local file = folder .. '/gray.png'
   local gray = fill(torch.DoubleTensor(4, 6), function(i, j)
      return ((i * 40 + j) % 256) / 255
   end)
   image.save(file, gray)
   local one = image.load(file)
   tester:eq(one:size():totable(), {1, 4, 6})
   local three = image.load(file, 3)
   tester:eq(three:size():totable(), {3, 4, 6})
   tester:eq(three[3][2][5], gray[2][5])
   image.save(folder .. '/rgb.png', picture())
   local luma = image.load(folder .. '/rgb.png', 1)
   tester:eq(luma:dim(), 2)
   local p = picture()
   local expected = 0.299 * p[1][2][3] + 0.587 * p[2][2][3] + 0.114 * p[3][2][3]
   tester:assertalmosteq(luma[2][3], expected, 1e-9)
end

function tests.jpeg_and_compressed_forms()
   local smooth = fill(torch.DoubleTensor(3, 32, 32), function(i, j, c)
      return (i + j + c * 5) / 80
   end)
   local file = folder .. '/s.jpg'
   image.save(file, smooth)
   tester:assertlt(max_difference(image.load(file), smooth), 0.08)
   local blob = image.compressJPG(smooth, 95)
   tester:eq(torch.type(blob), 'torch.ByteTensor')
   tester:eq({blob[1], blob[2], blob[3]}, {0xff, 0xd8, 0xff})
   tester:assertlt(max_difference(image.decompressJPG(blob), smooth), 0.05)
   local png = image.compressPNG(picture())
   tester:eq({png[1], png[2], png[3], png[4]}, {0x89, 0x50, 0x4e, 0x47})
   tester:assertlt(max_difference(image.decompressPNG(png), picture()), 1e-12)
end

function tests.bad_files_fail_with_a_message()
   tester:assertErrorPattern(function() image.load(folder .. '/none.png') end, 'No such file')
   local junk = folder .. '/junk.xyz'
   local f = io.open(junk, 'w'); f:write('nothing'); f:close()
   tester:assertErrorPattern(function() image.load(junk) end, 'unknown image type: xyz')
   local fake = folder .. '/fake.png'
   f = io.open(fake, 'w'); f:write('\137PNG broken'); f:close()
   tester:assertError(function() image.load(fake) end)
   tester:assertErrorPattern(function() image.save(folder .. '/x.bmpx', picture()) end,
      'unknown image type')
end

function tests.simple_scale_repeats_pixels()
   local small = torch.DoubleTensor({{1, 2}, {3, 4}})
   local big = image.scale(small, 4, 4, 'simple')
   tester:eq(big:totable(), {{1, 1, 2, 2}, {1, 1, 2, 2}, {3, 3, 4, 4}, {3, 3, 4, 4}})
end

function tests.bilinear_scale_interpolates_up_and_averages_down()
   local row = torch.DoubleTensor({{0, 1}})
   tester:eq(image.scale(row, 3, 1):totable(), {{0, 0.5, 1}})
   local long = torch.DoubleTensor({{1, 2, 3, 4}})
   tester:eq(image.scale(long, 2, 1):totable(), {{1.5, 3.5}})
   local p = picture()
   tester:eq(image.scale(p, 10, 8):size():totable(), {3, 8, 10})
   tester:eq(image.scale(p, '*2'):size():totable(), {3, 8, 10})
   tester:eq(image.scale(p, '10x3'):size():totable(), {3, 3, 10})
   tester:eq(image.scale(p, 10):size():totable(), {3, 8, 10})
   local dst = torch.DoubleTensor(3, 2, 2)
   tester:eq(image.scale(dst, p), dst)
   tester:assertErrorPattern(function() image.scale(p, 4, 4, 'fancy') end, 'mode must be')
end

function tests.bicubic_scale_keeps_a_linear_ramp()
   local ramp = torch.DoubleTensor({{0, 1, 2, 3}})
   local up = image.scale(ramp, 7, 1, 'bicubic')
   for j = 1, 7 do tester:assertalmosteq(up[1][j], (j - 1) * 0.5, 1e-6) end
end

function tests.crop_and_translate()
   local p = picture()
   local c = image.crop(p, 1, 2, 4, 4)
   tester:eq(c:size():totable(), {3, 2, 3})
   tester:eq(c[2][1][1], p[2][3][2])
   local centre = image.crop(p, 'c', 3, 2)
   tester:eq(centre[1][1][1], p[1][2][2])
   tester:assertErrorPattern(function() image.crop(p, 3, 3, 9, 9) end, 'outside bounds')
   local moved = image.translate(p, 1, 2)
   tester:eq(moved[1][1][1], 0)
   tester:eq(moved[1][3][2], p[1][1][1])
   tester:eq(moved[3][4][5], p[3][2][4])
end

function tests.flips_and_half_turn()
   local p = picture()
   tester:eq(image.hflip(p)[2][3][1], p[2][3][5])
   tester:eq(image.vflip(p)[2][1][3], p[2][4][3])
   tester:eq(image.flip(p, 1)[1][2][2], p[3][2][2])
   local copy = p:clone()
   image.hflip(copy, copy)
   tester:eq(copy[1][1][1], p[1][1][5])
   local square = fill(torch.DoubleTensor(5, 5), function(i, j) return i * 10 + j end)
   local turned = image.rotate(square, math.pi)
   for i = 1, 5 do
      for j = 1, 5 do tester:eq(turned[i][j], square[6 - i][6 - j]) end
   end
   tester:assertErrorPattern(function() image.rotate(square, square, 1) end, 'in%-place')
end

function tests.colour_spaces()
   local p = picture()
   local y = image.rgb2y(p)
   tester:eq(y:size():totable(), {1, 4, 5})
   tester:assertalmosteq(y[1][2][2], 0.299 * p[1][2][2] + 0.587 * p[2][2][2] + 0.114 * p[3][2][2],
      1e-12)
   tester:assertlt(max_difference(image.yuv2rgb(image.rgb2yuv(p)), p), 2e-3)
   tester:assertlt(max_difference(image.hsl2rgb(image.rgb2hsl(p)), p), 1e-9)
   tester:assertlt(max_difference(image.hsv2rgb(image.rgb2hsv(p)), p), 1e-9)
   local red = torch.DoubleTensor({{{1}}, {{0}}, {{0}}})
   tester:eq(image.rgb2hsl(red):view(3):totable(), {0, 1, 0.5})
   tester:eq(image.rgb2hsv(red):view(3):totable(), {0, 1, 1})
   local green = torch.DoubleTensor({{{0}}, {{1}}, {{0}}})
   tester:assertalmosteq(image.rgb2hsv(green)[1][1][1], 1 / 3, 1e-12)
end

function tests.y2jet_leaves_its_input_alone()
   local levels = torch.DoubleTensor({1, 2, 3, 4})
   local jet = image.y2jet(levels)
   tester:eq(jet:size():totable(), {3, 1, 4})
   tester:eq(levels:totable(), {1, 2, 3, 4})
   local map = image.jetColormap(4)
   for c = 1, 3 do tester:eq(jet[c][1][4], map[4][c]) end
   tester:eq(image.y2jet(levels:byte())[1][1][4], math.floor(map[4][1] * 255 + 0.5))
end

function tests.kernels()
   local g = image.gaussian(3)
   tester:eq(g[2][2], 1)
   tester:assertalmosteq(g[1][1], math.exp(-0.5 * 2 * (1 / 0.75) ^ 2), 1e-12)
   local n = image.gaussian{size = 5, normalize = true}
   tester:assertalmosteq(n:sum(), 1, 1e-12)
   tester:eq(image.gaussian{width = 4, height = 2}:size():totable(), {2, 4})
   local g1 = image.gaussian1D(5)
   tester:eq(g1[3], 1)
   tester:assertalmosteq(g1[1], math.exp(-((2 / 1.25) ^ 2) / 2), 1e-12)
   local l = image.laplacian(3)
   tester:eq(l[2][2], 1)
   local xsq = (1 / 0.3) ^ 2 / 2
   tester:assertalmosteq(l[1][2], (1 - xsq) * math.exp(-xsq), 1e-12)
end

function tests.convolve_valid_full_same()
   local x = fill(torch.DoubleTensor(3, 4), function(i, j) return i * j + i end)
   local k = torch.DoubleTensor({{1, 2}, {3, 4}})
   local valid = image.convolve(x, k)
   tester:eq(valid:size():totable(), {2, 3})
   for i = 1, 2 do
      for j = 1, 3 do
         -- a true convolution: the kernel turned around
         local s = 0
         for a = 1, 2 do for b = 1, 2 do s = s + x[i + a - 1][j + b - 1] * k[3 - a][3 - b] end end
         tester:eq(valid[i][j], s)
      end
   end
   tester:eq(image.convolve(x, k, 'full'):size():totable(), {4, 5})
   tester:eq(image.convolve(x, k, 'full')[1][1], x[1][1] * k[1][1])
   tester:eq(image.convolve(x, k, 'same'):size():totable(), {3, 4})
   tester:assertErrorPattern(function() image.convolve(x, k, 'wrong') end, 'full | valid | same')
end

function tests.minmax_maps_to_unit_range()
   tester:eq(image.minmax{tensor = torch.DoubleTensor({1, 2, 3})}:totable(), {0, 0.5, 1})
   tester:eq(image.minmax{tensor = torch.DoubleTensor({-2, 0, 1}), symm = true}:totable(),
      {0, 0.5, 0.75})
   local t = torch.DoubleTensor({0, 5, 10})
   image.minmax{tensor = t, inplace = true}
   tester:eq(t:totable(), {0, 0.5, 1})
end

function tests.samples_and_display()
   local l = image.lena()
   tester:eq(l:size():totable(), {3, 512, 512})
   tester:assertge(l:min(), 0)
   tester:assertle(l:max(), 1)
   tester:eq(image.fabio():size():totable(), {512, 512})
   local said
   local print_ = print
   print = function(text) said = text end
   image.display{image = picture(), legend = 'test picture'}
   print = print_
   local file = said:match('saved (.*)$')
   tester:assert(file ~= nil and paths.filep(file), 'display names the file it wrote')
   tester:eq(image.getSize(file):totable(), {3, 4, 5})
   os.remove(file)
end

tester:add(tests)
tester:run()
paths.rmall(folder, 'yes')
