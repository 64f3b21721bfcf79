-- The gnuplot package: Matlab-like plotting commands (plot, hist, imagesc, splot, figure,
-- title, labels, ...) with the original's argument forms. Figures are drawn by matplotlib
-- into files (torch7_compat/plotting.py): a headless machine runs plotting scripts as they
-- are, and a file figure (pngfigure, epsfigure, pdffigure, svgfigure) gets its file.

require 'torch'
local paths = require 'paths'
local plotting = require('torch7_compat.python').module('torch7_compat.plotting', 4)

local gnuplot = rawget(_G, 'gnuplot') or {}
rawset(_G, 'gnuplot', gnuplot)

local USAGE = 'expecting [string,] tensor [,tensor] [,string]'

local function as_double(t)
   return t:double()
end

-- One plot's arguments, {[legend,] x [, y] [, format]}, as legend, x, y, format. A single
-- tensor is y against 1..n; an n x 2 matrix is x and y columns; an n x k one is x and k-1
-- y columns.
local function plot_arguments(t)
   local legend, x, y, format
   local n = #t
   if n == 0 then error('empty argument list', 4) end
   local position = 1
   if type(t[1]) == 'string' then legend, position = t[1], 2 end
   if not torch.isTensor(t[position]) then error(USAGE, 4) end
   x = t[position]
   position = position + 1
   if torch.isTensor(t[position]) then
      y = t[position]
      position = position + 1
   end
   if type(t[position]) == 'string' then
      format = t[position]
      position = position + 1
   end
   if position <= n then error(USAGE, 4) end
   if not y then
      if x:dim() == 2 and x:size(2) >= 2 then
         y = x:narrow(2, 2, x:size(2) - 1)
         if y:size(2) == 1 then y = y:select(2, 1) end
         x = x:select(2, 1)
      else
         y = x
         x = torch.DoubleTensor(y:size(1))
         for i = 1, y:size(1) do x[i] = i end
      end
   end
   if x:dim() ~= 1 or y:size(1) ~= x:size(1) then
      error('x and y dims are wrong :  x = ' .. x:dim() .. 'D y = ' .. y:dim() .. 'D', 4)
   end
   return legend or '', as_double(x), as_double(y), format or ''
end

-- gnuplot.plot(x), plot(x, y), plot(legend, x, y, format), plot({...}, {...}) or
-- plot({{...}, {...}}): each table one line.
function gnuplot.plot(...)
   local args = {...}
   if select('#', ...) == 0 then error('no inputs, expecting at least a vector', 2) end
   local lines = {args}
   if type(args[1]) == 'table' and not torch.isTensor(args[1]) then
      lines = type(args[1][1]) == 'table' and not torch.isTensor(args[1][1]) and args[1] or args
   end
   local parsed = {}
   for i, line in ipairs(lines) do parsed[i] = {plot_arguments(line)} end
   plotting.begin('lines')
   for _, line in ipairs(parsed) do plotting.add(unpack(line)) end
   plotting.draw()
end

