-- optim.Logger: a text log of values over training (one column per name, one row per add)
-- and plots of them. The file starts with the names separated by tabs; each row holds the
-- values in %11.4e (strings as they are), each followed by a tab.
--
--    logger = optim.Logger('results/train.log')
--    logger:setNames{'training error', 'test error'}
--    logger:add{0.52, 0.61}
--    logger:style{'-', '-'}
--    logger:plot()     -- results/train.log.eps and results/train.log.png
--
-- plot() draws through gnuplot: into <log file>.eps as the original did, and into
-- <log file>.png as well; with showPlot (the default) also into a figure of its own.

require 'torch'
local xlua = require 'xlua'
local paths = require 'paths'

local Logger = torch.class('optim.Logger')

function Logger:__init(filename, timestamp)
   if filename then
      self.name = filename
      local folder = paths.dirname(filename)
      if not paths.dirp(folder) then paths.mkdir(folder) end
      if timestamp then filename = filename .. '-' .. os.date('%Y_%m_%d_%X') end
      self.file = assert(io.open(filename, 'w'))
      self.epsfile = self.name .. '.eps'
      self.pngfile = self.name .. '.png'
   else
      self.file = io.stdout
      self.name = 'stdout'
      print('<Logger> warning: no path provided, logging to std out')
   end
   self.empty = true
   self.symbols = {}
   self.styles = {}
   self.names = {}
   self.idx = {}
   self.order = {}
   self.figure = nil
   self.showPlot = true
   self.plotRawCmd = nil
   self.defaultStyle = '+'
   self.logscale = false
end

-- Declares the columns: later add{v1, v2, ...} gives their values in this order.
function Logger:setNames(names)
   self.names = names
   self.empty = false
   self.nsymbols = #names
   for k, name in ipairs(names) do
      self.file:write(name .. '\t')
      self.symbols[k] = {}
      self.styles[k] = {self.defaultStyle}
      self.idx[name] = k
      self.order[k] = k
   end
   self.file:write('\n')
   self.file:flush()
   return self
end

local function sorted_keys(t)
   local keys = {}
   for k in pairs(t) do keys[#keys + 1] = k end
   table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
   return keys
end

-- Logs one row: a table of name = value (the first call decides the columns, unless
-- setNames did), or of values in setNames' order.
function Logger:add(symbols)
   if self.empty then
      self.empty = false
      self.nsymbols = #symbols
      for _, k in ipairs(sorted_keys(symbols)) do
         self.file:write(tostring(k) .. '\t')
         self.symbols[k] = {}
         self.styles[k] = {self.defaultStyle}
         self.names[k] = k
         self.order[#self.order + 1] = k
      end
      self.idx = self.names
      self.file:write('\n')
   end
   for _, k in ipairs(self.order) do
      local value = symbols[k]
      if type(value) == 'number' then
         self.file:write(string.format('%11.4e', value) .. '\t')
      elseif type(value) == 'string' then
         self.file:write(value .. '\t')
      elseif value ~= nil then
         xlua.error('can only log numbers and strings', 'Logger')
      end
   end
   self.file:write('\n')
   self.file:flush()
   for _, k in ipairs(self.order) do
      if symbols[k] ~= nil then table.insert(self.symbols[k], symbols[k]) end
   end
end

-- The gnuplot styles ('-', '+', '.', '|', '~' ...) of columns, by name or position.
function Logger:style(symbols)
   for name, style in pairs(symbols) do
      if type(style) == 'string' then
         self.styles[name] = {style}
      elseif type(style) == 'table' then
         self.styles[name] = style
      else
         xlua.error('style should be a string or a table of strings', 'Logger')
      end
   end
   return self
end

function Logger:setlogscale(state)
   self.logscale = state
end

function Logger:display(state)
   self.showPlot = state
end

local function draw(self, plots)
   if self.logscale then gnuplot.logscale(true) end
   gnuplot.plot(plots)
   if self.plotRawCmd then gnuplot.raw(self.plotRawCmd) end
   gnuplot.grid(true)
   gnuplot.title('<Logger::' .. self.name .. '>')
end

-- Plots the columns named (all of them when none is), each with its styles; a column
-- needs two values to plot.
function Logger:plot(...)
   if not xlua.require('gnuplot') then
      if not self.warned then
         print('<Logger> warning: cannot plot with this version of Torch')
         self.warned = true
      end
      return
   end
   local plots = {}
   local function add_plot(key)
      local values = self.symbols[key]
      if not values or #values < 2 then return end
      local y = torch.DoubleTensor(#values)
      for i, v in ipairs(values) do y[i] = tonumber(v) or 0 / 0 end
      for _, style in ipairs(self.styles[key]) do
         plots[#plots + 1] = {tostring(self.names[key]), y, style}
      end
   end
   local wanted = {...}
   if #wanted == 0 then
      for _, key in ipairs(self.order) do add_plot(key) end
   else
      for _, name in ipairs(wanted) do add_plot(self.idx[name]) end
   end
   if #plots == 0 then return end
   if self.showPlot then
      self.figure = gnuplot.figure(self.figure)
      draw(self, plots)
   end
   for _, file in ipairs({self.epsfile, self.pngfile}) do
      os.remove(file)
      local figure = gnuplot.epsfigure(file)
      draw(self, plots)
      gnuplot.plotflush()
      gnuplot.close(figure)
   end
end
