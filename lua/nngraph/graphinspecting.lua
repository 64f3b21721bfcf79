-- Tools to look at graphs: nngraph.setDebug (draw the graph with the failing node in red
-- when a gModule call fails), nngraph.annotateNodes (name nodes after local variables) and
-- nngraph.display.

local node_steps = {}
for _, step in ipairs(nn.gModule._nodeSteps) do node_steps[step] = true end

-- The node a failing gModule was working on: the first argument of the innermost per-node
-- step on the stack.
local function failing_node()
   for level = 2, math.huge do
      local info = debug.getinfo(level, 'f')
      if not info then return nil end
      if node_steps[info.func] then
         local _, node = debug.getlocal(level, 1)
         return node
      end
   end
end

-- The forward graph's text, the failed node filled in red.
local function dot_with_failure(fg, title, failed)
   local text = fg:todot(title)
   if not failed then return text end
   for _, node in ipairs(fg.nodes) do
      if node.data == failed.data then
         return text:gsub('}%s*$', '')
            .. string.format('n%d[style=filled, fillcolor=red];\n}', node.id)
      end
   end
   return text
end

-- Writes <prefix>.dot and, when Graphviz is installed, <prefix>.svg.
local function save_drawing(prefix, text)
   io.stderr:write(string.format('saving %s.svg\n', prefix))
   local f = assert(io.open(prefix .. '.dot', 'w'))
   f:write(text)
   f:close()
   if graph.graphvizAvailable() then
      graph._render(text, 'svg', prefix .. '.svg', 'nngraph.setDebug')
   else
      io.stderr:write("Graphviz's dot program was not found: only " .. prefix
         .. '.dot was written\n')
   end
end

local function draw_failure(gmodule, failed)
   local nInputs = gmodule.nInputs or #gmodule.innode.children
   local prefix = gmodule.name
      or string.format('nngraph_%sin_%sout', nInputs, #gmodule.outnode.children)
   if paths.filep(prefix .. '.svg') then
      prefix = prefix .. '_' .. paths.basename(os.tmpname())
   end
   save_drawing(prefix, dot_with_failure(gmodule.fg, prefix, failed))
end

local DEBUGGED = {'runForwardFunction', 'updateGradInput', 'accGradParameters'}
local originals = {}
for _, name in ipairs(DEBUGGED) do originals[name] = nn.gModule[name] end

-- nngraph.setDebug(true): a gModule whose call fails saves a drawing of its graph, named
-- after gmodule.name (or its numbers of inputs and outputs), with the failing node in red,
-- then raises the error again. setDebug(false) restores the plain methods.
function nngraph.setDebug(enable)
   for _, name in ipairs(DEBUGGED) do
      local original = originals[name]
      if enable then
         nn.gModule[name] = function(gmodule, ...)
            local args, n = {...}, select('#', ...)
            local failed
            local function handler(message)
               failed = failing_node()
               if type(message) == 'string'
                     and not message:find('stack traceback:\n', 1, true) then
                  message = debug.traceback(message, 2)
               end
               return message
            end
            local results = {xpcall(function() return original(gmodule, unpack(args, 1, n)) end,
                                    handler)}
            if results[1] then return unpack(results, 2) end
            local drawn, why = pcall(draw_failure, gmodule, failed)
            if not drawn then
               io.stderr:write('nngraph.setDebug: could not draw the graph: ' .. tostring(why)
                  .. '\n')
            end
            error(results[2], 0)
         end
      else
         nn.gModule[name] = original
      end
   end
end

-- nngraph.annotateNodes([level]): names each node held in a local variable of the calling
-- function (or of the function `level` frames up) after that variable, unless named.
function nngraph.annotateNodes(stackLevel)
   local level = (stackLevel or 1) + 1
   for index = 1, math.huge do
      local name, value = debug.getlocal(level, index)
      if not name then break end
      if torch.typename(value) == 'nngraph.Node' and not value.data.annotations.name then
         value:annotate({name = name})
      end
   end
end

-- nngraph.display(gmodule): draws the forward graph and opens the drawing.
function nngraph.display(gmodule)
   local fname = os.tmpname()
   graph.dot(gmodule.fg, fname, fname)
   local ffi = require 'ffi'
   local opener = ffi.os == 'OSX' and 'open' or 'xdg-open'
   os.execute(opener .. ' ' .. fname .. '.svg')
end
