"""optim's algorithms: each one's first steps against a numpy transcription of the update
its documentation gives, on a quadratic with unequal curvatures; convergence on that
quadratic and on the Rosenbrock function from the original's test scripts; the helpers
(polyinterp against numpy's polynomial fit, checkgrad, lswolfe's Wolfe conditions) and
optim.ConfusionMatrix's counts and printed table."""
import numpy as np
import pytest

import torch7_compat as t7

RNG = np.random.default_rng(11)
N = 5
CURVATURE = RNG.uniform(0.5, 2.0, N)      # f(x) = sum(c x^2) / 2 + b.x
SHIFT = RNG.normal(size=N)
START = RNG.normal(size=N)
MINIMUM = -SHIFT / CURVATURE


def quadratic(x):
    return np.sum(CURVATURE * x * x) / 2 + np.sum(SHIFT * x)


def quadratic_gradient(x):
    return CURVATURE * x + SHIFT


OBJECTIVES = """
local c, b = ...
local objectives = {}
function objectives.quadratic(p)
   return torch.cmul(c, p):cmul(p):sum() / 2 + torch.cmul(b, p):sum(), torch.cmul(c, p):add(b)
end
-- sum 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2, minimum 0 at (1, ..., 1)
function objectives.rosenbrock(p)
   local n = p:size(1)
   local head, tail = p:narrow(1, 1, n - 1), p:narrow(1, 2, n - 1)
   local r = tail - torch.cmul(head, head)
   local s = 1 - head
   local f = torch.cmul(r, r):mul(100):sum() + torch.cmul(s, s):sum()
   local g = p.new(n):zero()
   g:narrow(1, 1, n - 1):add(-400, torch.cmul(head, r)):add(-2, s)
   g:narrow(1, 2, n - 1):add(200, r)
   return f, g
end
return objectives
"""

RUN = """
require 'optim'
local name, objective, x, config, state, steps, objectives = ...
local f = objectives[objective]
local points, values = {}, {}
for i = 1, steps do
   local returned, fs = optim[name](f, x, config, state)
   assert(torch.pointer(returned) == torch.pointer(x), name .. ' returns x itself')
   points[i] = x:clone()
   values[i] = fs[1]
end
return points, values
"""


def objectives():
    return t7.lua.execute(OBJECTIVES, t7.from_numpy(CURVATURE.copy()),
                          t7.from_numpy(SHIFT.copy()))


def lua_table(d):
    table = t7.lua.eval("{}")
    for k, v in d.items():
        table[k] = v
    return table


def run(name, config, steps, objective="quadratic", start=START, state=None):
    lua_config = t7.lua.eval("{}")
    for k, v in config.items():
        lua_config[k] = t7.from_numpy(v.copy()) if isinstance(v, np.ndarray) else v
    x = t7.from_numpy(np.array(start, dtype=np.float64))
    points, values = t7.lua.execute(RUN, name, objective, x, lua_config, state, steps,
                                    objectives())
    return np.array([p.numpy() for p in points.values()]), np.array(list(values.values()))


# --- numpy transcriptions of the documented updates -----------------------------------

def asgd_reference(x, steps, eta0=1e-4, lambd=1e-4, alpha=0.75, t0=1e6):
    eta, mu, average, out = eta0, 1.0, None, []
    for t in range(1, steps + 1):
        g = quadratic_gradient(x)
        x = x * (1 - lambd * eta) - eta * g
        average = x.copy() if mu == 1 else average + mu * (x - average)
        eta = eta0 / (1 + lambd * eta0 * t) ** alpha
        mu = 1 / max(1, t - t0)
        out.append(x)
    return np.array(out), average


def adagrad_reference(x, steps, learningRate=1e-3, learningRateDecay=0, weightDecay=0):
    variance, out = np.zeros_like(x), []
    for n in range(steps):
        g = quadratic_gradient(x) + weightDecay * x
        variance = variance + g * g
        x = x - learningRate / (1 + n * learningRateDecay) * g / (np.sqrt(variance) + 1e-10)
        out.append(x)
    return np.array(out)


