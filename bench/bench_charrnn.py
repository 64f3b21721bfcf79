"""char-rnn's train step: a 2-layer LSTM (rnn_size 128) over sequences of 50 characters,
batch 50, vocabulary 65, built with nngraph as char-rnn builds it (model/LSTM.lua: one
gModule per time step, clones sharing the parameters, ClassNLL on a LogSoftMax decoder,
gradient clipping, optim.rmsprop), against the same cell built by hand in PyTorch (Linear
layers and pointwise operations per time step, not the fused nn.LSTM), with the same
RMSprop step, both in the same precision (float32 by default, as PyTorch's default; the
original char-rnn ran in Torch's default double on CPU: --precision double). Each contender
runs in a process of its own; rounds alternate.

    pip install torch==2.13.0   # the CPU build; only for comparison
    python bench/bench_charrnn.py [--threads N] [--steps N] [--rounds N] [--precision P]
"""
import argparse
import os
import statistics
import time

import own_process

VOCAB, RNN_SIZE, LAYERS, SEQ, BATCH = 65, 128, 2, 50, 50

NEEDED_MODULES = ["Linear", "CAddTable", "CMulTable", "Reshape", "SplitTable", "Sigmoid",
                  "Tanh", "LogSoftMax", "ClassNLLCriterion"]

CHARRNN_LUA = """
local steps, threads, V, H, L, T, B, tensor_type = ...
torch.setnumthreads(threads)
torch.setdefaulttensortype(tensor_type)
require 'nngraph'
require 'optim'
torch.manualSeed(0)

-- char-rnn's util/OneHot: the index of each sample becomes a one-hot row
local OneHot, parent = torch.class('bench.OneHot', 'nn.Module')
function OneHot:__init(size)
   parent.__init(self)
   self.size = size
end
function OneHot:updateOutput(input)
   self.output:resize(input:size(1), self.size):zero()
   local out, idx = self.output:data(), input:data()
   for i = 0, input:size(1) - 1 do out[i * self.size + idx[i] - 1] = 1 end
   return self.output
end

-- model/LSTM.lua: inputs x, prev_c[1], prev_h[1], ...; outputs c[1], h[1], ..., logsoft
local function lstm(input_size, rnn_size, n)
   local inputs = {nn.Identity()()}
   for _ = 1, n do
      table.insert(inputs, nn.Identity()())
      table.insert(inputs, nn.Identity()())
   end
   local x, input_size_L
   local outputs = {}
   for layer = 1, n do
      local prev_c, prev_h = inputs[layer * 2], inputs[layer * 2 + 1]
      if layer == 1 then
         x = bench.OneHot(input_size)(inputs[1])
         input_size_L = input_size
      else
         x = outputs[(layer - 1) * 2]
         input_size_L = rnn_size
      end
      local i2h = nn.Linear(input_size_L, 4 * rnn_size)(x)
      local h2h = nn.Linear(rnn_size, 4 * rnn_size)(prev_h)
      local all_input_sums = nn.CAddTable()({i2h, h2h})
      local reshaped = nn.Reshape(4, rnn_size)(all_input_sums)
      local n1, n2, n3, n4 = nn.SplitTable(2)(reshaped):split(4)
      local in_gate, forget_gate = nn.Sigmoid()(n1), nn.Sigmoid()(n2)
      local out_gate, in_transform = nn.Sigmoid()(n3), nn.Tanh()(n4)
      local next_c = nn.CAddTable()({nn.CMulTable()({forget_gate, prev_c}),
                                     nn.CMulTable()({in_gate, in_transform})})
      local next_h = nn.CMulTable()({out_gate, nn.Tanh()(next_c)})
      table.insert(outputs, next_c)
      table.insert(outputs, next_h)
   end
   local proj = nn.Linear(rnn_size, input_size)(outputs[#outputs])
   table.insert(outputs, nn.LogSoftMax()(proj))
   return nn.gModule(inputs, outputs)
end

local rnn = lstm(V, H, L)
local criterion = nn.ClassNLLCriterion()
local params, grad_params = rnn:getParameters()
params:uniform(-0.08, 0.08)
-- char-rnn's clone_many_times: copies whose parameters are the prototype's
-- (it copies through torch.MemoryFile; Module:clone gives the same structure)
local clones, criteria = {}, {}
local proto_params, proto_grads = rnn:parameters()
for t = 1, T do
   clones[t] = rnn:clone()
   local p, g = clones[t]:parameters()
   for i = 1, #p do
      p[i]:set(proto_params[i])
      g[i]:set(proto_grads[i])
   end
   criteria[t] = criterion:clone()
end

local x = torch.LongTensor(B, T):random(1, V)
local y = torch.LongTensor(B, T):random(1, V)
local init_state = {}
for _ = 1, 2 * L do table.insert(init_state, torch.zeros(B, H)) end
local optim_state = {learningRate = 2e-3, alpha = 0.95}

local function feval()
   grad_params:zero()
   local rnn_state = {[0] = init_state}
   local predictions, loss = {}, 0
   local inputs = {}
   for t = 1, T do
      inputs[t] = {x:select(2, t):clone(), unpack(rnn_state[t - 1])}
      local lst = clones[t]:forward(inputs[t])
      rnn_state[t] = {}
      for i = 1, #init_state do rnn_state[t][i] = lst[i] end
      predictions[t] = lst[#lst]
      loss = loss + criteria[t]:forward(predictions[t], y:select(2, t))
   end
   loss = loss / T
   local drnn_state = {[T] = {}}
   for i = 1, #init_state do drnn_state[T][i] = init_state[i]:clone():zero() end
   for t = T, 1, -1 do
      local doutput = criteria[t]:backward(predictions[t], y:select(2, t))
      table.insert(drnn_state[t], doutput)
      local dlst = clones[t]:backward(inputs[t], drnn_state[t])
      drnn_state[t - 1] = {}
      for k, v in pairs(dlst) do
         if k > 1 then drnn_state[t - 1][k - 1] = v end
      end
   end
   grad_params:clamp(-5, 5)
   return loss, grad_params
end

local times = {}
for i = 1, steps do
   local timer = torch.Timer()
   optim.rmsprop(feval, params, optim_state)
   times[i] = timer:time().real
end
return times
"""


