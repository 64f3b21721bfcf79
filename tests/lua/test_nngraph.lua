-- nngraph: gModules against the same networks composed by hand (nn.Sequential, or module
-- calls written out), finite differences of inputs and parameters, split/nest routing,
-- nested graphs, weights shared across time steps as char-rnn unrolls them, annotations,
-- drawings and the errors the original reports.

require 'nngraph'

local tester = torch.Tester()
local tests = torch.TestSuite()

-- A table-input module written here so that the tests need no other nn class: the sum
-- of the tensors of its input list.
local Sum = torch.class('nngraphtest.Sum', 'nn.Module')

function Sum:updateOutput(input)
   self.output:resizeAs(input[1]):copy(input[1])
   for i = 2, #input do self.output:add(input[i]) end
   return self.output
end

function Sum:updateGradInput(input, gradOutput)
   self.gradInput = {}
   for i = 1, #input do self.gradInput[i] = gradOutput:clone() end
   return self.gradInput
end

local function max_difference(a, b)
   return (a - b):abs():max()
end

-- d loss / d v by central differences, loss() being evaluated with v's elements moved.
local function numeric_gradient(loss, v)
   local flat = v:view(v:nElement())
   local grad = torch.Tensor(v:nElement())
   for i = 1, flat:nElement() do
      local keep = flat[i]
      flat[i] = keep + 1e-6
      local up = loss()
      flat[i] = keep - 1e-6
      local down = loss()
      flat[i] = keep
      grad[i] = (up - down) / 2e-6
   end
   return grad:viewAs(v)
end