def adadelta_reference(x, steps, rho=0.9, eps=1e-6, weightDecay=0):
    v, acc, out = np.zeros_like(x), np.zeros_like(x), []
    for _ in range(steps):
        g = quadratic_gradient(x) + weightDecay * x
        v = rho * v + (1 - rho) * g * g
        delta = np.sqrt(acc + eps) / np.sqrt(v + eps) * g
        x = x - delta
        acc = rho * acc + (1 - rho) * delta * delta
        out.append(x)
    return np.array(out)


def adam_reference(x, steps, learningRate=1e-3, learningRateDecay=0, beta1=0.9,
                   beta2=0.999, epsilon=1e-8, weightDecay=0):
    m, v, out = np.zeros_like(x), np.zeros_like(x), []
    for t in range(1, steps + 1):
        g = quadratic_gradient(x) + weightDecay * x
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        lr = learningRate / (1 + (t - 1) * learningRateDecay)
        x = x - lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t) * m / (np.sqrt(v) + epsilon)
        out.append(x)
    return np.array(out)


def adamax_reference(x, steps, learningRate=0.002, beta1=0.9, beta2=0.999, epsilon=1e-38,
                     weightDecay=0):
    m, u, out = np.zeros_like(x), np.zeros_like(x), []
    for t in range(1, steps + 1):
        g = quadratic_gradient(x) + weightDecay * x
        m = beta1 * m + (1 - beta1) * g
        u = np.maximum(beta2 * u, np.abs(g) + epsilon)
        x = x - learningRate / (1 - beta1 ** t) * m / u
        out.append(x)
    return np.array(out)


def rmsprop_reference(x, steps, learningRate=1e-2, alpha=0.99, epsilon=1e-8, weightDecay=0,
                      initialMean=0):
    m, out = np.full_like(x, initialMean), []
    for _ in range(steps):
        g = quadratic_gradient(x) + weightDecay * x
        m = alpha * m + (1 - alpha) * g * g
        x = x - learningRate * g / (np.sqrt(m) + epsilon)
        out.append(x)
    return np.array(out)


def nag_reference(x, steps, learningRate=1e-3, learningRateDecay=0, weightDecay=0,
                  momentum=0.9, learningRates=None):
    v, out = None, []
    for n in range(steps):
        if v is not None:
            x = x + momentum * v
        g = quadratic_gradient(x) + weightDecay * x
        if learningRates is not None:
            g = learningRates * g
        lr = learningRate / (1 + n * learningRateDecay)
        v = -lr * g if v is None else momentum * v - lr * g
        x = x - lr * g
        out.append(x)
    return np.array(out)


def rprop_reference(x, steps, stepsize=0.1, etaplus=1.2, etaminus=0.5, stepsizemax=50.0,
                    stepsizemin=1e-6):
    previous, steps_now, out = np.zeros_like(x), np.full_like(x, stepsize), []
    for _ in range(steps):
        g = quadratic_gradient(x)
        s = np.sign(g * previous)
        steps_now = np.clip(steps_now * np.where(s > 0, etaplus, np.where(s < 0, etaminus,
                                                                              1.0)),
                            stepsizemin, stepsizemax)
        g = np.where(s < 0, 0.0, g)
        x = x - np.sign(g) * steps_now
        previous = g
        out.append(x)
    return np.array(out)


