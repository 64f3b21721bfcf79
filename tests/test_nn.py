"""The nn package: every module's forward against numpy, gradients against finite
differences (numpy's own and nn.Jacobian), the Module protocol (getParameters, type, clone,
share, training/evaluate, ...), the criterions against their formulas, and bad input."""
import numpy as np
import pytest

import torch7_compat as t7
from test_nn_support import lua, numeric_grad_input

RNG = np.random.default_rng(7)


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def away_from(x, point, gap=0.05):
    """x with the values near a kink moved off it (finite differences across a kink lie)."""
    x = x.copy()
    x[np.abs(x - point) < gap] += 2 * gap
    return x


# (Lua constructor, numpy forward, input shape, kink of the function or None)
PARAMETERLESS = [
    ("nn.Tanh()", np.tanh, (4, 5), None),
    ("nn.Sigmoid()", lambda x: 1 / (1 + np.exp(-x)), (4, 5), None),
    ("nn.ReLU()", lambda x: np.maximum(x, 0), (4, 5), 0.0),
    ("nn.Threshold(0.5, -1)", lambda x: np.where(x > 0.5, x, -1.0), (3, 4), 0.5),
    ("nn.Threshold()", lambda x: np.where(x > 1e-6, x, 0.0), (7,), 0.0),
    ("nn.SoftMax()", lambda x: softmax(x, 0), (5,), None),
    ("nn.SoftMax()", lambda x: softmax(x, 1), (3, 5), None),
    ("nn.SoftMax()", lambda x: softmax(x, 0), (4, 2, 3), None),
    ("nn.SoftMax()", lambda x: softmax(x, 1), (2, 4, 2, 3), None),
    ("nn.LogSoftMax()", lambda x: log_softmax(x, 0), (5,), None),
    ("nn.LogSoftMax()", lambda x: log_softmax(x, 1), (3, 5), None),
    ("nn.Identity()", lambda x: x, (2, 3), None),
    ("nn.Reshape(6)", lambda x: x.reshape(6), (2, 3), None),
    ("nn.Reshape(3, 2)", lambda x: x.reshape(4, 3, 2), (4, 6), None),
    ("nn.Reshape(6, false)", lambda x: x.reshape(6), (1, 2, 3), None),
    ("nn.View(-1)", lambda x: x.reshape(-1), (2, 3), None),
    ("nn.View(3, 2)", lambda x: x.reshape(4, 3, 2), (4, 6), None),
    ("nn.View(-1, 2)", lambda x: x.reshape(3, 2), (6,), None),
    ("nn.View(2):setNumInputDims(1)", lambda x: x.reshape(5, 2), (5, 2), None),
]
IDS = ["%s-%s" % (spec[0], "x".join(map(str, spec[2]))) for spec in PARAMETERLESS]


def sample_input(shape, kink):
    x = RNG.uniform(-2, 2, shape)
    return away_from(x, kink) if kink is not None else x


