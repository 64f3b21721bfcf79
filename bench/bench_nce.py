"""dpnn's noise-contrastive estimation train step (nn.NCEModule with the batch's shared noise
+ nn.NCECriterion, forward, backward, a plain SGD update) over a large vocabulary, against
the same computation written with PyTorch tensors (the sampled rows gathered with
embedding, the model and noise probabilities, the NCE loss, autograd's backward, the same
update), in the same precision; the full Linear + LogSoftMax + ClassNLLCriterion step NCE
stands in for is timed too. Each contender runs in a process of its own; rounds alternate.

    pip install torch==2.13.0   # the CPU build; only for comparison
    python bench/bench_nce.py [--threads N] [--steps N] [--rounds N]
"""
import argparse
import math
import os
import statistics
import time

import own_process

VOCAB, HIDDEN, BATCH, K = 50000, 256, 128, 100

STEP_LUA = """
local steps, threads, kind, V, H, N, K = ...
torch.setnumthreads(threads)
torch.setdefaulttensortype('torch.FloatTensor')
require 'dpnn'
torch.manualSeed(0)
local unigrams = torch.Tensor(V):uniform(1, 100)
local x = torch.randn(N, H)
local target = torch.LongTensor(N):random(1, V)
local module, criterion, input
if kind == 'nce' then
   module, criterion = nn.NCEModule(H, V, K, unigrams, 1), nn.NCECriterion()
   input = {x, target}
else
   module = nn.Sequential():add(nn.Linear(H, V)):add(nn.LogSoftMax())
   criterion, input = nn.ClassNLLCriterion(), x
end
local times = {}
for i = 1, steps do
   local timer = torch.Timer()
   module:zeroGradParameters()
   local output = module:forward(input)
   criterion:forward(output, target)
   module:backward(input, criterion:backward(output, target))
   module:updateParameters(0.1)
   times[i] = timer:time().real
end
return times
"""


def median_ms(times):
    return statistics.median(times[len(times) // 5:]) * 1e3   # drop the warm-up fifth


def bench_ours(kind, steps, threads):
    import torch7_compat as t7
    times = t7.lua.execute(STEP_LUA, steps, threads, kind, VOCAB, HIDDEN, BATCH, K)
    return median_ms(list(times.values()))


def bench_torch(steps, threads):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    unigrams = torch.empty(VOCAB).uniform_(1, 100)
    unigrams /= unigrams.sum()
    stdv = 1 / math.sqrt(HIDDEN)
    weight = torch.empty(VOCAB, HIDDEN).uniform_(-stdv, stdv).requires_grad_()
    bias = torch.full((VOCAB,), -math.log(VOCAB)).requires_grad_()
    x = torch.randn(BATCH, HIDDEN)
    target = torch.randint(0, VOCAB, (BATCH,))
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        weight.grad = bias.grad = None
        noise = torch.multinomial(unigrams, K, replacement=True)
        index = torch.cat([noise, target])
        rows = torch.nn.functional.embedding(index, weight)
        offsets = torch.nn.functional.embedding(index, bias.view(-1, 1)).view(-1)
        p_target = torch.exp((x * rows[K:]).sum(1) + offsets[K:])
        p_noise = torch.exp(x @ rows[:K].t() + offsets[:K])
        q_target, q_noise = unigrams[target], unigrams[noise].expand(BATCH, K)
        loss = -(torch.log(p_target / (p_target + K * q_target + 1e-7)).sum()
                 + torch.log(K * q_noise / (p_noise + K * q_noise + 1e-7)).sum()) / BATCH
        loss.backward()
        with torch.no_grad():
            weight.add_(weight.grad, alpha=-0.1)
            bias.add_(bias.grad, alpha=-0.1)
        times.append(time.perf_counter() - t0)
    return median_ms(times)


def in_own_process(contender, args):
    return float(own_process.run(__file__, "--only", contender, "--steps", args.steps,
                                 "--threads", args.threads))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["nce", "full", "torch"], help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.only == "torch":
        return print(bench_torch(args.steps, args.threads))
    if args.only:
        return print(bench_ours(args.only, args.steps, args.threads))

    try:
        import torch
        print("PyTorch %s, %d threads" % (torch.__version__, args.threads))
    except ImportError:
        torch = None
        print("PyTorch is not installed: pip install torch==2.13.0 (CPU) for the comparison")

    print("\nNCE train step, float (vocabulary %d, hidden %d, batch %d, k %d; median ms over "
          "%d rounds)" % (VOCAB, HIDDEN, BATCH, K, args.rounds))
    contenders = ["nce", "full"] + (["torch"] if torch else [])
    rounds = {name: [] for name in contenders}
    for _ in range(args.rounds):
        for name in contenders:
            rounds[name].append(in_own_process(name, args))
    results = {name: statistics.median(times) for name, times in rounds.items()}
    line = "  %-40s %9.2f" % ("torch7_compat NCEModule + NCECriterion", results["nce"])
    if torch:
        line += "    ratio ours/PyTorch %.2f" % (results["nce"] / results["torch"])
    print(line)
    if torch:
        print("  %-40s %9.2f" % ("PyTorch, the same computation", results["torch"]))
    print("  %-40s %9.2f    NCE's time / full's %.2f" % (
        "torch7_compat Linear+LogSoftMax+ClassNLL", results["full"],
        results["nce"] / results["full"]))


if __name__ == "__main__":
    main()