REFERENCES = {
    "adagrad": (adagrad_reference, {"learningRate": 0.3, "learningRateDecay": 0.1,
                                    "weightDecay": 0.05}),
    "adadelta": (adadelta_reference, {"rho": 0.8, "eps": 1e-4, "weightDecay": 0.05}),
    "adam": (adam_reference, {"learningRate": 0.1, "learningRateDecay": 0.2, "beta1": 0.8,
                              "beta2": 0.9, "epsilon": 1e-6, "weightDecay": 0.05}),
    "adamax": (adamax_reference, {"learningRate": 0.1, "beta1": 0.8, "beta2": 0.5,
                                  "weightDecay": 0.05}),
    "rmsprop": (rmsprop_reference, {"learningRate": 0.05, "alpha": 0.9, "epsilon": 1e-6,
                                    "weightDecay": 0.05, "initialMean": 0.5}),
    "nag": (nag_reference, {"learningRate": 0.1, "learningRateDecay": 0.1, "momentum": 0.7,
                            "weightDecay": 0.05, "learningRates": RNG.uniform(0.5, 1, N)}),
    "rprop": (rprop_reference, {"stepsize": 0.2, "etaplus": 1.5, "etaminus": 0.3,
                                "stepsizemax": 0.7, "stepsizemin": 0.05}),
}


@pytest.mark.parametrize("name", list(REFERENCES))
@pytest.mark.parametrize("with_defaults", [True, False])
def test_steps_match_the_documented_update(name, with_defaults):
    reference, config = REFERENCES[name]
    if with_defaults:
        config = {}
    points, values = run(name, config, steps=6)
    expected = reference(START, 6, **config)
    np.testing.assert_allclose(points, expected, rtol=1e-12, atol=1e-14)
    # f is evaluated before each step (nag: at the point moved along the velocity)
    if name != "nag":
        np.testing.assert_allclose(values, [quadratic(p) for p in
                                            np.vstack([START, expected[:-1]])], rtol=1e-12)
    assert not np.allclose(points[-1], START)


def test_asgd_matches_the_documented_update_and_averages():
    config = {"eta0": 0.1, "lambda": 0.01, "alpha": 0.6, "t0": 2}
    got = t7.lua.execute(RUN.replace("return points, values",
                                     "return points, values, config.ax"),
                         "asgd", "quadratic", t7.from_numpy(START.copy()),
                         lua_table(config), None, 6, objectives())
    points = np.array([p.numpy() for p in got[0].values()])
    expected, average = asgd_reference(START, 6, eta0=0.1, lambd=0.01, alpha=0.6, t0=2)
    np.testing.assert_allclose(points, expected, rtol=1e-12)
    np.testing.assert_allclose(got[2].numpy(), average, rtol=1e-12)
    assert not np.allclose(average, expected[-1])


def test_state_kept_apart_from_config():
    state = t7.lua.eval("{}")
    config = lua_table({"learningRate": 0.1})
    x = t7.from_numpy(START.copy())
    t7.lua.execute(RUN, "adam", "quadratic", x, config, state, 3, objectives())
    assert state["t"] == 3
    assert config["t"] is None and config["m"] is None
    assert state["m"].numpy()[0] != 0 and state["v"].numpy().shape == (N,)


def test_adam_resumes_from_its_state():
    """Three steps then three more with the same state equal six steps."""
    state = t7.lua.eval("{}")
    first, _ = run("adam", {"learningRate": 0.1}, steps=3, state=state)
    second, _ = run("adam", {"learningRate": 0.1}, steps=3, start=first[-1], state=state)
    expected = adam_reference(START, 6, learningRate=0.1)
    np.testing.assert_allclose(second, expected[3:], rtol=1e-12)


# --- convergence, as the original's test scripts run it -------------------------------

CONVERGENCE = [
    # name, config, steps, tolerance on f at the end (Rosenbrock from (0, 0))
    ("sgd", {"learningRate": 1e-3}, 10001, 1e-4),
    ("adagrad", {"learningRate": 1e-1}, 10001, 1e-6),
    ("adadelta", {"eps": 1e-10}, 10001, 1e-3),
    ("adam", {"learningRate": 0.002}, 10001, 1e-4),
    ("adamax", {}, 10001, 1e-4),
    ("rmsprop", {"learningRate": 5e-4}, 10001, 1e-3),
    ("nag", {"learningRate": 1e-3, "momentum": 0.9}, 10001, 1e-6),
    ("rprop", {"stepsize": 0.01}, 10001, 1e-6),
    ("asgd", {"eta0": 1e-3, "t0": 5000}, 20001, 1e-2),
]