-- gnuplot.bar([x,] y): y as boxes.
function gnuplot.bar(...)
   local args = {...}
   args[#args + 1] = '|'
   gnuplot.plot(args)
end

-- gnuplot.imagesc(matrix [, 'gray' | 'color']): the matrix as a picture, values as colours.
function gnuplot.imagesc(matrix, palette)
   if not torch.isTensor(matrix) or matrix:dim() ~= 2 then
      error('expecting a 2D tensor', 2)
   end
   plotting.begin('imagesc')
   plotting.add_image(as_double(matrix), palette or 'color')
   plotting.draw()
end

-- gnuplot.splot(z), splot(x, y, z) or splot{...}: a surface over a grid.
function gnuplot.splot(...)
   local args = {...}
   if type(args[1]) == 'table' and not torch.isTensor(args[1]) then args = args[1] end
   local tensors = {}
   for _, v in ipairs(args) do
      if torch.isTensor(v) then tensors[#tensors + 1] = as_double(v) end
   end
   local x, y, z
   if #tensors == 1 then
      z = tensors[1]
      if z:dim() ~= 2 then error('z must be a 2D tensor', 2) end
      x = torch.DoubleTensor(z:size(1), z:size(2))
      y = torch.DoubleTensor(z:size(1), z:size(2))
      for i = 1, z:size(1) do
         for j = 1, z:size(2) do x[i][j], y[i][j] = i, j end
      end
   elseif #tensors == 3 then
      x, y, z = tensors[1], tensors[2], tensors[3]
   else
      error('expecting [string,] z or [string,] x, y, z', 2)
   end
   plotting.begin('splot')
   plotting.add_surface(x, y, z)
   plotting.draw()
end

-------------------------------------------------------------------------------------------
-- histograms

-- Text drawing of a histogram from gnuplot.histc, as the original printed it.
local function histogram_text(h, height)
   height = height or 10
   local top = h[h.max].nb
   local step = top / (height + 1)
   local level = top - step
   local started = {}
   local out = {string.format(
      'nsamples:  min:(bin:%d/#%d/cntr:%2.2f)  max:(bin:%d/#%d/cntr:%2.2f)\n',
      h.min, h[h.min].nb, h[h.min].val, h.max, h[h.max].nb, h[h.max].val)}
   out[#out + 1] = '--------:' .. string.rep('-', #h) .. '\n'
   for _ = 1, height do
      out[#out + 1] = string.format('%1.2e:', level)
      for j = 1, #h do
         if started[j] then
            out[#out + 1] = '|'
         elseif h[j].nb < level then
            out[#out + 1] = ' '
         else
            started[j] = true
            local p = (top - h[j].nb) / step
            out[#out + 1] = p > 0.66 and '|' or (p > 0.33 and ':' or '.')
         end
      end
      out[#out + 1] = '\n'
      top = level
      level = level - step
   end
   return table.concat(out)
end

-- gnuplot.histc(tensor [, bins=72] [, min] [, max] [, raw]): the counts per bin, as a
-- table of {val = centre, nb = count} with raw (the counts), bins, binwidth, and the
-- indices of the fullest (max) and emptiest (min) bins; with raw, just the counts.
function gnuplot.histc(tensor, bins, min, max, raw)
   if not torch.isTensor(tensor) then
      error('usage: gnuplot.histc (tensor [, nBins] [, min] [, max]', 2)
   end
   bins = bins or 72
   min = min or tensor:min()
   max = max or tensor:max()
   if min == max then min, max = min - 1, max + 1 end
   local counts = plotting.histogram(tensor, bins, min, max)
   if raw then return counts end
   local h = {raw = counts, bins = bins, binwidth = (max - min) / bins}
   local most, least = 1, 1
   for i = 1, bins do
      h[i] = {val = min + (i - 0.5) * h.binwidth, nb = counts[i]}
      if counts[i] > counts[most] then most = i end
      if counts[i] < counts[least] then least = i end
   end
   h.max, h.min = most, least
   return setmetatable(h, {__tostring = histogram_text})
end

-- gnuplot.hist(tensor [, bins] [, min] [, max]): draws the histogram, returns gnuplot.histc's.
function gnuplot.hist(tensor, bins, min, max)
   local h = gnuplot.histc(tensor, bins, min, max)
   local centres = torch.DoubleTensor(#h)
   for i = 1, #h do centres[i] = h[i].val end
   gnuplot.bar(centres, h.raw)
   return h
end

-------------------------------------------------------------------------------------------
-- figures and settings

function gnuplot.figure(n)
   return plotting.figure(n)
end

local function file_figure(filename, n)
   if type(filename) ~= 'string' then error('filename expected', 3) end
   if not paths.dirp(paths.dirname(filename)) then
      error('cannot save to ' .. filename .. ': directory does not exist', 3)
   end
   return plotting.figure(n, filename)
end

function gnuplot.pngfigure(filename, n) return file_figure(filename, n) end
function gnuplot.epsfigure(filename, n) return file_figure(filename, n) end
function gnuplot.pdffigure(filename, n) return file_figure(filename, n) end
function gnuplot.svgfigure(filename, n) return file_figure(filename, n) end

-- Writes the current figure (or figure n) now.
function gnuplot.plotflush(n)
   plotting.flush(n)
end

-- Draws the current figure into `filename` as well, in the format its extension names.
function gnuplot.figprint(filename)
   if type(filename) ~= 'string' then error('filename expected', 2) end
   plotting.print_to(filename)
end

function gnuplot.close(n)
   plotting.close(n)
end

function gnuplot.closeall()
   plotting.close_all()
end

function gnuplot.title(label) plotting.set('title', tostring(label)) end
function gnuplot.xlabel(label) plotting.set('xlabel', tostring(label)) end
function gnuplot.ylabel(label) plotting.set('ylabel', tostring(label)) end
function gnuplot.zlabel(label) plotting.set('zlabel', tostring(label)) end

function gnuplot.grid(toggle) plotting.set('grid', toggle and true or false) end
function gnuplot.logscale(toggle) plotting.set('logscale', toggle and true or false) end

local HORIZONTAL = {left = true, right = true, center = true}
local VERTICAL = {bottom = true, top = true, middle = true}

function gnuplot.movelegend(hloc, vloc)
   if not HORIZONTAL[hloc] or not VERTICAL[vloc] then
      error('horizontal location is unknown : plot.movelegend expects 2 strings as location '
         .. '{left|right|center}{bottom|top|middle}', 2)
   end
   local place = (vloc == 'middle' and 'center' or (vloc == 'top' and 'upper' or 'lower'))
   if vloc == 'middle' then
      place = hloc == 'center' and 'center' or 'center ' .. hloc
   else
      place = place .. ' ' .. hloc
   end
   plotting.set('legend', place)
end

-- gnuplot.axis('auto' | 'equal' | 'image' | 'fill' | {xmin, xmax, ymin, ymax})
function gnuplot.axis(axis)
   if axis == 'auto' or axis == 'fill' then
      plotting.set('axis', 'auto')
   elseif axis == 'image' or axis == 'equal' then
      plotting.set('axis', 'equal')
   elseif type(axis) == 'table' then
      if #axis ~= 4 then
         print('axis should have 4 componets {xmin,xmax,ymin,ymax}')
         return
      end
      plotting.set_axis(axis[1], axis[2], axis[3], axis[4])
   end
end

-- Commands for a gnuplot program have nothing to go to here.
function gnuplot.raw(command)
   print('gnuplot.raw: no gnuplot program behind the figures here; ignored: ' .. command)
end

function gnuplot.setgnuplotexe() end
function gnuplot.setterm() end

return gnuplot
