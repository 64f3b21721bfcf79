"""The helper packages as users meet them: a legacy-style training script using them
together, xlua's progress bar on a terminal and in a pipe, image from Python against
Pillow, plotting on a headless machine, and thread pools' worker threads."""
import re
import sys
import textwrap
import threading

import numpy as np
import pexpect
from PIL import Image

from conftest import python_env, run_th, th_command


def write(path, text):
    path.write_text(textwrap.dedent(text))
    return str(path)


LEGACY_SCRIPT = """
    require 'torch'
    require 'nn'
    require 'optim'
    require 'xlua'
    require 'image'

    local cmd = torch.CmdLine()
    cmd:text('Train a small model')
    cmd:option('-epochs', 3, 'number of epochs')
    cmd:option('-save', 'results', 'where to save')
    cmd:option('-lr', 0.1, 'learning rate')
    local opt = cmd:parse(arg)

    local folder = paths.concat(opt.save)
    paths.mkdir(folder)
    local logger = optim.Logger(paths.concat(folder, 'train.log'))
    logger:setNames{'loss'}
    logger:display(false)

    torch.manualSeed(1)
    local model = nn.Sequential():add(nn.Linear(4, 8)):add(nn.Tanh()):add(nn.Linear(8, 1))
    local criterion = nn.MSECriterion()
    local params, grads = model:getParameters()
    local inputs, targets = torch.randn(16, 4), torch.randn(16, 1)
    local timer = torch.Timer()
    for epoch = 1, opt.epochs do
       local total = 0
       for i = 1, 16 do
          local function feval()
             grads:zero()
             local out = model:forward(inputs[i])
             local loss = criterion:forward(out, targets[i])
             model:backward(inputs[i], criterion:backward(out, targets[i]))
             return loss, grads
          end
          local _, fs = optim.sgd(feval, params, {learningRate = opt.lr})
          total = total + fs[1]
          xlua.progress(i, 16)
       end
       logger:add{total / 16}
    end
    logger:style{'-'}
    logger:plot()
    print(string.format('trained in %.3f s', timer:time().real))

    -- a picture of the first layer's weights, scaled up
    local weights = model:get(1).weight
    local picture = image.scale(image.minmax{tensor = weights}, 40, 80, 'simple')
    image.save(paths.concat(folder, 'weights.png'), picture)
"""