@pytest.mark.parametrize("name,config,steps,tolerance", CONVERGENCE,
                         ids=[c[0] for c in CONVERGENCE])
def test_converges_on_rosenbrock(name, config, steps, tolerance):
    points, values = run(name, dict(config), steps=steps, objective="rosenbrock",
                         start=[0.0, 0.0])
    assert values[0] == 1.0
    final = points[-1]
    f_final = 100 * (final[1] - final[0] ** 2) ** 2 + (1 - final[0]) ** 2
    assert f_final < tolerance
    np.testing.assert_allclose(final, [1, 1], atol=np.sqrt(tolerance) * 10)


@pytest.mark.parametrize("name,config,steps", [
    ("sgd", {"learningRate": 0.2}, 300), ("adagrad", {"learningRate": 0.5}, 1000),
    ("adadelta", {"rho": 0.95, "eps": 1e-3}, 3000), ("adam", {"learningRate": 0.05}, 2000),
    ("adamax", {"learningRate": 0.05}, 2000), ("rmsprop", {"learningRate": 1e-3}, 5000),
    ("nag", {"learningRate": 0.1}, 500), ("rprop", {}, 300),
    ("asgd", {"eta0": 0.1, "lambda": 0, "t0": 100}, 2000),
])
def test_converges_on_the_quadratic(name, config, steps):
    points, _ = run(name, config, steps=steps)
    np.testing.assert_allclose(points[-1], MINIMUM, atol=1e-3)


BATCH = """
require 'optim'
local name, objective, x, config, objectives = ...
local x_out, fs, evals = optim[name](objectives[objective], x, config)
local values = {}
for i, v in ipairs(fs) do values[i] = v end
return x_out, values, evals
"""


def run_batch(name, config, objective="rosenbrock", start=(0.0, 0.0)):
    lua_config = t7.lua.eval("{}")
    for k, v in config.items():
        lua_config[k] = v
    x, values, evals = t7.lua.execute(BATCH, name, objective,
                                      t7.from_numpy(np.array(start, dtype=np.float64)),
                                      lua_config, objectives())
    return x.numpy(), list(values.values()), evals


def test_cg_converges_on_rosenbrock():
    x, values, evals = run_batch("cg", {"maxIter": 50})
    np.testing.assert_allclose(x, [1, 1], atol=1e-4)
    assert values[0] == 1.0 and values[-1] < 1e-8
    assert all(b <= a for a, b in zip(values, values[1:])), "each line search descends"
    assert evals <= 50 * 1.25 + 20


def test_cg_converges_on_the_quadratic():
    x, values, _ = run_batch("cg", {"maxIter": 100}, objective="quadratic", start=START)
    np.testing.assert_allclose(x, MINIMUM, atol=1e-6)


def test_lbfgs_fixed_steps_converge():
    x, values, evals = run_batch("lbfgs", {"maxIter": 100, "learningRate": 1e-1})
    assert evals == 100
    assert values[-1] < 1e-5
    np.testing.assert_allclose(x, [1, 1], atol=5e-3)


def test_lbfgs_with_wolfe_line_search_converges():
    config = {"maxIter": 100, "lineSearch": t7.lua.eval("require('optim').lswolfe")}
    x, values, evals = run_batch("lbfgs", config)
    np.testing.assert_allclose(x, [1, 1], atol=1e-6)
    assert values[-1] < 1e-10
    assert evals < 100
    # stops once sum |gradient| < tolFun (1e-5)
    x, _, _ = run_batch("lbfgs", config, objective="quadratic", start=START)
    np.testing.assert_allclose(x, MINIMUM, atol=1e-5)