function tests.mlp_matches_sequential()
   local x = nn.Identity()()
   local l1, l2 = nn.Linear(4, 5), nn.Linear(5, 3)
   local g = nn.gModule({x}, {l2(nn.Tanh()(l1(x)))})
   local seq = nn.Sequential():add(l1:clone()):add(nn.Tanh()):add(l2:clone())
   local input, gradOutput = torch.randn(6, 4), torch.randn(6, 3)
   tester:eq(g:forward(input), seq:forward(input), 1e-12, 'output')
   g:zeroGradParameters()
   seq:zeroGradParameters()
   tester:eq(g:backward(input, gradOutput), seq:backward(input, gradOutput), 1e-12,
      'gradInput')
   tester:eq(l1.gradWeight, seq:get(1).gradWeight, 1e-12, 'gradWeight')
   tester:eq(l2.gradBias, seq:get(3).gradBias, 1e-12, 'gradBias')
   tester:eq(#g.modules, 4, 'modules: Identity, Linear, Tanh, Linear')
   tester:assert(g.modules[2] == l1 and g.modules[4] == l2, 'modules in forward order')
end

function tests.jacobian_of_input_and_parameters()
   local x = nn.Identity()()
   local l1, l2 = nn.Linear(3, 4), nn.Linear(4, 2)
   local g = nn.gModule({x}, {l2(nn.Sigmoid()(l1(x)))})
   local input = torch.randn(3)
   tester:assertlt(nn.Jacobian.testJacobian(g, input), 1e-6, 'gradInput')
   tester:assertlt(nn.Jacobian.testJacobianParameters(g, input, l1.weight, l1.gradWeight),
      1e-6, 'gradWeight')
   tester:assertlt(nn.Jacobian.testJacobianParameters(g, input, l2.bias, l2.gradBias),
      1e-6, 'gradBias')
end

-- Two inputs, two outputs, and a node feeding two consumers (its gradients are summed).
local function two_by_two()
   local x, y = nn.Identity()(), nn.Identity()()
   local lx, ly, lo = nn.Linear(3, 4), nn.Linear(2, 4), nn.Linear(4, 4)
   local h = nn.Tanh()(lx(x))
   local out1 = nngraphtest.Sum()({h, ly(y)})
   local out2 = nn.Sigmoid()(lo(h))
   return nn.gModule({x, y}, {out1, out2}), lx, ly, lo
end

function tests.two_inputs_two_outputs_match_manual_composition()
   local g, lx, ly, lo = two_by_two()
   local x, y = torch.randn(3), torch.randn(2)
   local out = g:forward({x, y})
   tester:eq(#out, 2)
   local h = torch.tanh(lx:forward(x))
   tester:eq(out[1], h + ly:forward(y), 1e-12, 'first output')
   tester:eq(out[2], torch.sigmoid(lo:forward(h)), 1e-12, 'second output')
end

function tests.two_inputs_two_outputs_gradients_by_finite_differences()
   local g, lx = two_by_two()
   local x, y = torch.randn(3), torch.randn(2)
   local g1, g2 = torch.randn(4), torch.randn(4)
   local function loss()
      local out = g:forward({x, y})
      return out[1]:dot(g1) + out[2]:dot(g2)
   end
   g:forward({x, y})
   g:zeroGradParameters()
   local gradInput = g:backward({x, y}, {g1, g2})
   tester:eq(gradInput[1], numeric_gradient(loss, x), 1e-6, 'gradient of x')
   tester:eq(gradInput[2], numeric_gradient(loss, y), 1e-6, 'gradient of y')
   tester:eq(lx.gradWeight, numeric_gradient(loss, lx.weight), 1e-6, 'gradient of a weight')
   tester:eq(lx.gradBias, numeric_gradient(loss, lx.bias), 1e-6, 'gradient of a bias')
end

function tests.gradients_of_a_reused_node_are_summed_again_each_call()
   local x = nn.Identity()()
   local g = nn.gModule({x}, {nn.Identity()(x), nn.Identity()(x)})
   local input = torch.Tensor{1}
   g:forward(input)
   tester:eq(g:backward(input, {torch.Tensor{-2}, torch.Tensor{-3}}), torch.Tensor{-5})
   g:forward(input)
   tester:eq(g:backward(input, {torch.Tensor{4}, torch.Tensor{1}}), torch.Tensor{5})
end

function tests.split_routes_table_items()
   local pair = nn.Identity()()
   local a, b = pair:split(2)
   local g = nn.gModule({pair}, {nngraphtest.Sum()({nn.Tanh()(a), b})})
   local x, y = torch.randn(5), torch.randn(5)
   tester:eq(g:forward({x, y}), torch.tanh(x) + y, 1e-12)
   local gradOutput = torch.randn(5)
   local gradInput = g:backward({x, y}, gradOutput)
   tester:eq(gradInput[1], torch.cmul(gradOutput, 1 - torch.cmul(torch.tanh(x),
      torch.tanh(x))), 1e-12)
   tester:eq(gradInput[2], gradOutput, 1e-12)
end

function tests.split_of_one_and_nest()
   local a, b, c = nn.Identity()(), nn.Identity()(), nn.Identity()()
   local only = nngraph.nest({a}):split(1)
   local g = nn.gModule({a, b, c}, {only, nngraph.nest({a, {b}, c}), nngraph.nest(b)})
   local x, y, z = torch.randn(2), torch.randn(3), torch.randn(4)
   local out = g:forward({x, y, z})
   tester:eq(out, {x, {x, {y}, z}, y})
   local gradInput = g:backward({x, y, z}, {x:clone():fill(1), {x:clone():fill(2),
      {y:clone():fill(3)}, z:clone():fill(4)}, y:clone():fill(5)})
   tester:eq(gradInput, {x:clone():fill(3), y:clone():fill(8), z:clone():fill(4)})
end

function tests.nested_gmodule_matches_flat_graph()
   local ix = nn.Identity()()
   local inner_linear = nn.Linear(3, 3)
   local inner = nn.gModule({ix}, {nn.Tanh()(inner_linear(ix))})
   local x = nn.Identity()()
   local outer_linear = nn.Linear(3, 2)
   local outer = nn.gModule({x}, {outer_linear(inner(x))})
   local input = torch.randn(3)
   local expected = outer_linear:forward(torch.tanh(inner_linear:forward(input)))
   tester:eq(outer:forward(input), expected, 1e-12)
   tester:assertlt(nn.Jacobian.testJacobian(outer, input), 1e-6)
   tester:assertlt(nn.Jacobian.testJacobianParameters(outer, input, inner_linear.weight,
      inner_linear.gradWeight), 1e-6)
   local params = outer:parameters()
   tester:eq(#params, 4, 'the inner graph\'s parameters are the outer\'s')
end

function tests.chain_operators_build_the_same_graph()
   local lin1, lin2 = nn.Linear(4, 3), nn.Linear(3, 2)
   local h1 = -lin1
   local h2 = h1 - nn.Tanh() - lin2
   local chained = nn.gModule({h1}, {h2})
   local a, b = nn.Identity()(), nn.Identity()()
   local summed = nn.gModule({a, b}, {{a, b} - nngraphtest.Sum()})
   local input = torch.randn(4)
   tester:eq(chained:forward(input), lin2:forward(torch.tanh(lin1:forward(input))), 1e-12)
   local x, y = torch.randn(2), torch.randn(2)
   tester:eq(summed:forward({x, y}), x + y, 1e-12)
end

-- The char-rnn way of unrolling: clones of one step whose parameters are views of the
-- prototype's flat parameter tensors, run one per time step and backpropagated in reverse.
function tests.clones_sharing_parameters_across_time_steps()
   local x, h = nn.Identity()(), nn.Identity()()
   local step = nn.gModule({x, h}, {nn.Tanh()(nngraphtest.Sum()({nn.Linear(2, 3)(x),
      nn.Linear(3, 3)(h)}))})
   local params, gradParams = step:getParameters()
   local T = 4
   local clones = {}
   for t = 1, T do
      clones[t] = step:clone()
      local p, gp = clones[t]:parameters()
      local sp, sgp = step:parameters()
      for i = 1, #p do
         p[i]:set(sp[i])
         gp[i]:set(sgp[i])
      end
   end
   local inputs, h0 = {}, torch.zeros(3)
   for t = 1, T do inputs[t] = torch.randn(2) end
   local weight_of_output = torch.randn(3)
   local function run()
      local states = {[0] = h0}
      for t = 1, T do states[t] = clones[t]:forward({inputs[t], states[t - 1]}) end
      return states
   end
   local function loss() return run()[T]:dot(weight_of_output) end

   local states = run()
   gradParams:zero()
   local gradState = weight_of_output
   for t = T, 1, -1 do
      gradState = clones[t]:backward({inputs[t], states[t - 1]}, gradState)[2]
   end
   tester:eq(gradParams, numeric_gradient(loss, params), 1e-6,
      'accumulated gradient of the shared parameters')
   for t = 1, T do
      for _, p in ipairs(clones[t]:parameters()) do
         tester:eq(torch.pointer(p:storage()), torch.pointer(params:storage()), 'shared')
      end
   end
end

function tests.annotations_names_and_labels()
   local input = nn.Identity()():annotate({name = 'Input', description = 'DescA',
      graphAttributes = {color = 'red'}})
   local hidden = nn.Linear(2, 2)(input):annotate({name = 'Hidden A'})
   local g = nn.gModule({input}, {hidden})
   tester:assert(input:label():match('^desc = DescA\\n') ~= nil, 'description first')
   tester:assert(hidden:label():match('module = nn.Linear%(2 %-> 2%)') ~= nil, 'module line')
   local text = g.fg:todot('T')
   tester:assert(text:find('label="Input (', 1, true) ~= nil, 'named node')
   tester:assert(text:find('color=red', 1, true) ~= nil, 'graph attributes kept')
   local here = debug.getinfo(1, 'S').short_src
   tester:assert(text:find('tooltip="[' .. here .. ']:', 1, true) ~= nil,
      'declaration place as tooltip')
end

function tests.debug_labels_name_the_declaring_line()
   local node = nn.Identity()(); local line = debug.getinfo(1, 'Sl')
   tester:eq(node.data.annotations._debugLabel,
      string.format('[%s]:%d_', line.short_src, line.currentline))
   node.data.annotations._debugLabel = 'node'
   local a, b = node:split(2)
   tester:eq(a.data.annotations._debugLabel, 'node-1')
   tester:eq(b.data.annotations._debugLabel, 'node-2')
end

function tests.wrong_graphs_are_refused()
   local function refused(pattern, build)
      tester:assertErrorPattern(build, pattern)
   end
   refused('inputs%[2%] is an nn%.Module, specifically a nn%.Identity', function()
      nn.Tanh()({nn.Identity()(), nn.Identity()})
   end)
   refused('outputs%[2%] is nil %(typo / bad index%?%)', function()
      local x = nn.Identity()()
      nn.gModule({x}, {nn.Tanh()(x), nil, nn.Tanh()(x)})
   end)
   refused('cannot pass an empty table of inputs', function() nn.Identity()({}) end)
   refused('Use {input1, input2} to pass multiple inputs', function()
      nn.Identity()(nn.Identity()(), nn.Identity()())
   end)
   refused('1 of split%(2%) outputs from the node declared at .* are unused', function()
      local x = nn.Identity()()
      local a = x:split(2)
      nn.gModule({x}, {a})
   end)
   refused('does not connect to gmodule output', function()
      local x = nn.Identity()()
      local _ = nn.Tanh()(x)
      nn.gModule({x}, {nn.Sigmoid()(x)})
   end)
   refused('unused', function()
      local x, y = nn.Identity()(), nn.Identity()()
      nn.gModule({x, y}, {x})
   end)
end

function tests.wrong_inputs_at_run_time()
   local a, b = nn.Identity()(), nn.Identity()()
   local g = nn.gModule({a, b}, {nngraphtest.Sum()({a, b})})
   tester:assertErrorPattern(function() g:forward(torch.randn(2)) end,
      'expecting table of 2 inputs')
   tester:assertErrorPattern(function() g:forward({torch.randn(2)}) end,
      'Got 1 inputs instead of 2')
   local x = nn.Identity()()
   local p, q = x:split(2)
   local splitter = nn.gModule({x}, {p, q})
   tester:assertErrorPattern(function() splitter:forward({torch.randn(1)}) end,
      'split%(2%) cannot split 1 outputs')
   local y = nn.Identity()()
   local two = nn.gModule({y}, {nn.Identity()(y), nn.Identity()(y)})
   two:forward(torch.randn(2))
   tester:assertErrorPattern(function() two:backward(torch.randn(2), {torch.randn(2)}) end,
      'Got 1 gradOutputs instead of 2')
end

function tests.type_conversion_reaches_node_buffers()
   local x = nn.Identity()()
   local g = nn.gModule({x}, {nn.Linear(3, 2)(nn.Tanh()(x))})
   local input = torch.randn(3)
   g:forward(input)
   g:backward(input, torch.randn(2))
   g:float()
   tester:eq(torch.typename(g.output), 'torch.FloatTensor')
   tester:eq(torch.typename(g.innode.data.input[1]), 'torch.FloatTensor')
   tester:eq(torch.typename(g.modules[3].weight), 'torch.FloatTensor')
   for _, node in ipairs(g.forwardnodes) do
      for _, t in ipairs(node.data.input or {}) do
         tester:eq(torch.typename(t), 'torch.FloatTensor')
      end
   end
   tester:eq(torch.typename(g:forward(input:float())), 'torch.FloatTensor')
   tester:eq(torch.typename(g:backward(input:float(), torch.randn(2):float())),
      'torch.FloatTensor')
end

function tests.criterion_as_a_graph_node()
   local prediction, target = nn.Identity()(), nn.Identity()()
   local loss = nn.MSECriterion()({prediction, target})
   local g = nn.gModule({prediction, target}, {loss})
   local p, t = torch.randn(3, 2), torch.randn(3, 2)
   local expected = (p - t):pow(2):mean()
   tester:eq(g:forward({p, t})[1], expected, 1e-12)
   local gradInput = g:backward({p, t}, torch.Tensor{2})
   tester:eq(gradInput[1], (p - t):mul(2 * 2 / p:nElement()), 1e-12)
   tester:eq(gradInput[2], torch.zeros(3, 2))
end

function tests.expanded_zero_gradients_are_not_summed()
   local zero_grad = nn.Identity()
   function zero_grad:updateGradInput(input)
      self.gradInput = torch.Tensor{0}:view(1, 1):expandAs(input)
      return self.gradInput
   end
   local x = nn.Identity()()
   local g = nn.gModule({x}, {nngraphtest.Sum()({zero_grad(x), nn.Identity()(x)})})
   local input, gradOutput = torch.randn(2, 3), torch.randn(2, 3)
   g:forward(input)
   tester:eq(g:backward(input, gradOutput), gradOutput)
end

function tests.clear_state_and_replace()
   local x = nn.Identity()()
   local sig = nn.Sigmoid()
   local g = nn.gModule({x}, {nn.Linear(2, 2)(sig(x))})
   g:forward(torch.randn(2))
   g:clearState()
   for _, node in ipairs(g.forwardnodes) do tester:eq(node.data.input, nil) end
   g:replace(function(m) if torch.type(m) == 'nn.Sigmoid' then return nn.Tanh() end
      return m end)
   tester:eq(torch.type(g.modules[2]), 'nn.Tanh')
   local input = torch.randn(2)
   tester:eq(g:forward(input), g.modules[3]:forward(torch.tanh(input)), 1e-12)
end

function tests.debug_mode_draws_the_failing_node()
   local folder = paths.tmpname()
   os.remove(folder)
   paths.mkdir(folder)
   local x = nn.Identity()()
   local g = nn.gModule({x}, {nn.Linear(4, 2)(x)})
   g.name = folder .. '/failing'
   nngraph.setDebug(true)
   local ok, err = pcall(function() g:forward(torch.randn(5)) end)
   nngraph.setDebug(false)
   tester:assert(not ok, 'the error is raised again')
   local f = io.open(folder .. '/failing.dot')
   local text = f:read('*a')
   f:close()
   local linear_node
   for _, node in ipairs(g.fg.nodes) do
      if node.data.module == g.modules[2] then linear_node = node.id end
   end
   tester:assert(text:find('n' .. linear_node .. '[style=filled, fillcolor=red];', 1, true)
      ~= nil, 'the Linear node is red')
   for name in paths.files(folder) do
      if name ~= '.' and name ~= '..' then os.remove(folder .. '/' .. name) end
   end
   paths.rmdir(folder)
   tester:eq(g.forward, nn.Module.forward, 'plain methods restored')
end

function tests.annotate_nodes_after_local_variables()
   local input_x = nn.Identity()()
   local hidden = nn.Tanh()(input_x):annotate({name = 'kept'})
   nngraph.annotateNodes()
   tester:eq(input_x.data.annotations.name, 'input_x')
   tester:eq(hidden.data.annotations.name, 'kept')
end

function tests.simple_print_leaves_out_routing_nodes()
   local x = nn.Identity()()
   local lin = nn.Linear(3, 3)(x)
   local sum = nngraphtest.Sum()({nn.Tanh()(lin), nn.Sigmoid()(lin)})
   local g = nn.gModule({x}, {sum})
   local text = nngraph.simple_print.todot(g.fg, 'simple')
   local ids = {}
   for _, node in ipairs(g.fg.nodes) do
      local m = node.data.module
      if m then ids[torch.type(m)] = node.id end
   end
   -- the Identity node and the two module-less routing nodes are gone
   local _, statements = text:gsub('%[label=', '')
   tester:eq(statements, 4)
   tester:assert(not text:find('nn.Identity', 1, true))
   for _, edge in ipairs({{'nn.Linear', 'nn.Tanh'}, {'nn.Linear', 'nn.Sigmoid'},
                          {'nn.Tanh', 'nngraphtest.Sum'}, {'nn.Sigmoid', 'nngraphtest.Sum'}}) do
      local arrow = string.format('n%d -> n%d;', ids[edge[1]], ids[edge[2]])
      tester:assert(text:find(arrow, 1, true) ~= nil, 'edge ' .. arrow)
   end
   tester:assert(text:find('^digraph G {\nlabelloc="t";\nlabel="simple";') ~= nil)
end

tester:add(tests):run()
