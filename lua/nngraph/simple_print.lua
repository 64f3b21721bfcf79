-- nngraph.simple_print: drawings of a graph without its routing nodes (Identity modules and
-- nodes without a module): each removed node's inputs are linked to its consumers.

local simple_print = {}

local function shown(node)
   local module = node.data and node.data.module
   return module ~= nil and torch.typename(module) ~= 'nn.Identity'
end

-- The kept nodes, renumbered from 1 in graph order, and the edges between them (as pairs
-- of new numbers), bridging over the removed nodes.
local function simplify(g)
   local edges = {}
   for _, node in ipairs(g.nodes) do
      for _, child in ipairs(node.children) do
         edges[#edges + 1] = {source = node.id, target = child.id}
      end
   end
   local kept = {}
   for _, node in ipairs(g.nodes) do
      if shown(node) then
         kept[#kept + 1] = node
      else
         local sources, targets, remaining = {}, {}, {}
         for _, e in ipairs(edges) do
            if e.source == node.id then
               targets[#targets + 1] = e.target
            elseif e.target == node.id then
               sources[#sources + 1] = e.source
            else
               remaining[#remaining + 1] = e
            end
         end
         for _, s in ipairs(sources) do
            for _, t in ipairs(targets) do
               remaining[#remaining + 1] = {source = s, target = t}
            end
         end
         edges = remaining
      end
   end
   local number = {}
   for i, node in ipairs(kept) do number[node.id] = i end
   for _, e in ipairs(edges) do
      e.source, e.target = number[e.source], number[e.target]
   end
   return kept, edges
end

-- Like Graph:todot, with the routing nodes left out. Nodes keep their graph ids in labels.
function simple_print.todot(g, title)
   local nodes, edges = simplify(g)
   local out = {'digraph G {\n'}
   if title then out[#out + 1] = 'labelloc="t";\nlabel="' .. title .. '";\n' end
   out[#out + 1] = 'node [shape = oval]; '
   for _, node in ipairs(nodes) do
      out[#out + 1] = string.format('\nn%d[label="Node%d\\n%s"];', node.id, node.id,
         node:label())
   end
   out[#out + 1] = '\n'
   for _, e in ipairs(edges) do
      out[#out + 1] = string.format('n%d -> n%d;\n', nodes[e.source].id, nodes[e.target].id)
   end
   out[#out + 1] = '}'
   return table.concat(out)
end

-- Writes fname.dot, and fname.svg through Graphviz.
function simple_print.dot(g, title, fname)
   local text = simple_print.todot(g, title)
   fname = fname or os.tmpname()
   local f = assert(io.open(fname .. '.dot', 'w'))
   f:write(text)
   f:close()
   graph._render(text, 'svg', fname .. '.svg', 'nngraph.simple_print.dot')
end

return simple_print