def lbfgs_reference(x, iterations, learningRate, memory=100):
    """Fixed-step L-BFGS as documented: first step min(1, 1/sum|g|) * lr along -g, then
    the two-loop product with the stored (s, y) pairs, scaled by s.y / y.y."""
    g = quadratic_gradient(x)
    pairs, d, t, points = [], None, None, []
    g_old = None
    for k in range(iterations):
        if k == 0:
            d = -g
            h_diag = 1.0
        else:
            y, s = g - g_old, d * t
            if y @ s > 1e-10:
                pairs = (pairs + [(s, y)])[-memory:]
                h_diag = (y @ s) / (y @ y)
            q = -g
            alphas = []
            for s_i, y_i in reversed(pairs):
                a = (s_i @ q) / (y_i @ s_i)
                alphas.append(a)
                q = q - a * y_i
            d = h_diag * q
            for (s_i, y_i), a in zip(pairs, reversed(alphas)):
                b = (y_i @ d) / (y_i @ s_i)
                d = d + (a - b) * s_i
        g_old = g
        t = min(1, 1 / np.abs(g).sum()) * learningRate if k == 0 else learningRate
        x = x + t * d
        g = quadratic_gradient(x)
        points.append(x)
    return np.array(points)


def test_lbfgs_steps_match_the_two_loop_recursion():
    # one iteration per call (the stochastic use): each call continues from the state
    points, _ = run("lbfgs", {"learningRate": 0.5, "maxIter": 1}, steps=5)
    np.testing.assert_allclose(points, lbfgs_reference(START, 5, 0.5), rtol=1e-11)


DE = """
require 'optim'
local objectives = ...
local config = {popsize = 50, scaleFactor = 0.5, crossoverRate = 0.9, maxFEs = 3000}
local best, values = optim.de(objectives.rosenbrock, torch.zeros(2), config)
return best, values
"""


def test_de_converges_and_reports_every_evaluation():
    best, values = t7.lua.execute(DE, objectives())
    np.testing.assert_allclose(best.numpy(), [1, 1], atol=1e-4)
    values = values.numpy()
    assert values.shape == (3000,)
    assert values.min() < 1e-8
    again_best, again_values = t7.lua.execute(DE, objectives())
    np.testing.assert_array_equal(again_values.numpy(), values, "its own seeded generator")


def test_cmaes_converges_on_rosenbrock():
    x, values, evals = run_batch("cmaes", {"maxEval": 10000, "sigma": 0.5, "verb_disp": 0},
                                 start=np.zeros(10))
    np.testing.assert_allclose(x, np.ones(10), atol=1e-3)
    assert evals <= 10000 + 10
    assert values[-1] < 1e-8


def test_cmaes_converges_on_the_quadratic():
    x, values, _ = run_batch("cmaes", {"sigma": 1.0, "verb_disp": 0}, objective="quadratic",
                             start=START)
    np.testing.assert_allclose(x, MINIMUM, atol=1e-4)
    assert values[-1] == pytest.approx(quadratic(MINIMUM), abs=1e-8)
    # the history holds values only: the start's, then each iteration's best (the objective
    # also returns a gradient, which is not kept)
    assert all(isinstance(v, float) for v in values)
    assert values[0] == pytest.approx(quadratic(np.array(START)))


DE_QUADRATIC = """
require 'optim'
local objectives, n = ...
local config = {popsize = 40, scaleFactor = 0.6, crossoverRate = 0.9, maxFEs = 8000,
                minRegion = -5, maxRegion = 5}
return optim.de(objectives.quadratic, torch.zeros(n), config)
"""


def test_de_converges_on_the_quadratic():
    best, values = t7.lua.execute(DE_QUADRATIC, objectives(), N)
    np.testing.assert_allclose(best.numpy(), MINIMUM, atol=1e-3)
    assert values.numpy().shape == (8000,)


# --- helpers ----------------------------------------------------------------------------

POLYINTERP = """
require 'optim'
local points, lo, hi = ...
return optim.polyinterp(points, lo, hi)
"""