@pytest.mark.parametrize("constructor, f, shape, kink", PARAMETERLESS, ids=IDS)
def test_forward_matches_numpy(constructor, f, shape, kink):
    x = sample_input(shape, kink)
    output = lua("return %s:forward((...))" % constructor, x.copy())
    assert output.shape == f(x).shape
    np.testing.assert_allclose(output, f(x), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("constructor, f, shape, kink", PARAMETERLESS, ids=IDS)
def test_grad_input_matches_numpy_finite_differences(constructor, f, shape, kink):
    x = sample_input(shape, kink)
    grad_output = RNG.uniform(-1, 1, f(x).shape)
    grad_input = lua("""
        local x, gradOutput = ...
        local m = %s
        m:forward(x)
        return m:backward(x, gradOutput)
    """ % constructor, x.copy(), grad_output)
    assert grad_input.shape == x.shape
    np.testing.assert_allclose(grad_input, numeric_grad_input(f, x, grad_output),
                               rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("constructor, f, shape, kink", PARAMETERLESS, ids=IDS)
def test_jacobian_of_input(constructor, f, shape, kink):
    error = lua("""
        torch.manualSeed(3)
        local input = torch.Tensor(...)
        return nn.Jacobian.testJacobian(%s, input)
    """ % constructor, *shape)
    assert error < 1e-6


def test_jacobian_catches_a_wrong_gradient():
    good, bad = lua("""
        local m = nn.Tanh()
        local good = nn.Jacobian.testJacobian(m, torch.Tensor(5))
        m.updateGradInput = function(self, input, gradOutput)   -- forgets 1 - y^2
           return self.gradInput:resizeAs(gradOutput):copy(gradOutput)
        end
        return good, nn.Jacobian.testJacobian(m, torch.Tensor(5))
    """)
    assert good < 1e-6
    assert bad > 0.05


def test_jacobian_forward_is_the_finite_difference_matrix():
    """Rows over the variable, columns over the output: for y = x^3 elementwise on a vector,
    J is diagonal with 3x^2."""
    x = np.array([0.5, -1.0, 2.0])
    jac = lua("""
        local x = ...
        local cube = nn.Module()
        function cube:updateOutput(input)
           self.output = torch.cmul(input, input):cmul(input)
           return self.output
        end
        return nn.Jacobian.forward(cube, x)
    """, x.copy())
    np.testing.assert_allclose(jac, np.diag(3 * x ** 2), atol=1e-6)


# -- Linear ---------------------------------------------------------------------------------

def test_linear_forward_one_sample_and_batch():
    x1 = RNG.normal(size=3)
    xb = RNG.normal(size=(4, 3))
    weight, bias, y1, yb, buffer = lua("""
        local x1, xb = ...
        local m = nn.Linear(3, 2)
        local y1 = m:forward(x1):clone()
        local yb = m:forward(xb)
        return m.weight, m.bias, y1, yb, m.addBuffer
    """, x1, xb)
    assert weight.shape == (2, 3) and bias.shape == (2,)
    np.testing.assert_allclose(y1, weight @ x1 + bias, rtol=1e-13)
    np.testing.assert_allclose(yb, xb @ weight.T + bias, rtol=1e-13)
    np.testing.assert_array_equal(buffer, np.ones(4))


def test_linear_initialisation_is_the_originals_after_manual_seed():
    """weight then bias ~ U(-1/sqrt(inputSize), 1/sqrt(inputSize)), drawn from Torch7's
    Mersenne Twister (MT19937 seeded by init_genrand, one 32-bit word per number)."""
    raw = np.random.RandomState(1234)._bit_generator.random_raw(5 * 3 + 3)
    uniform = raw * 2.0 ** -32
    assert np.random.RandomState(1)._bit_generator.random_raw(1)[0] * 2.0 ** -32 \
        == 0.4170219984371215          # torch.rand() after manualSeed(1), the notes' vector
    stdv = 1 / np.sqrt(5)
    expected = uniform * (2 * stdv) - stdv
    weight, bias = lua("""
        torch.manualSeed(1234)
        local m = nn.Linear(5, 3)
        return m.weight, m.bias
    """)
    np.testing.assert_array_equal(weight.ravel(), expected[:15])
    np.testing.assert_array_equal(bias, expected[15:])


def test_linear_reset_with_stdv_scales_by_sqrt3():
    raw = np.random.RandomState(5)._bit_generator.random_raw(2 * 4 + 2)
    bound = 0.1 * np.sqrt(3)
    expected = raw * 2.0 ** -32 * (2 * bound) - bound
    weight, bias = lua("""
        local m = nn.Linear(4, 2)
        torch.manualSeed(5)
        m:reset(0.1)
        return m.weight, m.bias
    """)
    np.testing.assert_array_equal(np.concatenate([weight.ravel(), bias]), expected)


@pytest.mark.parametrize("input_shape", [(4, 3), (3,)], ids=["batch", "one sample"])
def test_linear_backward_matches_numpy(input_shape):
    x = RNG.normal(size=input_shape)
    grad_output = RNG.normal(size=input_shape[:-1] + (2,))
    weight, grad_input, grad_weight, grad_bias = lua("""
        local x, gradOutput = ...
        local m = nn.Linear(3, 2)
        m:zeroGradParameters()
        m:forward(x)
        m:backward(x, gradOutput)
        local gradInput = m:backward(x, gradOutput, 0.5)     -- accumulates, scaled
        return m.weight, gradInput, m.gradWeight, m.gradBias
    """, x, grad_output)
    rows, grad_rows = np.atleast_2d(x), np.atleast_2d(grad_output)
    np.testing.assert_allclose(grad_input, grad_output @ weight, rtol=1e-13)
    np.testing.assert_allclose(grad_weight, 1.5 * grad_rows.T @ rows, rtol=1e-13)
    np.testing.assert_allclose(grad_bias, 1.5 * grad_rows.sum(0), rtol=1e-13)


def test_linear_gradients_against_finite_differences():
    errors = lua("""
        torch.manualSeed(11)
        local errors = {}
        for _, input in ipairs({torch.Tensor(3), torch.Tensor(4, 3)}) do
           local m = nn.Linear(3, 2)
           local J = nn.Jacobian
           errors[#errors + 1] = J.testJacobian(m, input)
           errors[#errors + 1] = J.testJacobianParameters(m, input, m.weight, m.gradWeight)
           errors[#errors + 1] = J.testJacobianParameters(m, input, m.bias, m.gradBias)
           errors[#errors + 1] = J.testJacobianUpdateParameters(m, input, m.weight)
           errors[#errors + 1] = J.testJacobianUpdateParameters(m, input, m.bias)
        end
        return errors
    """)
    values = list(errors.values())
    assert len(values) == 10
    assert max(values) < 1e-6


def test_linear_update_paths_agree():
    """nn.Jacobian.testAllUpdate: accGradParameters + updateParameters, accUpdateGradParameters
    and both on clones sharing the weight must move the weight the same way."""
    errors = lua("""
        torch.manualSeed(2)
        local m = nn.Linear(4, 3)
        local input = torch.rand(5, 4)
        local errors = nn.Jacobian.testAllUpdate(m, input, 'weight', 'gradWeight')
        for k, v in pairs(nn.Jacobian.testAllUpdate(m, input, 'bias', 'gradBias')) do
           errors[k .. ' (bias)'] = v
        end
        return errors
    """)
    assert len(errors.keys()) == 8
    assert max(errors.values()) < 1e-12


def test_linear_numeric_parameter_gradient_in_numpy():
    """The weight gradient of sum(gradOutput * (x W^T + b)) by numpy central differences."""
    x = RNG.normal(size=(3, 4))
    grad_output = RNG.normal(size=(3, 2))
    weight, bias, grad_weight = lua("""
        local x, gradOutput = ...
        local m = nn.Linear(4, 2)
        m:zeroGradParameters()
        m:forward(x)
        m:backward(x, gradOutput)
        return m.weight, m.bias, m.gradWeight
    """, x, grad_output)
    numeric = numeric_grad_input(lambda w: x @ w.T + bias, weight, grad_output)
    np.testing.assert_allclose(grad_weight, numeric, rtol=1e-6, atol=1e-8)


def test_linear_without_bias():
    x = RNG.normal(size=(2, 3))
    has_bias, has_grad_bias, output, weight, text, text2, n_params = lua("""
        local x = ...
        local m = nn.Linear(3, 2, false)
        local other = nn.Linear(3, 2):noBias()
        local params = m:parameters()
        return m.bias ~= nil, m.gradBias ~= nil, m:forward(x), m.weight, tostring(m),
               tostring(other), #params
    """, x)
    assert not has_bias and not has_grad_bias
    np.testing.assert_allclose(output, x @ weight.T, rtol=1e-13)
    assert text == "nn.Linear(3 -> 2) without bias" == text2
    assert n_params == 1


# -- bad input --------------------------------------------------------------------------------

def test_linear_with_the_wrong_number_of_features_names_the_sizes():
    with pytest.raises(t7.LuaError) as one_sample:
        lua("return nn.Linear(3, 2):forward(torch.Tensor(4):fill(1))")
    assert "[2 x 3]" in str(one_sample.value) and "[4]" in str(one_sample.value)
    with pytest.raises(t7.LuaError) as batch:
        lua("return nn.Linear(3, 2):forward(torch.Tensor(5, 4):fill(1))")
    assert "[5 x 4]" in str(batch.value) and "[3 x 2]" in str(batch.value)
    # the runtime goes on
    assert lua("return nn.Linear(3, 2):forward(torch.ones(3)):nElement()") == 2


def test_error_inside_sequential_names_the_module():
    with pytest.raises(t7.LuaError) as info:
        lua("""
            local m = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Linear(5, 1))
            return m:forward(torch.ones(2, 3))
        """)
    message = str(info.value)
    assert "In 2 module of nn.Sequential" in message
    assert "[2 x 4]" in message and "[5 x 1]" in message


def test_linear_refuses_3d_input():
    with pytest.raises(t7.LuaError, match="input must be vector or matrix"):
        lua("return nn.Linear(3, 2):forward(torch.ones(2, 2, 3))")


def test_class_nll_out_of_range_target_raises():
    with pytest.raises(t7.LuaError, match="out of bounds"):
        lua("return nn.ClassNLLCriterion():forward(torch.zeros(2, 5), torch.Tensor{1, 6})")
    with pytest.raises(t7.LuaError, match="out of bounds"):
        lua("return nn.ClassNLLCriterion():forward(torch.zeros(5), 0)")
    with pytest.raises(t7.LuaError, match="out of bounds"):
        lua("""
            local c = nn.ClassNLLCriterion()
            c:forward(torch.zeros(2, 5), torch.Tensor{1, 2})
            return c:backward(torch.zeros(2, 5), torch.Tensor{1, 9})
        """)


def test_class_nll_one_sample_reads_the_first_target_element():
    """THNN's ClassNLLCriterion read only the first element of a one-sample target (rnn's
    FastLSTM_issue203 test relies on it); the caller's target stays as it was."""
    loss, grad, target = lua("""
        local c = nn.ClassNLLCriterion()
        local input, target = torch.Tensor{-1, -2, -3}, torch.IntTensor{3, 1}
        local loss = c:forward(input, target)
        return loss, c:backward(input, target), target
    """)
    assert loss == 3.0
    np.testing.assert_array_equal(grad, [0, 0, -1])
    np.testing.assert_array_equal(target, [3, 1])


def test_criterion_size_mismatch_raises():
    with pytest.raises(t7.LuaError, match="3 and 4"):
        lua("return nn.MSECriterion():forward(torch.zeros(3), torch.zeros(4))")
    with pytest.raises(t7.LuaError, match="one class index per sample"):
        lua("return nn.ClassNLLCriterion():forward(torch.zeros(2, 5), torch.Tensor{1, 2, 3})")


def test_constructor_argument_checks():
    with pytest.raises(t7.LuaError, match=r"nn.Threshold\(threshold, value\)"):
        lua("return nn.Threshold('a')")
    with pytest.raises(t7.LuaError, match="in-place flag must be boolean"):
        lua("return nn.Threshold(0, 0, 1)")
    with pytest.raises(t7.LuaError, match="requires value"):
        lua("return nn.Threshold(0, 1, true)")
    with pytest.raises(t7.LuaError, match="only one dimension can be at -1"):
        lua("return nn.View(-1, -1)")


def test_view_that_does_not_fit_raises():
    with pytest.raises(t7.LuaError, match=r"input view \(2x5\) and desired view \(3\)"):
        lua("return nn.View(3):forward(torch.zeros(2, 5))")


# -- in place, shapes and fields ---------------------------------------------------------------

def test_relu_in_place_reuses_input_and_grad_output():
    x = away_from(RNG.normal(size=(3, 4)), 0.0)
    grad_output = RNG.normal(size=(3, 4))
    xs, gos = x.copy(), grad_output.copy()
    same_output, same_grad, output, grad_input = lua("""
        local x, gradOutput = ...
        local m = nn.ReLU(true)
        local y = m:forward(x)
        local g = m:backward(x, gradOutput)
        return torch.pointer(y:storage()) == torch.pointer(x:storage()),
               torch.pointer(g:storage()) == torch.pointer(gradOutput:storage()), y, g
    """, xs, gos)
    assert same_output and same_grad
    np.testing.assert_array_equal(output, np.maximum(x, 0))
    np.testing.assert_array_equal(xs, np.maximum(x, 0))       # the input itself changed
    np.testing.assert_array_equal(grad_input, np.where(x > 0, grad_output, 0))


def test_reshape_batch_rules_and_sizes():
    shapes = lua("""
        local function dims(t) return table.concat(t:size():totable(), 'x') end
        local r = nn.Reshape(3, 2)
        local results = {
           dims(r:forward(torch.zeros(6))),            -- one sample
           dims(r:forward(torch.zeros(4, 6))),         -- a batch of 4
           dims(r:forward(torch.zeros(1, 6))),         -- first size 1: a batch of 1
           dims(nn.Reshape(3, 2, true):forward(torch.zeros(2, 6))),
           dims(nn.Reshape(6, false):forward(torch.zeros(1, 6))),
           dims(r:backward(torch.zeros(4, 6), torch.zeros(4, 3, 2))),
           tostring(r),
        }
        return results
    """)
    assert list(shapes.values()) == ["3x2", "4x3x2", "1x3x2", "2x3x2", "6", "4x6",
                                     "nn.Reshape(3x2)"]


def test_reshape_copies_a_non_contiguous_input():
    x = RNG.normal(size=(3, 4))
    output = lua("return nn.Reshape(12):forward((...):t())", x)
    np.testing.assert_array_equal(output, x.T.reshape(12))


def test_view_batches_and_num_input_dims():
    shapes = lua("""
        local function dims(t) return table.concat(t:size():totable(), 'x') end
        local results = {
           dims(nn.View(2, 3):forward(torch.zeros(6))),
           dims(nn.View(2, 3):forward(torch.zeros(5, 6))),
           dims(nn.View(2, 3):forward(torch.zeros(5, 2, 3))),
           dims(nn.View(-1, 3):forward(torch.zeros(2, 6))),
           dims(nn.View(4):setNumInputDims(1):forward(torch.zeros(1, 4))),
           dims(nn.View(4):forward(torch.zeros(1, 4))),
           dims(nn.View(torch.LongStorage{2, 2}):forward(torch.zeros(3, 4))),
           tostring(nn.View(2, -1)),
        }
        return results
    """)
    assert list(shapes.values()) == ["2x3", "5x2x3", "5x2x3", "4x3", "1x4", "4", "3x2x2",
                                     "nn.View(2, -1)"]


def test_identity_passes_the_same_tensors():
    same_out, same_grad = lua("""
        local m, x, g = nn.Identity(), torch.ones(3), torch.ones(3)
        return torch.pointer(m:forward(x)) == torch.pointer(x),
               torch.pointer(m:backward(x, g)) == torch.pointer(g)
    """)
    assert same_out and same_grad


# -- Sequential and Container ----------------------------------------------------------------

def test_sequential_forward_backward_match_numpy():
    x = RNG.normal(size=(5, 3))
    grad_output = RNG.normal(size=(5, 2))
    w1, b1, w2, b2, output, grad_input, gw1 = lua("""
        local x, gradOutput = ...
        local m = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Tanh()):add(nn.Linear(4, 2))
        m:zeroGradParameters()
        local y = m:forward(x)
        local g = m:backward(x, gradOutput)
        local l1, l2 = m:get(1), m:get(3)
        return l1.weight, l1.bias, l2.weight, l2.bias, y, g, l1.gradWeight
    """, x, grad_output)
    hidden = np.tanh(x @ w1.T + b1)
    np.testing.assert_allclose(output, hidden @ w2.T + b2, rtol=1e-12)
    grad_hidden = (grad_output @ w2) * (1 - hidden ** 2)
    np.testing.assert_allclose(grad_input, grad_hidden @ w1, rtol=1e-12)
    np.testing.assert_allclose(gw1, grad_hidden.T @ x, rtol=1e-12)


def test_sequential_jacobians():
    errors = lua("""
        torch.manualSeed(4)
        local m = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Sigmoid())
           :add(nn.Linear(4, 3)):add(nn.LogSoftMax())
        local input = torch.Tensor(2, 3)
        local p, g = m:getParameters()
        return {nn.Jacobian.testJacobian(m, input),
                nn.Jacobian.testJacobianParameters(m, input, p, g),
                nn.Jacobian.testJacobianUpdateParameters(m, input, p)}
    """)
    assert max(errors.values()) < 1e-6


def test_sequential_add_insert_remove_get_size():
    texts = lua("""
        local m = nn.Sequential():add(nn.Linear(10, 20)):add(nn.Linear(20, 30))
        local results = {}
        m:insert(nn.Linear(20, 20), 2)
        results[1] = tostring(m)
        m:remove(2)
        results[2] = tostring(m)
        results[3] = m:size()
        results[4] = tostring(m:get(2))
        results[5] = torch.pointer(m.output) == torch.pointer(m:get(2).output)
        results[6] = torch.pointer(m.gradInput) == torch.pointer(m:get(1).gradInput)
        results[7] = select(2, pcall(m.insert, m, nn.Tanh(), 5))
        results[8] = select(2, pcall(m.remove, m, 3))
        return results
    """)
    # the layouts of the original's documentation (doc/containers.md)
    assert texts[1] == ("nn.Sequential {\n"
                        "  [input -> (1) -> (2) -> (3) -> output]\n"
                        "  (1): nn.Linear(10 -> 20)\n"
                        "  (2): nn.Linear(20 -> 20)\n"
                        "  (3): nn.Linear(20 -> 30)\n"
                        "}")
    assert texts[2] == ("nn.Sequential {\n"
                        "  [input -> (1) -> (2) -> output]\n"
                        "  (1): nn.Linear(10 -> 20)\n"
                        "  (2): nn.Linear(20 -> 30)\n"
                        "}")
    assert texts[3] == 2
    assert texts[4] == "nn.Linear(20 -> 30)"
    assert texts[5] and texts[6]
    assert "index should be contiguous to existing modules" in texts[7]
    assert "index out of range" in texts[8]


def test_nested_sequential_printing_indents_the_inner_one():
    text = lua("""
        local inner = nn.Sequential():add(nn.Linear(2, 3)):add(nn.Tanh())
        return tostring(nn.Sequential():add(inner):add(nn.ReLU()))
    """)
    assert text == ("nn.Sequential {\n"
                    "  [input -> (1) -> (2) -> output]\n"
                    "  (1): nn.Sequential {\n"
                    "    [input -> (1) -> (2) -> output]\n"
                    "    (1): nn.Linear(2 -> 3)\n"
                    "    (2): nn.Tanh\n"
                    "  }\n"
                    "  (2): nn.ReLU\n"
                    "}")


def test_list_apply_find_modules():
    names, visited, found, class_names = lua("""
        local inner = nn.Sequential():add(nn.Linear(2, 3)):add(nn.Tanh())
        local m = nn.Sequential():add(inner):add(nn.Linear(3, 1))
        local names = {}
        for i, module in ipairs(m:listModules()) do names[i] = torch.type(module) end
        local visited = 0
        m:apply(function() visited = visited + 1 end)
        local found, containers = m:findModules('nn.Linear')
        return names, visited, #found,
               {torch.type(containers[1]), torch.pointer(containers[1]) == torch.pointer(inner)}
    """)
    assert list(names.values()) == ["nn.Sequential", "nn.Sequential", "nn.Linear", "nn.Tanh",
                                    "nn.Linear"]
    assert visited == 5
    assert found == 2
    assert list(class_names.values()) == ["nn.Sequential", True]


def test_training_and_evaluate_reach_every_module():
    flags = lua("""
        local m = nn.Sequential():add(nn.Linear(2, 2)):add(nn.Sequential():add(nn.Tanh()))
        local function all(value)
           for _, module in ipairs(m:listModules()) do
              if module.train ~= value then return false end
           end
           return true
        end
        m:evaluate()
        local evaluated = all(false)
        m:training()
        return {evaluated, all(true)}
    """)
    assert list(flags.values()) == [True, True]


def test_clear_state_empties_buffers_and_keeps_weights():
    sizes = lua("""
        local m = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
        local x = torch.ones(4, 3)
        m:forward(x)
        m:backward(x, torch.ones(4, 2))
        local same = m:clearState() == m
        local l = m:get(1)
        return {same, l.output:nElement(), l.gradInput:nElement(), l.addBuffer:nElement(),
                m:get(2).output:nElement(), m.output:nElement(), l.weight:nElement()}
    """)
    assert list(sizes.values()) == [True, 0, 0, 0, 0, 0, 6]


def test_container_parameters_update_and_zero():
    x = RNG.normal(size=(3, 2))
    grad_output = RNG.normal(size=(3, 2))
    before, grads, after, zeroed, counts = lua("""
        local x, gradOutput = ...
        local m = nn.Sequential():add(nn.Linear(2, 2)):add(nn.Tanh()):add(nn.Linear(2, 2))
        local params, grads = m:parameters()
        local flat = function(list)
           local parts = {}
           for i, t in ipairs(list) do parts[i] = t:clone():view(t:nElement()) end
           local total = 0
           for _, p in ipairs(parts) do total = total + p:nElement() end
           local out, at = torch.Tensor(total), 1
           for _, p in ipairs(parts) do
              out:narrow(1, at, p:nElement()):copy(p); at = at + p:nElement()
           end
           return out
        end
        m:zeroGradParameters()
        m:forward(x)
        m:backward(x, gradOutput)
        local before, g = flat(params), flat(grads)
        m:updateParameters(0.1)
        local after = flat(params)
        m:zeroGradParameters()
        return before, g, after, flat(grads), #params
    """, x, grad_output)
    assert counts == 4
    np.testing.assert_allclose(after, before - 0.1 * grads, rtol=1e-14)
    assert np.abs(grads).sum() > 0
    np.testing.assert_array_equal(zeroed, 0)


def test_acc_update_grad_parameters_moves_weights_directly():
    x = RNG.normal(size=(4, 3))
    grad_output = RNG.normal(size=(4, 2))
    w0, b0, w1, b1, untouched = lua("""
        local x, gradOutput = ...
        local m = nn.Linear(3, 2)
        m.gradWeight:fill(5)
        local w0, b0 = m.weight:clone(), m.bias:clone()
        m:forward(x)
        m:backwardUpdate(x, gradOutput, 0.3)
        return w0, b0, m.weight, m.bias, m.gradWeight
    """, x, grad_output)
    np.testing.assert_allclose(w1, w0 - 0.3 * grad_output.T @ x, rtol=1e-13)
    np.testing.assert_allclose(b1, b0 - 0.3 * grad_output.sum(0), rtol=1e-13)
    np.testing.assert_array_equal(untouched, 5)


def in_fresh_runtime(code, *args):
    """Runs code where nngraph was never loaded: nngraph (which other tests in this process
    load) replaces nn's module and criterion calls with graph building, as the original's
    did."""
    from torch7_compat.bridge import Bridge
    from torch7_compat.runtime import new_runtime
    fresh = Bridge(new_runtime())
    return fresh.call(fresh.lua.compile(code), tuple(fresh.to_lua(a) for a in args))


def test_call_runs_forward_and_backward():
    x = RNG.normal(size=(2, 3))
    output, grad_input, weight = in_fresh_runtime("""
        require 'nn'
        local x = ...
        local m = nn.Linear(3, 1)
        local y, g = m(x, torch.ones(2, 1))
        return y, g, m.weight
    """, t7.from_numpy(x))
    output, grad_input, weight = output.numpy(), grad_input.numpy(), weight.numpy()
    np.testing.assert_allclose(grad_input, np.ones((2, 1)) @ weight, rtol=1e-14)
    assert output.shape == (2, 1)


# -- getParameters ------------------------------------------------------------------------------

def test_get_parameters_makes_views_of_one_flat_tensor():
    results = lua("""
        local m = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Tanh()):add(nn.Linear(4, 2))
        local w1 = m:get(1).weight:clone()
        local p, g = m:getParameters()
        local params, grads = m:parameters()
        local views = true
        for i = 1, #params do
           views = views and torch.pointer(params[i]:storage()) == torch.pointer(p:storage())
              and torch.pointer(grads[i]:storage()) == torch.pointer(g:storage())
              and params[i]:storageOffset() == grads[i]:storageOffset()
        end
        local kept = (m:get(1).weight - w1):abs():max()
        p:fill(0.25)                       -- the flat vector drives the weights...
        local from_flat = m:get(3).bias:clone()
        m:get(1).weight[2][3] = 7          -- ...and the weights the flat vector
        g:fill(1)
        return {p:nElement(), g:nElement(), views, kept, from_flat, p[1 * 3 + 3],
                m:get(3).gradWeight:sum()}
    """)
    n, ng, views, kept, from_flat, element, grad_sum = results.values()
    assert n == ng == 3 * 4 + 4 + 4 * 2 + 2
    assert views
    assert kept == 0
    np.testing.assert_array_equal(from_flat.numpy(), [0.25, 0.25])
    assert element == 7
    assert grad_sum == 8


def test_get_parameters_keeps_shared_parameters_shared():
    n, same_storage, followed = lua("""
        local a = nn.Linear(3, 3)
        local b = a:clone('weight', 'bias', 'gradWeight', 'gradBias')
        local m = nn.Sequential():add(a):add(nn.Tanh()):add(b)
        local p, g = m:getParameters()
        p:fill(2)
        local same = torch.pointer(a.weight:storage()) == torch.pointer(b.weight:storage())
        return p:nElement(), same, b.weight:sum() == 18 and a.bias:sum() == 6
    """)
    assert n == 12
    assert same_storage and followed


def test_get_parameters_twice_gives_the_same_layout():
    first, second = lua("""
        local m = nn.Sequential():add(nn.Linear(2, 3)):add(nn.Linear(3, 1))
        local p1 = m:getParameters():clone()
        local p2 = m:getParameters()
        return p1, p2
    """)
    np.testing.assert_array_equal(first, second)


def test_get_parameters_squeezes_out_unused_memory():
    n, weight, bias = lua("""
        local m = nn.Linear(3, 2)
        local big = torch.range(1, 20)
        m.weight = big:narrow(1, 5, 6):view(2, 3)        -- elements 5..10 of 20
        m.gradWeight = torch.zeros(30):narrow(1, 11, 6):view(2, 3)
        m.bias:copy(torch.Tensor{-1, -2})
        local p = m:getParameters()
        return p:nElement(), m.weight, m.bias
    """)
    assert n == 8
    np.testing.assert_array_equal(weight, np.arange(5, 11).reshape(2, 3))
    np.testing.assert_array_equal(bias, [-1, -2])


def test_get_parameters_refuses_tensors_with_holes_inside():
    with pytest.raises(t7.LuaError, match="unused memory lies between its elements"):
        lua("""
            local m = nn.Linear(3, 2)
            -- rows 4 apart: one unused element after each row
            m.weight = torch.Tensor(torch.DoubleStorage(8), 1, torch.LongStorage{2, 3},
                                    torch.LongStorage{4, 1})
            m.gradWeight = torch.Tensor(torch.DoubleStorage(8), 1, torch.LongStorage{2, 3},
                                        torch.LongStorage{4, 1})
            return m:getParameters()
        """)


def test_get_parameters_checks_gradients_match():
    with pytest.raises(t7.LuaError, match="check that you are sharing parameters and "
                                          "gradParameters"):
        lua("""
            local a = nn.Linear(3, 3)
            local b = a:clone('weight', 'bias')      -- gradients not shared
            return nn.Sequential():add(a):add(b):getParameters()
        """)


# -- type, clone, share ----------------------------------------------------------------------

def test_float_converts_every_tensor_and_keeps_sharing():
    x = RNG.normal(size=(4, 3)).astype(np.float32)
    (weight_before, types, shared, output_is_last, output, weight_after,
     back_to_double) = lua("""
        local x = ...
        local m = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
        local w = m:get(1).weight:clone()
        m:getParameters()
        m:float()
        local l = m:get(1)
        local types = {m:type(), torch.type(l.weight), torch.type(l.gradBias),
                       torch.type(l.output), torch.type(m:get(2).gradInput), l._type}
        local shared = torch.pointer(l.weight:storage()) == torch.pointer(l.bias:storage())
        local y = m:forward(x)
        local last = torch.pointer(m.output) == torch.pointer(m:get(2).output)
        local w2 = l.weight:clone()
        m:double()
        return w, types, shared, last, y, w2, torch.type(l.weight)
    """, x)
    assert list(types.values()) == ["torch.FloatTensor"] * 6
    assert shared and output_is_last
    assert weight_after.dtype == np.float32
    np.testing.assert_array_equal(weight_after, weight_before.astype(np.float32))
    assert output.dtype == np.float32 and output.shape == (4, 2)
    assert back_to_double == "torch.DoubleTensor"


def test_type_cache_keeps_sharing_between_networks():
    shared = lua("""
        local a = nn.Linear(2, 2)
        local b = nn.Linear(2, 2):share(a, 'weight')
        local cache = {}
        a:type('torch.FloatTensor', cache)
        b:type('torch.FloatTensor', cache)
        a.weight:fill(3)
        return b.weight:sum()
    """)
    assert shared == 12


def test_clone_is_independent_and_keeps_inner_sharing():
    x = RNG.normal(size=(2, 3))
    (same_output, original_weight, independent, clone_shares_flat, separate, last_output,
     class_name) = lua("""
        local x = ...
        local m = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
        m:getParameters()
        local c = m:clone()
        local same = (c:forward(x) - m:forward(x)):abs():max() == 0
        local w = m:get(1).weight:clone()
        c:get(1).weight:fill(0)
        local l = c:get(1)
        return same, w, (m:get(1).weight - w):abs():max() == 0,
               torch.pointer(l.weight:storage()) == torch.pointer(l.bias:storage()),
               torch.pointer(l.weight:storage()) ~= torch.pointer(m:get(1).weight:storage()),
               torch.pointer(c.output) == torch.pointer(c:get(2).output), torch.type(c:get(1))
    """, x)
    assert same_output and independent and clone_shares_flat and separate and last_output
    assert class_name == "nn.Linear"


def test_clone_with_names_shares_those_fields():
    weight_sum, bias_differs = lua("""
        local a = nn.Linear(2, 2)
        local b = a:clone('weight')
        a.weight:fill(1)
        a.bias:fill(1)
        return b.weight:sum(), b.bias:sum() ~= 2
    """)
    assert weight_sum == 4 and bias_differs


def test_share_makes_views_and_marks_modules():
    values, flags = lua("""
        local a, b = nn.Linear(2, 2), nn.Linear(2, 2)
        b:share(a, 'weight', 'bias', 'noSuchField')
        a.weight:fill(3)
        a.bias:fill(4)
        return {b.weight:sum(), b.bias:sum()}, {a.shared, b.shared}
    """)
    assert list(values.values()) == [12, 8]
    assert list(flags.values()) == [True, True]


def test_container_share_shares_children():
    total = lua("""
        local a = nn.Sequential():add(nn.Linear(2, 2)):add(nn.Tanh()):add(nn.Linear(2, 1))
        local b = a:clone():share(a, 'weight', 'bias')
        a:get(3).weight:fill(1)
        return b:get(3).weight:sum()
    """)
    assert total == 2


def test_write_and_read_use_a_plain_field_table():
    """Module:write stores every field as a plain table (what .t7 files hold for nn.Linear:
    weight, bias, gradWeight, gradBias, output, gradInput, _type...)."""
    keys, plain, restored = lua("""
        local m = nn.Linear(2, 3)
        local stored
        local file = {writeObject = function(_, obj) stored = obj end,
                      readObject = function() return stored end}
        m:write(file)
        local keys = {}
        for k in pairs(stored) do keys[#keys + 1] = k end
        table.sort(keys)
        local fresh = torch.factory('nn.Linear')()
        fresh:read(file)
        return keys, getmetatable(stored) == nil,
               torch.pointer(fresh.weight) == torch.pointer(m.weight)
    """)
    assert list(keys.values()) == ["_type", "bias", "gradBias", "gradInput", "gradWeight",
                                   "output", "weight"]
    assert plain and restored


# -- criterions --------------------------------------------------------------------------------

@pytest.mark.parametrize("size_average", [True, False])
def test_mse_criterion(size_average):
    x = RNG.normal(size=(3, 4))
    target = RNG.normal(size=(3, 4))
    loss, grad, output_field = lua("""
        local x, t, sizeAverage = ...
        local c = nn.MSECriterion(sizeAverage)
        local loss = c:forward(x, t)
        return loss, c:backward(x, t), c.output
    """, x, target, size_average)
    n = x.size if size_average else 1
    assert loss == pytest.approx(np.sum((x - target) ** 2) / n, rel=1e-13)
    assert output_field == loss
    np.testing.assert_allclose(grad, 2 * (x - target) / n, rtol=1e-13)
    numeric = numeric_grad_input(lambda v: np.sum((v - target) ** 2) / n, x, 1.0)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def nll_reference(x, targets, weights=None, size_average=True, ignore=-100):
    """Loss and gradient of the documented ClassNLLCriterion for a batch (targets from 1)."""
    weights = np.ones(x.shape[1]) if weights is None else weights
    loss, total = 0.0, 0.0
    grad = np.zeros_like(x)
    for i, t in enumerate(targets):
        if t == ignore:
            continue
        loss -= weights[t - 1] * x[i, t - 1]
        total += weights[t - 1]
        grad[i, t - 1] = -weights[t - 1]
    if size_average and total:
        loss, grad = loss / total, grad / total
    return loss, grad, total


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("size_average", [True, False])
def test_class_nll_batch(weighted, size_average):
    x = log_softmax(RNG.normal(size=(4, 5)), 1)
    targets = np.array([2, 5, 1, 2])
    weights = RNG.uniform(0.5, 2, 5) if weighted else None
    loss, total, grad = lua("""
        local x, t, w, sizeAverage = ...
        local c = nn.ClassNLLCriterion(w, sizeAverage)
        local loss, total = c:forward(x, t)
        return loss, total, c:backward(x, t)
    """, x, targets.astype(np.float64), weights, size_average)
    expected_loss, expected_grad, expected_total = nll_reference(x, targets, weights,
                                                                 size_average)
    assert loss == pytest.approx(expected_loss, rel=1e-13)
    assert total == pytest.approx(expected_total, rel=1e-13)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-13)


def test_class_nll_ignore_index_and_long_targets():
    x = log_softmax(RNG.normal(size=(4, 3)), 1)
    targets = np.array([3, 2, 3, 1])
    loss, grad = lua("""
        local x, t = ...
        local c = nn.ClassNLLCriterion(nil, true, 3)
        local loss = c:forward(x, t:long())
        return loss, c:backward(x, t:long())
    """, x, targets.astype(np.float64))
    expected_loss, expected_grad, _ = nll_reference(x, targets, ignore=3)
    assert loss == pytest.approx(expected_loss, rel=1e-13)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-13)


