"""Fine-tune a Lua model loaded from a .t7 file with a Python optimizer (Adam).

    python python/finetune_lua_model.py [model.t7]

Without a file, a small nn.Sequential is built in Lua and saved first, as a Torch7 user
would have saved it. The model becomes a Python module (t7.nn.Lua): its forward and backward
are the Lua module's own, its parameters are the Lua weights. The loss is computed in
Python and t7.optim.Adam updates the Lua weights in place; the result is saved back to a
.t7 file that Lua's torch.load reads.
"""
import os
import sys
import tempfile

import numpy as np

import torch7_compat as t7
from torch7_compat.nn import functional as F


def saved_lua_model(folder):
    """A Torch7-style classifier (10 inputs, 4 classes) saved from Lua."""
    path = os.path.join(folder, "mlp.t7")
    t7.lua.execute("""
    local path = ...
    require 'nn'
    torch.manualSeed(0)
    local model = nn.Sequential():add(nn.Linear(10, 16)):add(nn.ReLU())
       :add(nn.Linear(16, 4)):add(nn.LogSoftMax())
    torch.save(path, model)
    """, path)
    return path


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = sys.argv[1] if len(sys.argv) > 1 else saved_lua_model(folder)
        finetune(path, folder)


def finetune(path, folder):
    lua_model = t7.load(path)
    model = t7.nn.Lua(lua_model)
    print("fine-tuning %s" % str(lua_model).split("\n")[0])
    for name, parameter in model.named_parameters():
        print("  %-10s %s" % (name, tuple(parameter.shape)))

    # a small task: the class is the index of the largest of the first four inputs
    rng = np.random.default_rng(0)
    inputs = rng.standard_normal((256, 10))
    labels = inputs[:, :4].argmax(1)
    x, y = t7.from_numpy(inputs), t7.from_numpy(labels.astype(np.int64))

    optimizer = t7.optim.Adam(model.parameters(), lr=0.01)
    model.train()
    for epoch in range(60):
        optimizer.zero_grad()
        loss = F.nll_loss(model(x), y)      # the model ends in LogSoftMax
        loss.backward()
        optimizer.step()
        if epoch % 20 == 0 or epoch == 59:
            print("epoch %2d  loss %.4f" % (epoch, loss.item()))

    model.eval()
    with t7.no_grad():
        accuracy = (model(x).numpy().argmax(1) == labels).mean()
    print("training accuracy %.3f" % accuracy)

    out_path = os.path.join(folder, "mlp_finetuned.t7")
    t7.save(out_path, lua_model)
    reloaded = t7.load(out_path)
    same = np.array_equal(reloaded.modules[1].weight.numpy(), lua_model.modules[1].weight.numpy())
    print("saved and reloaded: weights identical: %s" % same)


if __name__ == "__main__":
    main()