def test_polyinterp_two_points_is_the_cubic_minimiser():
    # f(x) = (x - 0.3)^3 - 2 (x - 0.3) has its local minimum at 0.3 + sqrt(2/3)
    f = lambda x: (x - 0.3) ** 3 - 2 * (x - 0.3)
    df = lambda x: 3 * (x - 0.3) ** 2 - 2
    points = np.array([[0.0, f(0.0), df(0.0)], [2.0, f(2.0), df(2.0)]])
    got = t7.lua.execute(POLYINTERP, t7.from_numpy(points), None, None)
    assert got == pytest.approx(0.3 + np.sqrt(2 / 3), rel=1e-12)


def test_polyinterp_with_bounds_searches_the_interpolant():
    f = lambda x: (x - 0.3) ** 3 - 2 * (x - 0.3)
    df = lambda x: 3 * (x - 0.3) ** 2 - 2
    points = np.array([[0.0, f(0.0), df(0.0)], [2.0, f(2.0), df(2.0)]])
    # the interpolant is f itself; on [-3, 3] its lowest value is at the left bound
    got = t7.lua.execute(POLYINTERP, t7.from_numpy(points), -3.0, 3.0)
    assert got == (-3.0, pytest.approx(f(-3.0), rel=1e-12))
    got = t7.lua.execute(POLYINTERP, t7.from_numpy(points), 0.5, 3.0)
    assert got[0] == pytest.approx(0.3 + np.sqrt(2 / 3), rel=1e-10)


def test_polyinterp_three_points_against_numpy():
    xs = np.array([-1.0, 0.5, 2.0])
    coefficients = np.array([0.1, -0.2, -1.0, 0.5, 1.5, -0.7])       # degree 5, known
    values, slopes = np.polyval(coefficients, xs), np.polyval(np.polyder(coefficients), xs)
    points = np.column_stack([xs, values, slopes])
    critical = np.roots(np.polyder(coefficients))
    candidates = [x.real for x in critical if abs(x.imag) < 1e-9 and -1 <= x.real <= 2]
    candidates += list(xs)
    best = min(candidates, key=lambda x: np.polyval(coefficients, x))
    got = t7.lua.execute(POLYINTERP, t7.from_numpy(points), None, None)
    assert got[0] == pytest.approx(best, rel=1e-8)


CHECKGRAD = """
require 'optim'
local x, wrong = ...
local function f(p)
   local g = torch.cmul(p, p):mul(3)
   if wrong then g[1] = g[1] + 1 end
   return torch.pow(p, 3):sum(), g
end
return optim.checkgrad(f, x, 1e-6)
"""


def test_checkgrad():
    x = RNG.normal(size=4)
    diff, dC, dC_est = t7.lua.execute(CHECKGRAD, t7.from_numpy(x.copy()), False)
    assert diff < 1e-8
    np.testing.assert_allclose(dC_est.numpy(), 3 * x * x, rtol=1e-6)
    diff, _, _ = t7.lua.execute(CHECKGRAD, t7.from_numpy(x.copy()), True)
    g = 3 * x * x
    wrong = g.copy()
    wrong[0] += 1
    assert diff == pytest.approx(np.linalg.norm(wrong - g) / np.linalg.norm(wrong + g),
                                 rel=1e-5)


LSWOLFE = """
require 'optim'
local objectives, x, d = ...
local f0, g0 = objectives.quadratic(x)
local gtd = g0:dot(d)
local f, g, x_new, t, evals = optim.lswolfe(objectives.quadratic, x, 1, d, f0, g0, gtd)
return f0, gtd, f, g:dot(d), t, evals
"""


def test_lswolfe_step_satisfies_the_wolfe_conditions():
    d = -quadratic_gradient(START) * 3          # a descent direction with a poor scale
    f0, gtd, f, gtd_new, t, evals = t7.lua.execute(LSWOLFE, objectives(),
                                                   t7.from_numpy(START.copy()),
                                                   t7.from_numpy(d))
    assert f <= f0 + 1e-4 * t * gtd
    assert abs(gtd_new) <= 0.9 * abs(gtd)
    assert f == pytest.approx(quadratic(START + t * d), rel=1e-12)
    assert evals >= 1


