-- graph.Node(data): a node with a list of children. Nodes linked by add() form a graph of
-- their own that traversals walk from any node; graph.Graph adds the global node and edge
-- tables that whole-graph algorithms need.
--
-- Fields (as saved in .t7 files): data, id (its index in the last graph it joined),
-- children (a list that also maps each child to its position), visited and marked (the
-- flags of the depth-first and breadth-first walks, false between walks).

local Node = torch.class('graph.Node')

function Node:__init(data)
   self.data = data
   self.id = 0
   self.children = {}
   self.visited = false
   self.marked = false
end

-- add(child) or add({child, ...}): appends children not already there.
function Node:add(child)
   if type(child) == 'table' and not torch.typename(child) then
      for _, c in ipairs(child) do self:add(c) end
      return
   end
   local children = self.children
   if not children[child] then
      children[#children + 1] = child
      children[child] = #children
   end
end

-- Depth-first walk that does not enter a node whose `visited` flag is set: pre(node) runs
-- on the way down, post(node) after the node's children. Setting the flag is left to the
-- callbacks (dfs sets it in pre), as in the original.
function Node:visit(pre, post)
   if self.visited then return end
   if pre then pre(self) end
   for _, child in ipairs(self.children) do child:visit(pre, post) end
   if post then post(self) end
end

function Node:label()
   return tostring(self.data)
end

-- The graph made of the edges reachable from this node, added in breadth-first order.
function Node:graph()
   local g = graph.Graph()
   self:bfs(function(node)
      for _, child in ipairs(node.children) do g:add(graph.Edge(node, child)) end
   end)
   return g
end

-- Calls func on every node reachable from this one, children before their parent; leaves
-- their `visited` flags set and returns them in that order.
function Node:dfs_dirty(func)
   local order = {}
   self:visit(function(node) node.visited = true end,
              function(node)
                 func(node)
                 order[#order + 1] = node
              end)
   return order
end

function Node:dfs(func)
   for _, node in ipairs(self:dfs_dirty(func)) do node.visited = false end
end

-- Calls func on every node reachable from this one in breadth-first order (children in
-- their order); leaves their `marked` flags set and returns them in that order.
function Node:bfs_dirty(func)
   local order, queue, head = {}, {self}, 1
   self.marked = true
   while queue[head] do
      local node = queue[head]
      head = head + 1
      order[#order + 1] = node
      func(node)
      for _, child in ipairs(node.children) do
         if not child.marked then
            child.marked = true
            queue[#queue + 1] = child
         end
      end
   end
   return order
end

function Node:bfs(func)
   for _, node in ipairs(self:bfs_dirty(func)) do node.marked = false end
end

-- Whether a cycle can be reached from this node: a walk that meets a node still on its
-- path. The walk keeps its state to itself and leaves the nodes' flags untouched.
function Node:hasCycle()
   local ON_PATH, DONE = 1, 2
   local state = {}
   local function walk(node)
      state[node] = ON_PATH
      for _, child in ipairs(node.children) do
         local s = state[child]
         if s == ON_PATH then return true end
         if s == nil and walk(child) then return true end
      end
      state[node] = DONE
      return false
   end
   return walk(self)
end

return Node