def median_ms(times):
    return statistics.median(times[len(times) // 5:]) * 1e3   # drop the warm-up fifth


def missing_modules():
    import torch7_compat as t7
    t7.lua.execute("require 'nngraph'")
    return [name for name in NEEDED_MODULES
            if t7.lua.eval("nn[%r] == nil" % name)]


LUA_TENSOR_TYPES = {"float": "torch.FloatTensor", "double": "torch.DoubleTensor"}


def bench_ours(steps, threads, precision):
    import torch7_compat as t7
    times = t7.lua.execute(CHARRNN_LUA, steps, threads, VOCAB, RNN_SIZE, LAYERS, SEQ, BATCH,
                           LUA_TENSOR_TYPES[precision])
    return median_ms(list(times.values()))


def bench_torch(steps, threads, precision):
    import torch
    torch.set_num_threads(threads)
    torch.set_default_dtype(torch.float32 if precision == "float" else torch.float64)
    torch.manual_seed(0)
    layers = []
    for layer in range(LAYERS):
        size_in = VOCAB if layer == 0 else RNN_SIZE
        layers.append((torch.nn.Linear(size_in, 4 * RNN_SIZE),
                       torch.nn.Linear(RNN_SIZE, 4 * RNN_SIZE)))
    decoder = torch.nn.Linear(RNN_SIZE, VOCAB)
    params = [p for pair in layers for m in pair for p in m.parameters()]
    params += list(decoder.parameters())
    with torch.no_grad():
        for p in params:
            p.uniform_(-0.08, 0.08)
    optimizer = torch.optim.RMSprop(params, lr=2e-3, alpha=0.95, eps=1e-8)
    x = torch.randint(0, VOCAB, (BATCH, SEQ))
    y = torch.randint(0, VOCAB, (BATCH, SEQ))
    eye = torch.eye(VOCAB)

    def step():
        optimizer.zero_grad()
        state = [torch.zeros(BATCH, RNN_SIZE) for _ in range(2 * LAYERS)]
        loss = 0
        for t in range(SEQ):
            inp = eye[x[:, t]]
            new_state = []
            for layer, (i2h, h2h) in enumerate(layers):
                prev_c, prev_h = state[2 * layer], state[2 * layer + 1]
                sums = (i2h(inp) + h2h(prev_h)).view(BATCH, 4, RNN_SIZE)
                in_gate = torch.sigmoid(sums[:, 0])
                forget_gate = torch.sigmoid(sums[:, 1])
                out_gate = torch.sigmoid(sums[:, 2])
                in_transform = torch.tanh(sums[:, 3])
                next_c = forget_gate * prev_c + in_gate * in_transform
                next_h = out_gate * torch.tanh(next_c)
                new_state += [next_c, next_h]
                inp = next_h
            state = new_state
            logsoft = torch.log_softmax(decoder(inp), dim=1)
            loss = loss + torch.nn.functional.nll_loss(logsoft, y[:, t])
        loss = loss / SEQ
        loss.backward()
        for p in params:
            p.grad.clamp_(-5, 5)
        optimizer.step()

    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return median_ms(times)


def in_own_process(contender, args):
    return float(own_process.run(__file__, "--only", contender, "--steps", args.steps,
                                 "--threads", args.threads, "--precision", args.precision))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["ours", "torch"], help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--precision", choices=["float", "double"], default="float")
    args = parser.parse_args()
    if args.only == "ours":
        return print(bench_ours(args.steps, args.threads, args.precision))
    if args.only == "torch":
        return print(bench_torch(args.steps, args.threads, args.precision))

    missing = missing_modules()
    if missing:
        print("char-rnn LSTM benchmark: nn lacks %s; it runs once they exist"
              % ", ".join("nn." + m for m in missing))
        return
    try:
        import torch
        print("PyTorch %s, %d threads" % (torch.__version__, args.threads))
    except ImportError:
        torch = None
        print("PyTorch is not installed: pip install torch==2.13.0 (CPU) for the comparison")

    print("\nchar-rnn 2-layer LSTM train step (rnn_size %d, seq %d, batch %d; median ms over "
          "%d rounds, %s)" % (RNN_SIZE, SEQ, BATCH, args.rounds, args.precision))
    rounds = {"ours": [], "torch": []}
    for _ in range(args.rounds):
        rounds["ours"].append(in_own_process("ours", args))
        if torch:
            rounds["torch"].append(in_own_process("torch", args))
    ours = statistics.median(rounds["ours"])
    print("  torch7_compat (nngraph)   %9.2f" % ours)
    if torch:
        theirs = statistics.median(rounds["torch"])
        print("  PyTorch, cell by hand     %9.2f    ratio ours/PyTorch %.2f"
              % (theirs, ours / theirs))


if __name__ == "__main__":
    main()
