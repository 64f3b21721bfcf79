-- require 'graph': directed graphs of nodes holding arbitrary data (the package nngraph
-- stands on; saved gModules contain its objects, so class and field names are the
-- original's), with traversals, topological sort and Graphviz output.

require 'torch'

graph = graph or {}

require 'graph.Node'
require 'graph.Edge'
require 'graph.Graph'
require 'graph.dot'
require 'graph.graphviz'

return graph