def test_class_nll_every_target_ignored_gives_zero():
    loss, grad = lua("""
        local c = nn.ClassNLLCriterion(nil, true, 2)
        local x = torch.Tensor(2, 3):fill(-1)
        local loss = c:forward(x, torch.Tensor{2, 2})
        return loss, c:backward(x, torch.Tensor{2, 2})
    """)
    assert loss == 0
    np.testing.assert_array_equal(grad, np.zeros((2, 3)))


def test_class_nll_one_sample():
    """One sample: a vector input and a number target. With weights and sizeAverage the
    weight cancels out (the original's THNN divides by the same weight)."""
    x = log_softmax(RNG.normal(size=5), 0)
    weights = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    plain, plain_grad, averaged, averaged_grad, summed, summed_grad = lua("""
        local x, w = ...
        local results = {}
        for _, c in ipairs({nn.ClassNLLCriterion(), nn.ClassNLLCriterion(w),
                            nn.ClassNLLCriterion(w, false)}) do
           results[#results + 1] = c:forward(x, 3)
           results[#results + 1] = c:backward(x, torch.Tensor{3})
        end
        return unpack(results)
    """, x, weights)
    assert plain == pytest.approx(-x[2]) and averaged == pytest.approx(-x[2])
    assert summed == pytest.approx(-3 * x[2])
    unit = np.zeros(5)
    unit[2] = 1
    np.testing.assert_array_equal(plain_grad, -unit)
    np.testing.assert_array_equal(averaged_grad, -unit)
    np.testing.assert_array_equal(summed_grad, -3 * unit)


