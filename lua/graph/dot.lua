-- The Graphviz text of a graph (Graph:todot), in the original's layout: one statement per
-- node, named n<id>, labelled with the node's name and label(), then one per edge.

-- A word of letters stays as it is; anything else is quoted, with newlines and quotes
-- escaped.
function graph._dotEscape(str)
   if not str:find('[^a-zA-Z]') then return str end
   return '"' .. str:gsub('\n', '\\n'):gsub('"', '\\"') .. '"'
end

-- ' key=value key=value' from a table of Graphviz attributes, keys sorted.
local function attribute_string(attributes)
   local keys = {}
   for k in pairs(attributes) do keys[#keys + 1] = k end
   table.sort(keys)
   local parts = {}
   for i, k in ipairs(keys) do
      parts[i] = tostring(k) .. '=' .. graph._dotEscape(tostring(attributes[k]))
   end
   return ' ' .. table.concat(parts, ' ')
end

-- Nodes may name themselves (graphNodeName) and add attributes (graphNodeAttributes).
function graph.Graph:todot(title)
   local out = {'digraph G {\n'}
   if title then
      out[#out + 1] = 'labelloc="t";\nlabel="' .. title .. '";\n'
   end
   out[#out + 1] = 'node [shape = oval]; '
   for _, node in ipairs(self.nodes) do
      local name = node.graphNodeName and node:graphNodeName() or ('Node' .. node.id)
      local attributes = ''
      if node.graphNodeAttributes then
         attributes = attribute_string(node:graphNodeAttributes())
      end
      out[#out + 1] = string.format('\nn%d[label=%s%s];', node.id,
         graph._dotEscape(name .. '\n' .. node:label()), attributes)
   end
   out[#out + 1] = '\n'
   for _, e in ipairs(self.edges) do
      out[#out + 1] = string.format('n%d -> n%d;\n', e.from.id, e.to.id)
   end
   out[#out + 1] = '}'
   return table.concat(out)
end