def test_legacy_training_script_runs_end_to_end(tmp_path):
    script = write(tmp_path / "train.lua", LEGACY_SCRIPT)
    result = run_th(script, "-epochs", "4", "-save", str(tmp_path / "out"), cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert re.search(r"trained in \d+\.\d{3} s", result.stdout)
    # the bar ends each epoch at 16/16
    assert result.stdout.count("16/16") == 4
    log = (tmp_path / "out" / "train.log").read_text().splitlines()
    assert log[0] == "loss\t" and len(log) == 5
    assert all(re.fullmatch(r" ?-?\d\.\d{4}e[+-]\d\d\t", row) for row in log[1:])
    with Image.open(tmp_path / "out" / "weights.png") as picture:
        assert picture.format == "PNG" and picture.size == (40, 80)
    with Image.open(tmp_path / "out" / "train.log.png") as plot:
        assert plot.format == "PNG"


def expected_bar(done, goal, width=80):
    """The original's bar, worked out from its definition: cells ' [' + '=' up to the
    position, '>' at it, '.' after, '] '."""
    length = width - 34
    filled = done * length // goal
    cells = "".join("=" if i < filled else (">" if i == filled else ".")
                    for i in range(1, length + 1))
    return " [" + cells + "] "


def test_progress_bar_on_a_terminal_redraws_in_place(tmp_path):
    script = write(tmp_path / "bar.lua", """
        require 'xlua'
        for i = 1, 4 do xlua.progress(i, 4) end
        print('after')
    """)
    command = th_command()
    child = pexpect.spawn(command[0], command[1:] + [script], env=python_env(),
                          encoding="utf-8", timeout=60, dimensions=(24, 80))
    child.expect(pexpect.EOF)
    out = child.before.replace("\r\n", "\n")
    length = 80 - 34
    gap = 80 - length - 4
    for done in range(1, 5):
        timing = r" (ETA|Tot): \d+(ms|s)\w* \| Step: \d+\w* ?\w*"
        pattern = (re.escape(expected_bar(done, 4) + " " * gap + "\b" * gap) + timing
                   + "\b+" + re.escape(" %d/4 " % done))
        assert re.search(pattern, out), (done, out)
    # redrawn in place after carriage returns; one line break, once complete
    assert out.count("\n") == 2 and out.count(" 4/4 \n") == 1 and out.endswith("after\n")


def test_progress_bar_in_a_pipe_is_plain_lines(tmp_path):
    script = write(tmp_path / "bar.lua", """
        require 'xlua'
        for i = 1, 200 do xlua.progress(i, 200) end
    """)
    result = run_th(script)
    lines = result.stdout.splitlines()
    assert "\r" not in result.stdout and "\b" not in result.stdout
    # one line each time the bar moves on (80 columns: 46 cells) and at the end
    assert 40 <= len(lines) <= 47
    assert lines[-1].startswith(expected_bar(200, 200)) and " 200/200 Tot: " in lines[-1]


def test_image_from_python_matches_pillow(t7, tmp_path):
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, size=(6, 7, 3), dtype=np.uint8)
    path = str(tmp_path / "p.png")
    Image.fromarray(pixels).save(path)
    image = t7.require("image")
    loaded = image.load(path).numpy()
    assert loaded.shape == (3, 6, 7) and loaded.dtype == np.float64
    np.testing.assert_allclose(loaded, pixels.transpose(2, 0, 1) / 255.0, atol=1e-12)
    as_bytes = image.load(path, 3, "byte").numpy()
    np.testing.assert_array_equal(as_bytes, pixels.transpose(2, 0, 1))
    # written back from a tensor, read by Pillow
    out = str(tmp_path / "q.png")
    image.save(out, t7.from_numpy(pixels.transpose(2, 0, 1).astype(np.float64) / 255.0))
    np.testing.assert_array_equal(np.asarray(Image.open(out)), pixels)
    # the bilinear downscale averages areas: a 4x4 ramp to 2x2 gives the 2x2 block means
    ramp = np.arange(16, dtype=np.float64).reshape(4, 4)
    small = image.scale(t7.from_numpy(ramp), 2, 2).numpy()
    np.testing.assert_allclose(small, ramp.reshape(2, 2, 2, 2).mean(axis=(1, 3)))


def test_gnuplot_needs_no_screen(tmp_path):
    script = write(tmp_path / "plot.lua", """
        require 'gnuplot'
        gnuplot.pngfigure('%s')
        gnuplot.plot(torch.DoubleTensor({1, 4, 9, 16}))
        gnuplot.title('squares')
        gnuplot.plotflush()
    """ % (tmp_path / "squares.png"))
    env = python_env()
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND"):
        env.pop(name, None)
    result = run_th(script, env=env)
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "squares.png") as picture:
        assert picture.format == "PNG" and picture.size[0] > 100


def test_a_pool_runs_one_lua_runtime_per_worker_thread(t7):
    before = threading.active_count()
    pool = t7.lua.execute("""
        local threads = require 'threads'
        local pool = threads.Threads(3, function(id) worker_name = 'worker ' .. id end)
        return pool
    """)
    assert threading.active_count() == before + 3
    names = t7.lua.execute("""
        local pool = ...
        local names = {}
        pool:specific(true)
        for i = 1, 3 do
           pool:addjob(i, function() return worker_name end,
                       function(name) names[#names + 1] = name end)
        end
        pool:synchronize()
        table.sort(names)
        pool:terminate()
        return table.concat(names, ',')
    """, pool)
    assert names == "worker 1,worker 2,worker 3"
    assert threading.active_count() == before


def test_sys_from_python(t7, tmp_path):
    sys_package = t7.require("sys")
    (tmp_path / "a file").write_text("")
    listing = sys_package.execute("ls '%s'" % tmp_path)
    assert listing == "a file"
    assert sys_package.uname() == ("linux" if sys.platform.startswith("linux") else "macos")
    before = sys_package.clock()
    sys_package.sleep(0.05)
    assert sys_package.clock() - before >= 0.045
