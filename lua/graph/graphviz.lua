-- Rendering through Graphviz's `dot` program, when it is installed (the original linked
-- libgvc; the program gives the same layouts and files). Without it these functions raise
-- an error, as the original did without the library; Graph:todot needs nothing.

local function is_executable_file(path)
   local f = io.open(path, 'rb')
   if not f then return false end
   f:close()
   return os.execute(string.format("test -x '%s'", path)) == 0
end

local dot_program = false       -- the path once found; nil when known to be missing
local function find_dot()
   if dot_program == false then
      dot_program = nil
      for dir in (os.getenv('PATH') or ''):gmatch('[^:]+') do
         if is_executable_file(dir .. '/dot') then
            dot_program = dir .. '/dot'
            break
         end
      end
   end
   return dot_program
end

function graph.graphvizAvailable()
   return find_dot() ~= nil
end

local function quote(path)
   return "'" .. path:gsub("'", "'\\''") .. "'"
end

local function write_file(path, text)
   local f = assert(io.open(path, 'w'))
   f:write(text)
   f:close()
end

local function require_dot(caller)
   local program = find_dot()
   if not program then
      error(caller .. ": Graphviz's dot program was not found on PATH (install graphviz)", 3)
   end
   return program
end

-- Runs dot on a graph's text with a layout algorithm and an output format, into `output`.
local function render(program, text, algorithm, format, output, caller)
   local source = os.tmpname()
   write_file(source, text)
   local command = string.format('%s -K%s -T%s -o %s %s', quote(program), algorithm, format,
      quote(output), quote(source))
   local status = os.execute(command)
   os.remove(source)
   if status ~= 0 then
      error(string.format('%s: graphviz failed (%s)', caller, command), 3)
   end
end

-- graph._render(text, format, output[, caller]): Graphviz text drawn by dot into a file of
-- the given format (for packages that write their own text, as nngraph does).
function graph._render(text, format, output, caller)
   caller = caller or 'graph._render'
   render(require_dot(caller), text, 'dot', format, output, caller)
end

-- graph.graphvizFile(g, algorithm, fname): g drawn by `algorithm` ('dot' by default) in the
-- format named by fname's extension (svg, png, pdf, dot...).
function graph.graphvizFile(g, algorithm, fname)
   local program = require_dot('graph.graphvizFile')
   local format = fname:match('%.(%w+)$')
   if not format then error('graph.graphvizFile: the file name needs an extension', 2) end
   render(program, g:todot(), algorithm or 'dot', format, fname, 'graph.graphvizFile')
end

-- graph.graphvizLayout(g[, algorithm]): an n x 2 tensor of node positions in [0, 1],
-- row i for the node of id i.
function graph.graphvizLayout(g, algorithm)
   local program = require_dot('graph.graphvizLayout')
   local plain = os.tmpname()
   render(program, g:todot(), algorithm or 'dot', 'plain', plain, 'graph.graphvizLayout')
   local positions = torch.zeros(#g.nodes, 2)
   local width, height
   for line in io.lines(plain) do
      local w, h = line:match('^graph %S+ (%S+) (%S+)')
      if w then width, height = tonumber(w), tonumber(h) end
      local id, x, y = line:match('^node n(%d+) (%S+) (%S+)')
      if id then
         positions[tonumber(id)][1] = tonumber(x) / width
         positions[tonumber(id)][2] = tonumber(y) / height
      end
   end
   os.remove(plain)
   return positions
end

-- graph.dot(g[, title][, fname]): writes fname.dot and fname.svg. Without Graphviz only
-- fname.dot can be written (the plain todot text), and an error says so. With no fname
-- the original opened a Qt window; here the files go to a temporary name, printed.
function graph.dot(g, title, fname)
   local text = g:todot(title)
   local program = find_dot()
   if not program then
      if fname then write_file(fname .. '.dot', text) end
      error("graph.dot: Graphviz's dot program was not found on PATH (install graphviz)"
         .. (fname and ('; only ' .. fname .. '.dot was written') or ''), 2)
   end
   local base = fname or os.tmpname()
   render(program, text, 'dot', 'svg', base .. '.svg', 'graph.dot')
   render(program, text, 'dot', 'dot', base .. '.dot', 'graph.dot')
   if not fname then print('graph.dot: drawn in ' .. base .. '.svg') end
end
