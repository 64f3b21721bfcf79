-- graph.Edge(from, to[, weight]): a directed edge; only data, the graph keeps the links.

local Edge = torch.class('graph.Edge')

function Edge:__init(from, to, weight)
   self.from = from
   self.to = to
   self.weight = weight
end

return Edge