def test_class_nll_keeps_the_originals_fields():
    fields = lua("""
        local c = nn.ClassNLLCriterion(torch.ones(3))
        c:forward(torch.Tensor{{-1, -2, -3}}, torch.Tensor{2})
        return {torch.type(c.output_tensor), c.output_tensor[1], torch.type(c.total_weight_tensor),
                c.total_weight_tensor[1], torch.type(c.target), c.sizeAverage, c.ignoreIndex,
                c.weights:nElement()}
    """)
    assert list(fields.values()) == ["torch.DoubleTensor", 2, "torch.DoubleTensor", 1,
                                     "torch.LongTensor", True, -100, 3]


def test_cross_entropy_batch():
    x = RNG.normal(size=(4, 5))
    targets = np.array([1, 5, 3, 3])
    loss, grad = lua("""
        local x, t = ...
        local c = nn.CrossEntropyCriterion()
        local loss = c:forward(x, t)
        return loss, c:backward(x, t)
    """, x, targets.astype(np.float64))
    rows = np.arange(4)
    expected = -np.mean(log_softmax(x, 1)[rows, targets - 1])
    assert loss == pytest.approx(expected, rel=1e-13)
    onehot = np.zeros_like(x)
    onehot[rows, targets - 1] = 1
    np.testing.assert_allclose(grad, (softmax(x, 1) - onehot) / 4, rtol=1e-12, atol=1e-15)

    def loss_of(v):
        return -np.mean(log_softmax(v, 1)[rows, targets - 1])
    np.testing.assert_allclose(grad, numeric_grad_input(loss_of, x, 1.0), atol=1e-8)


