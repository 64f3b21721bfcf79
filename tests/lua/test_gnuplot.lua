-- The gnuplot package on a machine without gnuplot or a screen: file figures get real
-- files of their format, histograms count as torch.histc does, bad arguments fail.

require 'torch'
require 'gnuplot'

local tester = torch.Tester()
local tests = torch.TestSuite()

local folder = paths.tmpname()
paths.mkdir(folder)

local function head(file, n)
   local f = assert(io.open(file, 'rb'))
   local bytes = f:read(n)
   f:close()
   return bytes
end

local function ramp(n)
   local t = torch.DoubleTensor(n)
   for i = 1, n do t[i] = math.sin(i / 3) end
   return t
end

function tests.pngfigure_writes_a_png()
   local file = folder .. '/lines.png'
   gnuplot.pngfigure(file)
   gnuplot.plot({'sin', ramp(30), '-'}, {'twice', ramp(30) * 2, '+'})
   gnuplot.title('two lines')
   gnuplot.xlabel('x')
   gnuplot.ylabel('y')
   gnuplot.grid(true)
   gnuplot.movelegend('left', 'top')
   gnuplot.axis({0, 40, -3, 3})
   gnuplot.plotflush()
   gnuplot.close()
   tester:eq(head(file, 4), '\137PNG')
end

function tests.other_formats_and_figprint()
   local eps, pdf, svg = folder .. '/a.eps', folder .. '/b.pdf', folder .. '/c.svg'
   gnuplot.epsfigure(eps)
   gnuplot.plot(ramp(10))
   gnuplot.close()
   tester:eq(head(eps, 4), '%!PS')
   gnuplot.pdffigure(pdf)
   gnuplot.imagesc(torch.DoubleTensor(4, 5):fill(1))
   gnuplot.close()
   tester:eq(head(pdf, 5), '%PDF-')
   gnuplot.pngfigure(folder .. '/d.png')
   gnuplot.splot(torch.DoubleTensor(4, 4):fill(2))
   gnuplot.figprint(svg)
   gnuplot.close()
   tester:assert(head(svg, 200):find('<svg', 1, true) ~= nil)
end

function tests.plot_argument_forms()
   gnuplot.pngfigure(folder .. '/forms.png')
   local x = ramp(5)
   local xy = torch.DoubleTensor(5, 2)
   for i = 1, 5 do xy[i][1], xy[i][2] = i, i * i end
   tester:assertNoError(function() gnuplot.plot(x) end)
   tester:assertNoError(function() gnuplot.plot(x, x, '.') end)
   tester:assertNoError(function() gnuplot.plot('named', x, x, '|') end)
   tester:assertNoError(function() gnuplot.plot(xy) end)
   tester:assertNoError(function() gnuplot.plot({{'a', x}, {'b', x, x, '~'}}) end)
   tester:assertErrorPattern(function() gnuplot.plot() end, 'no inputs')
   tester:assertErrorPattern(function() gnuplot.plot(5) end, 'expecting %[string,%] tensor')
   tester:assertErrorPattern(function() gnuplot.plot(x, ramp(4)) end, 'x and y dims are wrong')
   tester:assertErrorPattern(function() gnuplot.movelegend('up', 'top') end, 'location')
   tester:assertErrorPattern(function() gnuplot.pngfigure(folder .. '/no/such/dir/x.png') end,
      'directory does not exist')
   gnuplot.close()
end

function tests.histc_counts_in_equal_bins()
   local values = torch.DoubleTensor({0, 0.1, 0.2, 0.5, 0.9, 1.0})
   local h = gnuplot.histc(values, 5, 0, 1)
   tester:eq(h.bins, 5)
   tester:assertalmosteq(h.binwidth, 0.2, 1e-12)
   tester:assertalmosteq(h[1].val, 0.1, 1e-12)
   local counts = {}
   for i = 1, 5 do counts[i] = h[i].nb end
   -- [0, .2) holds 0 and .1; .2 opens the second bin; the last bin includes 1
   tester:eq(counts, {2, 1, 1, 0, 2})
   tester:eq(h.max, 1)
   tester:eq(h.min, 4)
   tester:assert(tostring(h):find('nsamples:', 1, true) == 1)
   tester:eq(torch.type(gnuplot.histc(values, 5, 0, 1, true)), 'torch.DoubleTensor')
end

function tests.screen_figures_go_to_files_on_a_headless_machine()
   gnuplot.figure(7)
   gnuplot.hist(torch.DoubleTensor({1, 2, 2, 3, 3, 3}), 3)
   gnuplot.close(7)
   local tmp = os.getenv('TMPDIR') or '/tmp'
   local file = tmp .. '/torch7_compat_figure_7.png'
   tester:eq(head(file, 4), '\137PNG')
   os.remove(file)
end

tester:add(tests)
tester:run()
paths.rmall(folder, 'yes')
