-- graph.Graph: a directed graph as a node table and an edge table. Each table is a list
-- (in the order things were added) that also maps each node or edge to its position;
-- saved graphs store both parts, and a node's id is its position in `nodes`.

local Graph = torch.class('graph.Graph')

function Graph:__init()
   self.nodes = {}
   self.edges = {}
end

local function append(list, item)
   if not list[item] then
      list[#list + 1] = item
      list[item] = #list
   end
end

-- add(edge) or add({edge, ...}): records the edge and its two nodes (from first), links the
-- nodes (to becomes a child of from) and numbers them.
function Graph:add(edge)
   if type(edge) ~= 'table' then
      error('graph.Edge or {graph.Edges} expected', 2)
   end
   if not torch.typename(edge) then
      for _, e in ipairs(edge) do self:add(e) end
      return
   end
   append(self.edges, edge)
   append(self.nodes, edge.from)
   append(self.nodes, edge.to)
   edge.from:add(edge.to)
   edge.from.id = self.nodes[edge.from]
   edge.to.id = self.nodes[edge.to]
end

-- A graph of new nodes (of each node's own class) over the same data, with the same edges.
function Graph:clone()
   local copy = graph.Graph()
   local new_nodes = {}
   for i, node in ipairs(self.nodes) do new_nodes[i] = node.new(node.data) end
   for _, e in ipairs(self.edges) do
      copy:add(e.new(new_nodes[self.nodes[e.from]], new_nodes[self.nodes[e.to]]))
   end
   return copy
end

-- The graph with every edge turned around, over new nodes sharing the data; also returns
-- the map from each node of this graph to its new node.
function Graph:reverse()
   local reversed, map = graph.Graph(), {}
   for _, e in ipairs(self.edges) do
      map[e.from] = map[e.from] or e.from.new(e.from.data)
      map[e.to] = map[e.to] or e.to.new(e.to.data)
      reversed:add(e.new(map[e.to], map[e.from]))
   end
   return reversed, map
end

-- The nodes no edge leads to (roots) or leaves (leaves), in the graph's node order.
local function nodes_without(self, field)
   local has = {}
   for _, e in ipairs(self.edges) do has[e[field]] = true end
   local found = {}
   for _, node in ipairs(self.nodes) do
      if not has[node] then found[#found + 1] = node end
   end
   return found
end

function Graph:roots()
   return nodes_without(self, 'to')
end

function Graph:leaves()
   return nodes_without(self, 'from')
end

function Graph:hasCycle()
   local roots = self:roots()
   if #roots == 0 then return true end
   for _, root in ipairs(roots) do
      if root:hasCycle() then return true end
   end
   return false
end

-- The nodes in an order where every node comes after all the nodes with an edge to it.
-- Walks the reversed graph depth first from its roots (this graph's leaves, in order),
-- listing each node once all its predecessors are listed. Also returns the reversed graph
-- and its roots.
function Graph:topsort()
   local reversed, map = self:reverse()
   local original = {}
   for node, twin in pairs(map) do original[twin] = node end

   local roots = reversed:roots()
   if #roots == 0 then error('Graph has cycles', 2) end
   local start = roots[1]
   if #roots > 1 then
      start = graph.Node('dummy_root')      -- not in `original`: never listed
      for _, root in ipairs(roots) do start:add(root) end
   end

   local sorted = {}
   start:dfs(function(twin)
      local node = original[twin]
      if node then sorted[#sorted + 1] = node end
   end)
   if #sorted ~= #self.nodes then error('Graph has cycles', 2) end
   return sorted, reversed, roots
end

return Graph