def test_cross_entropy_single_row_batch_keeps_the_input_shape():
    x = RNG.normal(size=(1, 4))
    loss, grad, size_average_followed = lua("""
        local x = ...
        local c = nn.CrossEntropyCriterion(torch.Tensor{1, 1, 2, 1})
        local loss = c:forward(x, torch.Tensor{3})
        local grad = c:backward(x, torch.Tensor{3}):clone()
        c.sizeAverage = false
        c:forward(x, torch.Tensor{3})
        return loss, grad, c.nll.sizeAverage == false
    """, x)
    assert loss == pytest.approx(-log_softmax(x[0], 0)[2], rel=1e-13)
    assert grad.shape == (1, 4)
    onehot = np.array([[0, 0, 1, 0]])
    np.testing.assert_allclose(grad, softmax(x, 1) - onehot, rtol=1e-12, atol=1e-15)
    assert size_average_followed


def test_criterion_type_conversion_and_clone():
    x = log_softmax(RNG.normal(size=(3, 4)), 1)
    loss64, loss32, weight_type, clone_independent = lua("""
        local x = ...
        local c = nn.ClassNLLCriterion(torch.Tensor{1, 2, 3, 4})
        local t = torch.Tensor{4, 1, 2}
        local loss64 = c:forward(x, t)
        local copy = c:clone()
        c:float()
        local loss32 = c:forward(x:float(), t)
        copy.weights:fill(1)
        return loss64, loss32, torch.type(c.weights), c.weights[4] == 4
    """, x)
    expected, _, _ = nll_reference(x, np.array([4, 1, 2]), np.array([1.0, 2, 3, 4]))
    assert loss64 == pytest.approx(expected, rel=1e-13)
    assert loss32 == pytest.approx(expected, rel=1e-6)
    assert weight_type == "torch.FloatTensor"
    assert clone_independent


def test_criterion_call_gives_loss_and_gradient():
    loss, grad = in_fresh_runtime("""
        require 'nn'
        local c = nn.MSECriterion()
        return c(torch.Tensor{1, 2}, torch.Tensor{0, 0})
    """)
    assert loss == pytest.approx(2.5)
    np.testing.assert_allclose(grad.numpy(), [1.0, 2.0])
