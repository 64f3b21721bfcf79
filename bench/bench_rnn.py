"""rnn's SeqLSTM training step (forward over a whole sequence, backward through time, a
plain SGD update) against PyTorch's fused nn.LSTM doing the same on the CPU, with the same
sizes and element type; rnn's nn.Sequencer(nn.FastLSTM) (one nn step module per time step)
is timed too, against the same PyTorch figure. Each contender runs in a process of its own;
rounds alternate.

    pip install torch==2.13.0   # the CPU build; only for comparison
    python bench/bench_rnn.py [--threads N] [--steps N] [--rounds N] [--dtype float|double]
"""
import argparse
import os
import statistics
import time

import own_process

SEQ, BATCH, INPUT, HIDDEN = 50, 32, 128, 256

STEP_LUA = """
local steps, threads, kind, typename, T, N, D, H = ...
torch.setnumthreads(threads)
require 'rnn'
torch.manualSeed(0)
local lstm
if kind == 'seqlstm' then
   lstm = nn.SeqLSTM(D, H)
else
   lstm = nn.Sequencer(nn.FastLSTM(D, H))
end
lstm:type(typename)
local x = torch.randn(T, N, D):type(typename)
local gradOutput = torch.randn(T, N, H):type(typename)
local params, gradParams = lstm:getParameters()
local times = {}
for i = 1, steps do
   local timer = torch.Timer()
   gradParams:zero()
   lstm:forward(x)
   lstm:backward(x, gradOutput)
   params:add(-0.01, gradParams)
   times[i] = timer:time().real
end
return times
"""


def median_ms(times):
    return statistics.median(times[len(times) // 5:]) * 1e3   # drop the warm-up fifth


def bench_ours(kind, steps, threads, dtype):
    import torch7_compat as t7
    typename = "torch.FloatTensor" if dtype == "float" else "torch.DoubleTensor"
    times = t7.lua.execute(STEP_LUA, steps, threads, kind, typename, SEQ, BATCH, INPUT,
                           HIDDEN)
    return median_ms(list(times.values()))


def bench_torch(steps, threads, dtype):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    dtype = torch.float32 if dtype == "float" else torch.float64
    lstm = torch.nn.LSTM(INPUT, HIDDEN).to(dtype)
    x = torch.randn(SEQ, BATCH, INPUT, dtype=dtype)
    grad_output = torch.randn(SEQ, BATCH, HIDDEN, dtype=dtype)
    params = list(lstm.parameters())
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        for p in params:
            p.grad = None
        output, _ = lstm(x)
        output.backward(grad_output)
        with torch.no_grad():
            for p in params:
                p.add_(p.grad, alpha=-0.01)
        times.append(time.perf_counter() - t0)
    return median_ms(times)


def in_own_process(contender, args):
    return float(own_process.run(__file__, "--only", contender, "--steps", args.steps,
                                 "--threads", args.threads, "--dtype", args.dtype))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["seqlstm", "sequencer", "torch"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dtype", choices=["float", "double"], default="float")
    args = parser.parse_args()
    if args.only == "torch":
        return print(bench_torch(args.steps, args.threads, args.dtype))
    if args.only:
        return print(bench_ours(args.only, args.steps, args.threads, args.dtype))

    try:
        import torch
        print("PyTorch %s, %d threads" % (torch.__version__, args.threads))
    except ImportError:
        torch = None
        print("PyTorch is not installed: pip install torch==2.13.0 (CPU) for the comparison")

    print("\nLSTM train step, %s (seq %d, batch %d, input %d, hidden %d; median ms over "
          "%d rounds)" % (args.dtype, SEQ, BATCH, INPUT, HIDDEN, args.rounds))
    contenders = ["seqlstm", "sequencer"] + (["torch"] if torch else [])
    rounds = {name: [] for name in contenders}
    for _ in range(args.rounds):
        for name in contenders:
            rounds[name].append(in_own_process(name, args))
    results = {name: statistics.median(times) for name, times in rounds.items()}
    labels = {"seqlstm": "torch7_compat nn.SeqLSTM",
              "sequencer": "torch7_compat Sequencer(FastLSTM)"}
    for name in ["seqlstm", "sequencer"]:
        line = "  %-34s %9.2f" % (labels[name], results[name])
        if torch:
            line += "    ratio ours/PyTorch %.2f" % (results[name] / results["torch"])
        print(line)
    if torch:
        print("  %-34s %9.2f" % ("PyTorch nn.LSTM", results["torch"]))


if __name__ == "__main__":
    main()
