-- The graph package: edges and node tables, traversal orders, topological sort, cycles,
-- reversal, cloning and the Graphviz text, against graphs small enough to work out by hand.

require 'graph'

local tester = torch.Tester()
local tests = torch.TestSuite()

-- n[1] -> n[2], n[1] -> n[3], n[2] -> n[3], n[2] -> n[4], n[3] -> n[4]
local function diamond()
   local n = {}
   for i = 1, 4 do n[i] = graph.Node(i) end
   local g = graph.Graph()
   for _, e in ipairs({{1, 2}, {1, 3}, {2, 3}, {2, 4}, {3, 4}}) do
      g:add(graph.Edge(n[e[1]], n[e[2]]))
   end
   return g, n
end

local function data_of(nodes)
   local out = {}
   for i, node in ipairs(nodes) do out[i] = node.data end
   return out
end

function tests.add_records_nodes_edges_and_children()
   local g, n = diamond()
   tester:eq(#g.nodes, 4)
   tester:eq(#g.edges, 5)
   for i = 1, 4 do
      tester:eq(g.nodes[n[i]], i, 'node position map')
      tester:eq(n[i].id, i, 'ids are positions')
   end
   tester:eq(data_of(n[2].children), {3, 4})
   tester:eq(n[2].children[n[4]], 2, 'children map to their position')
   g:add(g.edges[1])                       -- an edge already there is not added again
   tester:eq(#g.edges, 5)
   tester:eq(#n[1].children, 2)
end

function tests.add_takes_a_list_and_refuses_other_values()
   local a, b, c = graph.Node('a'), graph.Node('b'), graph.Node('c')
   local g = graph.Graph()
   g:add({graph.Edge(a, b), graph.Edge(b, c)})
   tester:eq(data_of(g.nodes), {'a', 'b', 'c'})
   tester:assertErrorPattern(function() g:add(3) end, 'graph.Edge or {graph.Edges} expected')
end

function tests.roots_and_leaves()
   local g, n = diamond()
   local extra_root, extra_leaf = graph.Node(0), graph.Node(5)
   g:add(graph.Edge(extra_root, n[3]))
   g:add(graph.Edge(n[2], extra_leaf))
   tester:eq(data_of(g:roots()), {1, 0})
   tester:eq(data_of(g:leaves()), {4, 5})
end

function tests.depth_first_lists_children_before_parents()
   local g, n = diamond()
   local seen = {}
   n[1]:dfs(function(node) seen[#seen + 1] = node.data end)
   tester:eq(seen, {4, 3, 2, 1})
   for i = 1, 4 do tester:eq(n[i].visited, false, 'flags are cleared') end
end

function tests.breadth_first_goes_level_by_level()
   local g, n = diamond()
   local seen = {}
   n[1]:bfs(function(node) seen[#seen + 1] = node.data end)
   tester:eq(seen, {1, 2, 3, 4})
   for i = 1, 4 do tester:eq(n[i].marked, false, 'flags are cleared') end
end

-- Every edge goes forward in the order.
local function assert_topological(g, order)
   local position = {}
   for i, node in ipairs(order) do position[node] = i end
   tester:eq(#order, #g.nodes, 'every node listed once')
   for _, e in ipairs(g.edges) do
      tester:assert(position[e.from] < position[e.to], 'edge goes backwards in the order')
   end
end

function tests.topsort_orders_the_nodes()
   local g, n = diamond()
   local order = g:topsort()
   tester:eq(data_of(order), {1, 2, 3, 4})
   local bottleneck = {}
   for i = 11, 16 do bottleneck[i] = graph.Node(i) end
   g:add(graph.Edge(graph.Node(0), n[2]))
   g:add(graph.Edge(n[4], bottleneck[11]))
   g:add(graph.Edge(bottleneck[11], bottleneck[12]))
   g:add(graph.Edge(bottleneck[12], bottleneck[13]))
   g:add(graph.Edge(bottleneck[11], bottleneck[13]))
   g:add(graph.Edge(bottleneck[13], bottleneck[14]))
   g:add(graph.Edge(bottleneck[13], bottleneck[15]))
   g:add(graph.Edge(bottleneck[12], bottleneck[16]))
   assert_topological(g, g:topsort())
end

function tests.topsort_refuses_cycles()
   local a, b = graph.Node('a'), graph.Node('b')
   local g = graph.Graph()
   g:add(graph.Edge(a, b))
   g:add(graph.Edge(b, a))
   tester:assertErrorPattern(function() g:topsort() end, 'Graph has cycles')
end

function tests.has_cycle()
   local g, n = diamond()
   tester:eq(g:hasCycle(), false)
   local c1, c2 = graph.Node('c1'), graph.Node('c2')
   g:add(graph.Edge(n[3], c1))
   g:add(graph.Edge(c1, c2))
   g:add(graph.Edge(c2, n[2]))
   tester:eq(g:hasCycle(), true)
   for _, node in ipairs(g.nodes) do
      tester:eq(node.visited or node.marked, false, 'the check leaves no flag set')
   end
end

function tests.reverse_turns_edges_and_shares_data()
   local g, n = diamond()
   local data = {}
   n[1].data = data
   local r, map = g:reverse()
   tester:eq(#r.edges, 5)
   tester:assert(map[n[1]] ~= n[1], 'new nodes')
   tester:assert(map[n[1]].data == data, 'same data')
   for i, e in ipairs(g.edges) do
      tester:assert(r.edges[i].from == map[e.to] and r.edges[i].to == map[e.from])
   end
   tester:eq(torch.typename(map[n[2]]), 'graph.Node')
end

function tests.clone_copies_structure_over_the_same_data()
   local g = diamond()
   local c = g:clone()
   tester:eq(#c.nodes, 4)
   tester:eq(#c.edges, 5)
   for i, node in ipairs(c.nodes) do
      tester:assert(node ~= g.nodes[i])
      tester:eq(node.data, g.nodes[i].data)
      tester:eq(data_of(node.children), data_of(g.nodes[i].children))
   end
end

function tests.graph_of_a_node_is_what_it_reaches()
   local g, n = diamond()
   local sub = n[2]:graph()
   tester:eq(data_of(sub.nodes), {2, 3, 4})
   tester:eq(#sub.edges, 3)
end

function tests.dot_escape()
   tester:eq(graph._dotEscape('red'), 'red')
   tester:eq(graph._dotEscape('My label'), '"My label"')
   tester:eq(graph._dotEscape('Non[an'), '"Non[an"')
   tester:eq(graph._dotEscape('My\nnewline'), '"My\\nnewline"')
   tester:eq(graph._dotEscape('Say "hello"'), '"Say \\"hello\\""')
end

function tests.todot_text()
   local a, b = graph.Node('x'), graph.Node(2)
   function b:graphNodeName() return 'second' end
   function b:graphNodeAttributes() return {shape = 'box', color = 'red'} end
   local g = graph.Graph()
   g:add(graph.Edge(a, b))
   tester:eq(g:todot('My graph'), 'digraph G {\nlabelloc="t";\nlabel="My graph";\n'
      .. 'node [shape = oval]; \nn1[label="Node1\\nx"];'
      .. '\nn2[label="second\\n2" color=red shape=box];\nn1 -> n2;\n}')
   tester:eq(g:todot(), 'digraph G {\nnode [shape = oval]; \nn1[label="Node1\\nx"];'
      .. '\nn2[label="second\\n2" color=red shape=box];\nn1 -> n2;\n}')
end

tester:add(tests):run()