FISTA = """
require 'optim'
local A, b, lambda = ...
local params = {maxiter = 500, doFistaUpdate = true, errthres = 1e-12}
local function f(x, mode)
   local r = A * x - b
   if mode == 'dx' then return r:dot(r), A:t() * r * 2 end
   return r:dot(r)
end
local function g(x) return lambda * x:clone():abs():sum() end
local function pl(x, L)
   local shrink = lambda / L
   local v = x:clone()
   x:copy(v:clone():abs():add(-shrink):clamp(0, math.huge):cmul(v:sign()))
end
local x = torch.zeros(A:size(2))
local solution, history = optim.FistaLS(f, g, pl, x, params)
return solution, #history, history[#history].F
"""


def test_fista_solves_a_lasso():
    A = RNG.normal(size=(8, 4))
    truth = np.array([1.5, 0.0, -2.0, 0.0])
    b = A @ truth
    lam = 0.1
    solution, iterations, F = t7.lua.execute(FISTA, t7.from_numpy(A), t7.from_numpy(b), lam)
    x = solution.numpy()
    # optimality of the lasso: |2 A'(Ax - b)| <= lambda, with equality and opposite sign
    # where x is not zero
    grad = 2 * A.T @ (A @ x - b)
    for i in range(4):
        if abs(x[i]) > 1e-6:
            assert grad[i] == pytest.approx(-lam * np.sign(x[i]), abs=1e-5)
        else:
            assert abs(grad[i]) <= lam + 1e-5
    assert F == pytest.approx(np.sum((A @ x - b) ** 2) + lam * np.abs(x).sum(), rel=1e-9)


# --- ConfusionMatrix --------------------------------------------------------------------

CONFUSION = """
require 'optim'
local cm = optim.ConfusionMatrix({'a', 'b', 'c'})
cm:add(2, 1)                                   -- numbers: prediction, target
cm:add(torch.Tensor{0.1, 0.7, 0.2}, 2)         -- scores and a class
cm:add(torch.Tensor{0.9, 0, 0}, torch.Tensor{0, 0, 1})
cm:batchAdd(torch.Tensor{{1, 0, 0}, {0, 0, 3}, {0, 2, 1}}, torch.Tensor{1, 3, 0})
cm:add(3, 0)                                   -- unknown target: not counted
return cm.mat, tostring(cm), cm
"""


def test_confusion_matrix_counts_and_prints():
    mat, text, cm = t7.lua.execute(CONFUSION)
    expected = np.array([[1, 1, 0], [0, 1, 0], [1, 0, 1]])
    np.testing.assert_array_equal(mat.numpy(), expected)
    rows = expected.sum(1)
    valid = np.diag(expected) / rows
    union = np.diag(expected) / (rows + expected.sum(0) - np.diag(expected))
    lines = text.split("\n")
    assert lines[0] == "ConfusionMatrix:"
    assert lines[1] == ("[[       1       1       0]   %2.3f%% \t[class: a]" % (valid[0] * 100))
    assert lines[2] == (" [       0       1       0]   %2.3f%% \t[class: b]" % (valid[1] * 100))
    assert lines[3] == (" [       1       0       1]]  %2.3f%% \t[class: c]" % (valid[2] * 100))
    # the per-class rates are kept in FloatTensors, then averaged in double precision
    as_float = lambda v: v.astype(np.float32).astype(np.float64)
    average = lambda v: (((0 + v[0]) + v[1]) + v[2]) / 3 * 100
    lua_number = lambda v: t7.lua.eval("tostring(%r)" % float(v))
    assert lines[4] == " + average row correct: %s%% " % lua_number(average(as_float(valid)))
    assert lines[5] == (" + average rowUcol correct (VOC measure): %s%% "
                        % lua_number(average(as_float(union))))
    assert lines[6] == " + global correct: %s%%" % lua_number(3 / 5 * 100)
    assert cm["totalValid"] == pytest.approx(0.6)
