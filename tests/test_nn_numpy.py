"""The nn kernels recomputed independently in numpy: convolutions (plain, strided, padded,
dilated, grouped, transposed, volumetric, temporal, local, connection tables), pooling
(max with indices, average with and without the padding, ceil mode, adaptive, LP, temporal),
resampling and padding, batch and cross-map normalisation, LookupTable, transfer functions
and criterions, each on Double and Float."""
import numpy as np
import pytest

from test_nn_support import lua, needs, numeric_grad_input

RNG = np.random.default_rng(11)


DTYPES = ["torch.DoubleTensor", "torch.FloatTensor"]


def tolerance(dtype):
    return dict(rtol=1e-4, atol=1e-4) if dtype == "torch.FloatTensor" else \
        dict(rtol=1e-10, atol=1e-11)


def run(ctor, dtype, x, grad_output=None, extra=""):
    """forward (and backward with grad_output) of the module built by ctor, in dtype; returns
    output, gradInput (or None) and the module's weight and bias (or None)."""
    code = """
        local x, gradOutput = ...
        local m = %s
        m:type('%s')
        %s
        x = x:type('%s')
        local y = m:forward(x):double():clone()
        local gi
        if gradOutput then
           m:zeroGradParameters()
           gi = m:backward(x, gradOutput:type('%s')):double():clone()
        end
        return y, gi, m.weight and m.weight:double(), m.bias and m.bias:double(),
               m.gradWeight and m.gradWeight:double(), m.gradBias and m.gradBias:double()
    """ % (ctor, dtype, extra, dtype, dtype)
    return lua(code, x, grad_output)


# -- numpy references -----------------------------------------------------------------------

def conv2d(x, w, b, stride=(1, 1), pad=(0, 0), dilation=(1, 1), groups=1):
    """x: N x C x H x W, w: O x C/groups x kH x kW (cross-correlation, as Torch does)."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    sh, sw = stride
    ph, pw = pad
    dh, dw = dilation
    xp = np.zeros((n, c, h + 2 * ph, wd + 2 * pw))
    xp[:, :, ph:ph + h, pw:pw + wd] = x
    oh = (h + 2 * ph - (dh * (kh - 1) + 1)) // sh + 1
    ow = (wd + 2 * pw - (dw * (kw - 1) + 1)) // sw + 1
    out = np.zeros((n, o, oh, ow))
    og = o // groups
    for g in range(groups):
        for i in range(kh):
            for j in range(kw):
                patch = xp[:, g * cg:(g + 1) * cg,
                           i * dh:i * dh + sh * (oh - 1) + 1:sh,
                           j * dw:j * dw + sw * (ow - 1) + 1:sw]
                out[:, g * og:(g + 1) * og] += np.einsum(
                    "nchw,oc->nohw", patch, w[g * og:(g + 1) * og, :, i, j])
    if b is not None:
        out += b[None, :, None, None]
    return out


def conv_transpose2d(x, w, b, stride, pad, adj):
    """x: N x C x H x W, w: C x O x kH x kW; every input pixel scatters w times itself."""
    n, c, h, wd = x.shape
    _, o, kh, kw = w.shape
    sh, sw = stride
    ph, pw = pad
    oh = (h - 1) * sh - 2 * ph + kh + adj[0]
    ow = (wd - 1) * sw - 2 * pw + kw + adj[1]
    full = np.zeros((n, o, (h - 1) * sh + kh + adj[0], (wd - 1) * sw + kw + adj[1]))
    for i in range(h):
        for j in range(wd):
            full[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw] += np.einsum(
                "nc,cokl->nokl", x[:, :, i, j], w)
    out = full[:, :, ph:ph + oh, pw:pw + ow]
    return out + b[None, :, None, None]


def conv3d(x, w, b, stride, pad):
    n, c, t, h, wd = x.shape
    o, _, kt, kh, kw = w.shape
    xp = np.zeros((n, c, t + 2 * pad[0], h + 2 * pad[1], wd + 2 * pad[2]))
    xp[:, :, pad[0]:pad[0] + t, pad[1]:pad[1] + h, pad[2]:pad[2] + wd] = x
    ot = (t + 2 * pad[0] - kt) // stride[0] + 1
    oh = (h + 2 * pad[1] - kh) // stride[1] + 1
    ow = (wd + 2 * pad[2] - kw) // stride[2] + 1
    out = np.zeros((n, o, ot, oh, ow))
    for a in range(kt):
        for i in range(kh):
            for j in range(kw):
                patch = xp[:, :, a:a + stride[0] * (ot - 1) + 1:stride[0],
                           i:i + stride[1] * (oh - 1) + 1:stride[1],
                           j:j + stride[2] * (ow - 1) + 1:stride[2]]
                out += np.einsum("ncthw,oc->nothw", patch, w[:, :, a, i, j])
    return out + b[None, :, None, None, None]


def pool_out(size, k, s, p, ceil):
    if ceil:
        o = int(np.ceil((size + 2 * p - k) / s)) + 1
        if (o - 1) * s >= size + p:      # the last window must start inside the input
            o -= 1
    else:
        o = (size + 2 * p - k) // s + 1
    return o


def max_pool2d(x, k, s, p, ceil=False, dilation=(1, 1)):
    """Returns the output and the 1-based flat (h * W + w) indices of the maxima, the first
    maximum in scan order winning."""
    n, c, h, w = x.shape
    ekh = dilation[0] * (k[0] - 1) + 1
    ekw = dilation[1] * (k[1] - 1) + 1
    oh = pool_out(h, ekh, s[0], p[0], ceil)
    ow = pool_out(w, ekw, s[1], p[1], ceil)
    out = np.full((n, c, oh, ow), -np.inf)
    idx = np.zeros((n, c, oh, ow), dtype=np.int64)
    for i in range(oh):
        for j in range(ow):
            for a in range(k[0]):
                for b in range(k[1]):
                    r = i * s[0] - p[0] + a * dilation[0]
                    q = j * s[1] - p[1] + b * dilation[1]
                    if 0 <= r < h and 0 <= q < w:
                        v = x[:, :, r, q]
                        better = v > out[:, :, i, j]
                        out[:, :, i, j] = np.where(better, v, out[:, :, i, j])
                        idx[:, :, i, j] = np.where(better, r * w + q + 1, idx[:, :, i, j])
    return out, idx


def avg_pool2d(x, k, s, p, ceil=False, count_include_pad=True):
    n, c, h, w = x.shape
    oh = pool_out(h, k[0], s[0], p[0], ceil)
    ow = pool_out(w, k[1], s[1], p[1], ceil)
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            h0, w0 = i * s[0] - p[0], j * s[1] - p[1]
            h1, w1 = min(h0 + k[0], h + p[0]), min(w0 + k[1], w + p[1])
            padded_count = (h1 - h0) * (w1 - w0)
            h0c, w0c, h1c, w1c = max(h0, 0), max(w0, 0), min(h1, h), min(w1, w)
            total = x[:, :, h0c:h1c, w0c:w1c].sum(axis=(2, 3))
            count = padded_count if count_include_pad else (h1c - h0c) * (w1c - w0c)
            out[:, :, i, j] = total / count
    return out


# -- forward passes against numpy ----------------------------------------------------------

def normal(*shape):
    return lambda: RNG.normal(size=shape)


def lp_pool2d(x, p, k, s):
    """(sum of x^p over each kH x kW window, steps s)^(1/p), for x: C x H x W."""
    c, h, w = x.shape
    oh, ow = (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1
    out = np.zeros((c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            window = x[:, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]]
            out[:, i, j] = (window ** p).sum(axis=(1, 2)) ** (1 / p)
    return out


def avg_pool3d(x, k, s):
    """Means over kT x kH x kW windows with steps s (t, h, w), for x: C x T x H x W."""
    c = x.shape[0]
    ot, oh, ow = [(n - kn) // sn + 1 for n, kn, sn in zip(x.shape[1:], k, s)]
    out = np.zeros((c, ot, oh, ow))
    for a in range(ot):
        for i in range(oh):
            for j in range(ow):
                out[:, a, i, j] = x[:, a * s[0]:a * s[0] + k[0], i * s[1]:i * s[1] + k[1],
                                    j * s[2]:j * s[2] + k[2]].mean(axis=(1, 2, 3))
    return out


def bilinear_weights(n_in, n_out):
    """The n_out x n_in interpolation matrix along one axis, the corners aligned."""
    m = np.zeros((n_out, n_in))
    for o in range(n_out):
        pos = o * (n_in - 1) / (n_out - 1) if n_out > 1 else 0
        i0 = min(int(np.floor(pos)), n_in - 1)
        i1 = min(i0 + 1, n_in - 1)
        f = pos - i0
        m[o, i0] += 1 - f
        m[o, i1] += f
    return m


def cross_map_lrn(x, size, alpha, beta, k):
    planes = x.shape[1]
    scale = np.zeros_like(x)
    for c in range(planes):
        lo, hi = max(0, c - (size - 1) // 2), min(planes, c + size // 2 + 1)
        scale[:, c] = k + alpha / size * (x[:, lo:hi] ** 2).sum(axis=1)
    return x * scale ** -beta


def softmax_over_planes(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


TRANSFER = [
    ("nn.ELU(0.7)", lambda x: np.where(x > 0, x, 0.7 * (np.exp(x) - 1))),
    ("nn.LeakyReLU(0.1)", lambda x: np.where(x > 0, x, 0.1 * x)),
    ("nn.ReLU6()", lambda x: np.clip(x, 0, 6)),
    ("nn.SoftPlus(2)", lambda x: np.where(2 * x > 20, x, np.log1p(np.exp(2 * x)) / 2)),
    ("nn.SoftPlus(50)", lambda x: np.where(50 * x > 20, x, np.log1p(np.exp(50 * x)) / 50)),
    ("nn.SoftShrink(0.3)", lambda x: np.where(x > 0.3, x - 0.3, np.where(x < -0.3, x + 0.3, 0))),
    ("nn.HardShrink(0.3)", lambda x: np.where(np.abs(x) > 0.3, x, 0)),
    ("nn.HardTanh(-0.5, 0.7)", lambda x: np.clip(x, -0.5, 0.7)),
    ("nn.LogSigmoid()", lambda x: -np.log1p(np.exp(-x))),
    ("nn.SoftSign()", lambda x: x / (1 + np.abs(x))),
    ("nn.TanhShrink()", lambda x: x - np.tanh(x)),
    ("nn.Threshold(0.2, -3)", lambda x: np.where(x > 0.2, x, -3)),
    ("nn.Clamp(-0.4, 0.4)", lambda x: np.clip(x, -0.4, 0.4)),
    ("nn.PReLU()", lambda x: np.where(x > 0, x, 0.25 * x)),
    ("(function() local m = nn.RReLU(0.1, 0.3) m:evaluate() return m end)()",
     lambda x: np.where(x >= 0, x, 0.2 * x)),
    ("nn.SoftMin()", lambda x: np.exp(-x) / np.exp(-x).sum(axis=1, keepdims=True)),
    ("nn.Power(3)", lambda x: x ** 3),
    ("nn.Square()", lambda x: x ** 2),
    ("nn.Abs()", np.abs),
    ("nn.Exp()", np.exp),
    ("nn.AddConstant(1.5)", lambda x: x + 1.5),
    ("nn.MulConstant(-0.5)", lambda x: -0.5 * x),
    ("nn.GatedLinearUnit()", lambda x: x[:, :2] / (1 + np.exp(-x[:, 2:]))),
]


# (id, Lua constructor, input, numpy reference of the input, weight and bias[, tolerance on
# Double when stricter than tolerance()])
FORWARD = [
    # convolutions
    ("SpatialConvolutionMM-one-sample", "nn.SpatialConvolutionMM(3, 2, 3, 3, 1, 1, 1, 1)",
     normal(3, 6, 5),
     lambda x, w, b: conv2d(x[None], w.reshape(2, 3, 3, 3), b, (1, 1), (1, 1))[0]),
    ("SpatialDilatedConvolution", "nn.SpatialDilatedConvolution(2, 3, 3, 2, 1, 2, 1, 0, 2, 3)",
     normal(2, 2, 9, 8), lambda x, w, b: conv2d(x, w, b, (2, 1), (0, 1), (3, 2))),
    # (..., kT, kW, kH, dT, dW, dH, padT, padW, padH): strides and pads (t, h, w) below
    ("VolumetricConvolution", "nn.VolumetricConvolution(2, 3, 2, 3, 2, 2, 1, 2, 1, 1, 0)",
     normal(2, 2, 5, 4, 6), lambda x, w, b: conv3d(x, w, b, (2, 2, 1), (1, 0, 1))),
    # pooling
    ("SpatialDilatedMaxPooling", "nn.SpatialDilatedMaxPooling(2, 3, 1, 2, 1, 0, 3, 2)",
     normal(2, 9, 8),
     lambda x, *_: max_pool2d(x[None], (3, 2), (2, 1), (0, 1), dilation=(2, 3))[0][0]),
    ("SpatialLPPooling", "nn.SpatialLPPooling(2, 3, 2, 2, 2, 2)",
     lambda: RNG.uniform(0.5, 1.5, size=(2, 4, 6)),
     lambda x, *_: lp_pool2d(x, 3, (2, 2), (2, 2)), dict(rtol=1e-12)),
    ("VolumetricMaxPooling", "nn.VolumetricMaxPooling(2, 2, 2)", normal(2, 4, 5, 6),
     lambda x, *_: x[:, :4, :4, :6].reshape(2, 2, 2, 2, 2, 3, 2).max(axis=(2, 4, 6))),
    # kT = 2, kW = 1, kH = 3, dT = 2, dW = 1, dH = 3
    ("VolumetricAveragePooling", "nn.VolumetricAveragePooling(2, 1, 3, 2, 1, 3)",
     normal(2, 4, 5, 6), lambda x, *_: avg_pool3d(x, (2, 3, 1), (2, 3, 1))),
    # resampling and padding (left, right, top, bottom)
    ("SpatialUpSamplingNearest", "nn.SpatialUpSamplingNearest(3)", normal(2, 3, 2, 3),
     lambda x, *_: x.repeat(3, axis=2).repeat(3, axis=3)),
    ("SpatialUpSamplingBilinear-aligns-corners",
     "nn.SpatialUpSamplingBilinear({oheight = 5, owidth = 7})", normal(2, 3, 4),
     lambda x, *_: np.einsum("oh,chw,pw->cop", bilinear_weights(3, 5), x,
                             bilinear_weights(4, 7))),
    ("SpatialReflectionPadding", "nn.SpatialReflectionPadding(2, 1, 3, 0)", normal(2, 2, 4, 5),
     lambda x, *_: np.pad(x, ((0, 0), (0, 0), (3, 0), (2, 1)), mode="reflect")),
    ("SpatialReplicationPadding", "nn.SpatialReplicationPadding(2, 1, 3, 0)",
     normal(2, 2, 4, 5), lambda x, *_: np.pad(x, ((0, 0), (0, 0), (3, 0), (2, 1)), mode="edge")),
    ("SpatialZeroPadding-negative", "nn.SpatialZeroPadding(2, -1, 3, 0)", normal(2, 2, 4, 5),
     lambda x, *_: np.pad(x, ((0, 0), (0, 0), (3, 0), (2, 0)))[..., :-1]),
    ("VolumetricReplicationPadding", "nn.VolumetricReplicationPadding(1, 2, 0, 1, 2, 1)",
     normal(2, 3, 2, 4), lambda x, *_: np.pad(x, ((0, 0), (2, 1), (0, 1), (1, 2)), mode="edge")),
    # normalisation
    ("SpatialCrossMapLRN", "nn.SpatialCrossMapLRN(3, 0.2, 0.75, 1.5)", normal(2, 6, 3, 3),
     lambda x, *_: cross_map_lrn(x, 3, 0.2, 0.75, 1.5)),
    ("SpatialSoftMax", "nn.SpatialSoftMax()", normal(2, 3, 2, 2),
     lambda x, *_: softmax_over_planes(x), dict(rtol=1e-12)),
] + [(ctor[:40], ctor, lambda: RNG.normal(size=(3, 4)) * 2, lambda x, *_, f=f: f(x))
     for ctor, f in TRANSFER]


def forward_case(ident, ctor, make_input, reference, double_tolerance=None):
    return pytest.param(ctor, make_input, reference, double_tolerance, id=ident)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ctor, make_input, reference, double_tolerance",
                         [forward_case(*case) for case in FORWARD])
def test_forward_matches_numpy(ctor, make_input, reference, double_tolerance, dtype):
    x = make_input()
    y, _, w, b, _, _ = run(ctor, dtype, x)
    strict = double_tolerance and dtype == "torch.DoubleTensor"
    np.testing.assert_allclose(y, reference(x, w, b),
                               **(double_tolerance if strict else tolerance(dtype)))


# -- convolutions ---------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("stride, pad", [((1, 1), (0, 0)), ((2, 1), (1, 2)), ((3, 2), (1, 0))])
def test_spatial_convolution(dtype, stride, pad):
    x = RNG.normal(size=(2, 3, 7, 6))
    ctor = "nn.SpatialConvolution(3, 4, 3, 2, %d, %d, %d, %d)" % (stride[1], stride[0],
                                                                   pad[1], pad[0])
    y0 = lua("local m = %s return m:forward(torch.zeros(2, 3, 7, 6))" % ctor)
    go = RNG.normal(size=y0.shape)
    y, gi, w, b, gw, gb = run(ctor, dtype, x, go)
    ref = conv2d(x, w, b, stride, pad)
    np.testing.assert_allclose(y, ref, **tolerance(dtype))
    # gradInput: the transposed convolution of gradOutput; gradWeight by correlation
    np.testing.assert_allclose(gi, numeric_grad_input(lambda v: conv2d(v, w, b, stride, pad),
                                                      x, go), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(gb, go.sum(axis=(0, 2, 3)), **tolerance(dtype))
    np.testing.assert_allclose(gw, numeric_grad_input(lambda v: conv2d(x, v, b, stride, pad),
                                                      w, go), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("dtype", DTYPES)
def test_depthwise_convolution(dtype):
    x = RNG.normal(size=(2, 3, 5, 5))
    y, _, w, b, _, _ = run("nn.SpatialDepthWiseConvolution(3, 2, 3, 3, 1, 1, 1, 1)", dtype, x)
    # weight nOutputPlane(multiplier) x nInputPlane x kH x kW; output plane i*mult + j
    assert w.shape == (2, 3, 3, 3) and b.shape == (2, 3)
    ref = np.zeros((2, 6, 5, 5))
    for c in range(3):
        for j in range(2):
            ref[:, c * 2 + j] = conv2d(x[:, c:c + 1], w[j, c][None, None], b[j, c:c + 1],
                                       (1, 1), (1, 1))[:, 0]
    np.testing.assert_allclose(y, ref, **tolerance(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("stride, pad, adj", [((1, 1), (0, 0), (0, 0)), ((2, 2), (1, 1), (1, 0)),
                                              ((3, 2), (1, 0), (2, 1))])
def test_full_convolution(dtype, stride, pad, adj):
    x = RNG.normal(size=(2, 3, 4, 3))
    ctor = "nn.SpatialFullConvolution(3, 2, 3, 3, %d, %d, %d, %d, %d, %d)" % (
        stride[1], stride[0], pad[1], pad[0], adj[1], adj[0])
    y, _, w, b, _, _ = run(ctor, dtype, x)
    np.testing.assert_allclose(y, conv_transpose2d(x, w, b, stride, pad, adj),
                               **tolerance(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_temporal_convolution(dtype):
    x = RNG.normal(size=(2, 7, 4))
    y, _, w, b, _, _ = run("nn.TemporalConvolution(4, 3, 3, 2)", dtype, x)
    # weight outputFrameSize x (kW * inputFrameSize): frame t of the window, then features
    ref = np.zeros((2, 3, 3))
    for t in range(3):
        window = x[:, 2 * t:2 * t + 3, :].reshape(2, 12)
        ref[:, t] = window @ w.T + b
    np.testing.assert_allclose(y, ref, **tolerance(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_convolution_local(dtype):
    x = RNG.normal(size=(2, 5, 4))
    y, _, w, b, _, _ = run("nn.SpatialConvolutionLocal(2, 3, 4, 5, 2, 3, 1, 1)", dtype, x)
    oh, ow = 3, 3
    assert w.shape == (oh, ow, 3, 2, 3, 2) and b.shape == (3, oh, ow)
    ref = np.zeros((3, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i:i + 3, j:j + 2]
            ref[:, i, j] = np.einsum("chw,ochw->o", patch, w[i, j]) + b[:, i, j]
    np.testing.assert_allclose(y, ref, **tolerance(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_convolution_map(dtype):
    x = RNG.normal(size=(3, 5, 5))
    table = np.array([[1, 1], [2, 1], [2, 2], [3, 2]], dtype=np.float64)
    y, w, b = lua("""
        local x, table = ...
        local m = nn.SpatialConvolutionMap(table, 3, 2)
        m:type('%s')
        return m:forward(x:type('%s')):double(), m.weight:double(), m.bias:double()
    """ % (dtype, dtype), x, table)
    ref = np.zeros((2, 4, 3))
    for k, (i, o) in enumerate(table.astype(int)):
        ref[o - 1] += conv2d(x[None, i - 1:i], w[k][None, None], None)[0, 0]
    ref += b[:, None, None]
    np.testing.assert_allclose(y, ref, **tolerance(dtype))


# -- pooling --------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("k, s, p, ceil", [((2, 2), (2, 2), (0, 0), False),
                                           ((3, 3), (2, 2), (1, 1), False),
                                           ((3, 2), (2, 2), (1, 0), True),
                                           ((2, 3), (3, 1), (0, 1), True)])
def test_max_pooling_and_indices(dtype, k, s, p, ceil):
    x = RNG.normal(size=(2, 3, 7, 6))
    ctor = "nn.SpatialMaxPooling(%d, %d, %d, %d, %d, %d)%s" % (
        k[1], k[0], s[1], s[0], p[1], p[0], ":ceil()" if ceil else "")
    y, indices = lua("""
        local x = ...
        local m = %s
        m:type('%s')
        local y = m:forward(x:type('%s')):double()
        return y, m.indices:double()
    """ % (ctor, dtype, dtype), x)
    ref, idx = max_pool2d(x, k, s, p, ceil)
    np.testing.assert_allclose(y, ref, **tolerance(dtype))
    np.testing.assert_array_equal(indices, idx)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ceil", [False, True])
@pytest.mark.parametrize("include_pad", [True, False])
def test_average_pooling(dtype, ceil, include_pad):
    x = RNG.normal(size=(2, 2, 7, 6))
    ctor = "nn.SpatialAveragePooling(3, 2, 2, 2, 1, 1)"
    extra = ("m:ceil()\n" if ceil else "") + ("" if include_pad else "m:setCountExcludePad()")
    y, *_ = run(ctor, dtype, x, extra=extra)
    np.testing.assert_allclose(y, avg_pool2d(x, (2, 3), (2, 2), (1, 1), ceil, include_pad),
                               **tolerance(dtype))


def test_average_pooling_backward_spreads_evenly():
    x = RNG.normal(size=(1, 4, 4))
    go = RNG.normal(size=(1, 2, 2))
    _, gi, *_ = run("nn.SpatialAveragePooling(2, 2, 2, 2)", "torch.DoubleTensor", x, go)
    np.testing.assert_allclose(gi, np.kron(go[0], np.ones((2, 2)))[None] / 4)


@pytest.mark.parametrize("dtype", DTYPES)
def test_adaptive_pooling(dtype):
    x = RNG.normal(size=(2, 7, 5))
    ymax, *_ = run("nn.SpatialAdaptiveMaxPooling(3, 4)", dtype, x)
    yavg, *_ = run("nn.SpatialAdaptiveAveragePooling(3, 4)", dtype, x)
    refmax, refavg = np.zeros((2, 4, 3)), np.zeros((2, 4, 3))
    for i in range(4):
        h0, h1 = (i * 7) // 4, -(-((i + 1) * 7) // 4)
        for j in range(3):
            w0, w1 = (j * 5) // 3, -(-((j + 1) * 5) // 3)
            refmax[:, i, j] = x[:, h0:h1, w0:w1].max(axis=(1, 2))
            refavg[:, i, j] = x[:, h0:h1, w0:w1].mean(axis=(1, 2))
    np.testing.assert_allclose(ymax, refmax, **tolerance(dtype))
    np.testing.assert_allclose(yavg, refavg, **tolerance(dtype))


def test_temporal_max_pooling():
    x = RNG.normal(size=(7, 3))
    y, idx = lua("""
        local m = nn.TemporalMaxPooling(3, 2)
        local y = m:forward((...))
        return y, m.indices:double()
    """, x)
    ref = np.stack([x[2 * t:2 * t + 3].max(axis=0) for t in range(3)])
    np.testing.assert_allclose(y, ref)
    # indices counted from 0 within each window (the original's THNN convention)
    np.testing.assert_array_equal(idx, np.stack([x[2 * t:2 * t + 3].argmax(axis=0)
                                                 for t in range(3)]))


def test_max_unpooling_inverts_pooling():
    x = RNG.normal(size=(2, 4, 6))
    y = lua("""
        local p = nn.SpatialMaxPooling(2, 2)
        local u = nn.SpatialMaxUnpooling(p)
        return u:forward(p:forward((...)))
    """, x)
    blocks = x.reshape(2, 2, 2, 3, 2).transpose(0, 1, 3, 2, 4).reshape(2, 2, 3, 4)
    keep = blocks == blocks.max(axis=3, keepdims=True)
    expected = np.where(keep, blocks, 0).reshape(2, 2, 3, 2, 2).transpose(0, 1, 3, 2, 4) \
        .reshape(2, 4, 6)
    np.testing.assert_allclose(y, expected)


# -- normalisation --------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_normalization_train_and_evaluate(dtype):
    x = RNG.normal(size=(6, 3, 2, 2)) * 2 + 1
    y, rm, rv, w, b, y_eval = lua("""
        local x = ...
        local m = nn.SpatialBatchNormalization(3, 1e-5, 0.3)
        m:type('%s')
        x = x:type('%s')
        local y = m:forward(x):double():clone()
        m:evaluate()
        local y_eval = m:forward(x):double()
        return y, m.running_mean:double(), m.running_var:double(), m.weight:double(),
               m.bias:double(), y_eval
    """ % (dtype, dtype), x)
    mean = x.mean(axis=(0, 2, 3))
    var = x.var(axis=(0, 2, 3))
    ref = (x - mean[None, :, None, None]) / np.sqrt(var + 1e-5)[None, :, None, None]
    ref = ref * w[None, :, None, None] + b[None, :, None, None]
    np.testing.assert_allclose(y, ref, **tolerance(dtype))
    np.testing.assert_allclose(rm, 0.3 * mean, **tolerance(dtype))
    unbiased = x.var(axis=(0, 2, 3), ddof=1)
    np.testing.assert_allclose(rv, 0.7 + 0.3 * unbiased, **tolerance(dtype))
    ref_eval = (x - rm[None, :, None, None]) / np.sqrt(rv + 1e-5)[None, :, None, None]
    ref_eval = ref_eval * w[None, :, None, None] + b[None, :, None, None]
    np.testing.assert_allclose(y_eval, ref_eval, **tolerance(dtype))


def test_batch_normalization_reset_and_fields():
    w, b, rm, rv, names = lua("""
        torch.manualSeed(4)
        local m = nn.BatchNormalization(5)
        local w, b = m.weight:clone(), m.bias:clone()
        m:forward(torch.randn(3, 5))          -- save_mean and save_std appear here
        local names = {}
        for _, k in ipairs({'eps', 'momentum', 'affine', 'running_mean', 'running_var',
                            'save_mean', 'save_std', 'weight', 'bias', 'gradWeight',
                            'gradBias'}) do
           names[#names + 1] = m[k] ~= nil and k or ('missing ' .. k)
        end
        return w, b, m.running_mean, m.running_var, table.concat(names, ' ')
    """)
    expected = lua("torch.manualSeed(4) return torch.Tensor(5):uniform()")
    np.testing.assert_array_equal(w, expected)
    np.testing.assert_array_equal(b, np.zeros(5))
    assert rm.shape == (5,) and rv.shape == (5,)
    assert "missing" not in names


@needs("index")
def test_lookup_table_forward_backward_and_renorm():
    idx = np.array([3, 1, 3, 5], dtype=np.float64)
    go = RNG.normal(size=(4, 2))
    w, y, gw, w_renormed = lua("""
        local idx, gradOutput = ...
        torch.manualSeed(3)
        local m = nn.LookupTable(6, 2)
        local w = m.weight:clone()
        local input = idx:long()
        local y = m:forward(input):clone()
        m:zeroGradParameters()
        m:backward(input, gradOutput)
        local r = nn.LookupTable(6, 2, 0, 0.5)
        r.weight:copy(w)
        r:forward(input)
        return w, y, m.gradWeight, r.weight
    """, idx, go)
    np.testing.assert_allclose(y, w[idx.astype(int) - 1])
    expected = np.zeros((6, 2))
    for i, k in enumerate(idx.astype(int)):
        expected[k - 1] += go[i]
    np.testing.assert_allclose(gw, expected)
    norms = np.linalg.norm(w, axis=1)
    ref = w.copy()
    for k in {3, 1, 5}:
        if norms[k - 1] > 0.5:
            ref[k - 1] *= 0.5 / (norms[k - 1] + 1e-7)
    np.testing.assert_allclose(w_renormed, ref, rtol=1e-12)


@needs("index")
def test_lookup_table_padding_value_and_scaling_by_frequency():
    go = np.ones((4, 2))
    gw = lua("""
        local gradOutput = ...
        local m = nn.LookupTable(4, 2, 2):scaleGradByFreq()
        local input = torch.LongTensor{1, 2, 1, 3}
        m:forward(input)
        m:zeroGradParameters()
        m:backward(input, gradOutput)
        return m.gradWeight
    """, go)
    np.testing.assert_allclose(gw, [[1, 1], [0, 0], [1, 1], [0, 0]])


def test_lookup_table_reset_draws_normal():
    w, expected = lua("""
        torch.manualSeed(9)
        local m = nn.LookupTable(4, 3)
        torch.manualSeed(9)
        return m.weight, torch.Tensor(4, 3):normal(0, 1)
    """)
    np.testing.assert_array_equal(w, expected)


# -- criterions -----------------------------------------------------------------------------

def criterion(ctor, x, t, dtype="torch.DoubleTensor"):
    return lua("""
        local x, t = ...
        local c = %s
        c:type('%s')
        x = x:type('%s')
        if torch.isTensor(t) then t = t:type('%s') end
        local loss = c:forward(x, t)
        return loss, c:backward(x, t):double()
    """ % (ctor, dtype, dtype, dtype), x, t)


@pytest.mark.parametrize("dtype", DTYPES)
def test_bce(dtype):
    x = RNG.uniform(0.05, 0.95, size=(3, 4))
    t = (RNG.uniform(size=(3, 4)) > 0.5).astype(float)
    w = RNG.uniform(0.5, 1.5, size=4)
    loss, grad = lua("""
        local x, t, w = ...
        local c = nn.BCECriterion(w:type('%s')):type('%s')
        x, t = x:type('%s'), t:type('%s')
        return c:forward(x, t), c:backward(x, t):double()
    """ % ((dtype,) * 4), x, t, w)
    eps = 1e-12
    ref = -(w * (t * np.log(x + eps) + (1 - t) * np.log(1 - x + eps))).mean()
    np.testing.assert_allclose(loss, ref, **tolerance(dtype))
    np.testing.assert_allclose(grad, -w * (t - x) / ((1 - x + eps) * (x + eps)) / x.size,
                               **tolerance(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_smooth_l1_and_abs(dtype):
    x, t = RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4))
    d = x - t
    loss, grad = criterion("nn.SmoothL1Criterion()", x, t, dtype)
    ref = np.where(np.abs(d) < 1, 0.5 * d ** 2, np.abs(d) - 0.5).mean()
    np.testing.assert_allclose(loss, ref, **tolerance(dtype))
    np.testing.assert_allclose(grad, np.clip(d, -1, 1) / d.size, **tolerance(dtype))
    loss, grad = criterion("nn.AbsCriterion(false)", x, t, dtype)
    np.testing.assert_allclose(loss, np.abs(d).sum(), **tolerance(dtype))
    np.testing.assert_allclose(grad, np.sign(d), **tolerance(dtype))


@pytest.mark.parametrize("p", [1, 2])
def test_multi_margin(p):
    x = RNG.normal(size=(3, 5))
    target = np.array([2.0, 5.0, 1.0])
    w = RNG.uniform(0.5, 1.5, size=5)
    loss, grad = lua("""
        local x, t, w = ...
        local c = nn.MultiMarginCriterion(%d, w, 0.8)
        return c:forward(x, t), c:backward(x, t)
    """ % p, x, target, w)
    ref, g = 0.0, np.zeros_like(x)
    for n in range(3):
        y = int(target[n]) - 1
        for i in range(5):
            if i == y:
                continue
            z = 0.8 - x[n, y] + x[n, i]
            if z > 0:
                ref += w[y] * z ** p / 5
                d = w[y] * p * z ** (p - 1) / 5 / 3
                g[n, i] += d
                g[n, y] -= d
    np.testing.assert_allclose(loss, ref / 3, rtol=1e-12)
    np.testing.assert_allclose(grad, g, rtol=1e-12, atol=1e-15)


def test_multi_label_margin():
    x = RNG.normal(size=(2, 4))
    target = np.array([[3, 1, 0, 2], [4, 0, 0, 0]], dtype=np.float64)
    loss = lua("return nn.MultiLabelMarginCriterion():forward(...)", x, target)
    ref = 0.0
    for n in range(2):
        labels = []
        for v in target[n]:
            if v == 0:
                break
            labels.append(int(v) - 1)
        for j in labels:
            for i in range(4):
                if i not in labels:
                    ref += max(0, 1 - (x[n, j] - x[n, i])) / 4
    np.testing.assert_allclose(loss, ref / 2, rtol=1e-12)


def test_soft_margin_hinge_embedding_and_margin():
    x = RNG.normal(size=6)
    y = np.array([1, -1, 1, -1, -1, 1.0])
    loss = lua("return nn.SoftMarginCriterion():forward(...)", x, y)
    np.testing.assert_allclose(loss, np.log1p(np.exp(-y * x)).mean(), rtol=1e-12)
    loss = lua("return nn.HingeEmbeddingCriterion(0.5):forward(...)", x, y)
    np.testing.assert_allclose(loss, np.where(y == 1, x, np.maximum(0, 0.5 - x)).mean(),
                               rtol=1e-12)
    loss = lua("return nn.MarginCriterion(0.7):forward(...)", x, y)
    np.testing.assert_allclose(loss, np.maximum(0, 0.7 - y * x).mean(), rtol=1e-12)


def test_cosine_embedding_and_margin_ranking():
    a, b = RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4))
    y = np.array([1, -1, -1.0])
    loss = lua("""
        local a, b, y = ...
        return nn.CosineEmbeddingCriterion(0.2):forward({a, b}, y)
    """, a, b, y)
    cos = (a * b).sum(1) / np.sqrt(((a ** 2).sum(1) + 1e-12) * ((b ** 2).sum(1) + 1e-12))
    ref = np.where(y == 1, 1 - cos, np.maximum(0, cos - 0.2)).mean()
    np.testing.assert_allclose(loss, ref, rtol=1e-10)
    x1, x2 = RNG.normal(size=4), RNG.normal(size=4)
    y = np.array([1, -1, 1, -1.0])
    loss = lua("""
        local a, b, y = ...
        return nn.MarginRankingCriterion(0.3):forward({a, b}, y)
    """, x1, x2, y)
    np.testing.assert_allclose(loss, np.maximum(0, -y * (x1 - x2) + 0.3).mean(), rtol=1e-12)


def test_dist_kl_div_and_spatial_class_nll():
    x = RNG.normal(size=(3, 4))
    t = RNG.uniform(0.1, 1, size=(3, 4))
    loss = lua("return nn.DistKLDivCriterion():forward(...)", x, t)
    np.testing.assert_allclose(loss, (t * (np.log(t) - x)).mean(), rtol=1e-12)
    x = RNG.normal(size=(2, 3, 2, 2))
    target = RNG.integers(1, 4, size=(2, 2, 2)).astype(np.float64)
    w = RNG.uniform(0.5, 1.5, size=3)
    loss = lua("""
        local x, t, w = ...
        return nn.SpatialClassNLLCriterion(w):forward(x, t)
    """, x, target, w)
    picked = np.take_along_axis(x, target[:, None].astype(int) - 1, axis=1)[:, 0]
    weights = w[target.astype(int) - 1]
    np.testing.assert_allclose(loss, -(weights * picked).sum() / weights.sum(), rtol=1e-12)


# -- random draws in the original's order ----------------------------------------------------

RESETS = [
    ("nn.SpatialConvolution(2, 3, 3, 2)",
     "local s = 1 / math.sqrt(3 * 2 * 2) return {weight = torch.Tensor(3, 2, 2, 3)"
     ":uniform(-s, s), bias = torch.Tensor(3):uniform(-s, s)}"),
    ("nn.SpatialConvolutionMM(2, 3, 3, 2)",
     "local s = 1 / math.sqrt(3 * 2 * 2) return {weight = torch.Tensor(3, 12)"
     ":uniform(-s, s), bias = torch.Tensor(3):uniform(-s, s)}"),
    ("nn.SpatialFullConvolution(2, 3, 3, 2)",
     "local s = 1 / math.sqrt(3 * 2 * 2) return {weight = torch.Tensor(2, 3, 2, 3)"
     ":uniform(-s, s), bias = torch.Tensor(3):uniform(-s, s)}"),
    ("nn.VolumetricConvolution(2, 3, 2, 2, 2)",
     "local s = 1 / math.sqrt(2 * 2 * 2 * 2) return {weight = torch.Tensor(3, 2, 2, 2, 2)"
     ":uniform(-s, s), bias = torch.Tensor(3):uniform(-s, s)}"),
    ("nn.TemporalConvolution(4, 3, 2)",
     "local s = 1 / math.sqrt(2 * 4) return {weight = torch.Tensor(3, 8):uniform(-s, s), "
     "bias = torch.Tensor(3):uniform(-s, s)}"),
    ("nn.SpatialSubSampling(3, 2, 2)",
     "local s = 1 / math.sqrt(4) return {weight = torch.Tensor(3):uniform(-s, s), "
     "bias = torch.Tensor(3):uniform(-s, s)}"),
    ("nn.Bilinear(3, 2, 4)",
     "local s = 1 / math.sqrt(3) return {weight = torch.Tensor(4, 3, 2):uniform(-s, s), "
     "bias = torch.Tensor(4):uniform(-s, s)}"),
    ("nn.CMul(2, 3)", "local s = 1 / math.sqrt(6) return {weight = torch.Tensor(2, 3)"
     ":uniform(-s, s)}"),
    ("nn.Add(5)", "local s = 1 / math.sqrt(5) return {bias = torch.Tensor(5):uniform(-s, s)}"),
    ("nn.Euclidean(4, 3)", "local s = 1 / math.sqrt(4) return {weight = torch.Tensor(4, 3)"
     ":uniform(-s, s)}"),
    ("nn.SparseLinear(5, 3)", "local s = 1 / math.sqrt(5) return {weight = torch.Tensor(3, 5)"
     ":uniform(-s, s), bias = torch.Tensor(3):uniform(-s, s):mul(0.000001)}"),
]


@pytest.mark.parametrize("ctor, expected", RESETS, ids=[r[0] for r in RESETS])
def test_reset_draws_in_the_originals_order(ctor, expected):
    same = lua("""
        torch.manualSeed(21)
        local m = %s
        torch.manualSeed(21)
        local expected = (function() %s end)()
        for k, v in pairs(expected) do
           if not torch.isTensor(m[k]) or m[k]:nElement() ~= v:nElement()
                 or (m[k]:double():view(-1) - v:view(-1)):abs():max() ~= 0 then
              return k
           end
        end
        return true
    """ % (ctor, expected))
    assert same is True


def test_old_seed_draws_element_by_element():
    """With nn.oldSeed, Linear draws the weights row after row, then the bias, one
    torch.uniform at a time."""
    w, b, expected = lua("""
        nn.oldSeed = true
        torch.manualSeed(8)
        local m = nn.Linear(3, 2)
        nn.oldSeed = nil
        torch.manualSeed(8)
        local s = 1 / math.sqrt(3)
        local draws = {}
        for i = 1, 8 do draws[i] = torch.uniform(-s, s) end
        return m.weight, m.bias, torch.Tensor(draws)
    """)
    np.testing.assert_array_equal(np.concatenate([w.ravel(), b]), expected)


def test_dropout_masks_follow_the_seed():
    x = RNG.normal(size=(4, 5))
    y, mask, ys, smask = lua("""
        local x = ...
        torch.manualSeed(5)
        local y = nn.Dropout(0.4):forward(x):clone()
        torch.manualSeed(5)
        local mask = torch.Tensor(4, 5):bernoulli(0.6):div(0.6)
        local xs = torch.randn(2, 3, 2, 2)
        torch.manualSeed(6)
        local ys = nn.SpatialDropout(0.5):forward(xs):clone()
        torch.manualSeed(6)
        local smask = torch.Tensor(2, 3, 1, 1):bernoulli(0.5)    -- not rescaled
        return y, mask, torch.cdiv(ys, xs), smask
    """, x)
    np.testing.assert_allclose(y, x * mask)
    np.testing.assert_allclose(ys, np.broadcast_to(smask, (2, 3, 2, 2)))


def test_rrelu_draws_slopes_for_non_positive_inputs_in_order():
    x = np.array([[0.5, -1.0, 2.0], [-0.5, -2.0, 1.0]])
    y, draws = lua("""
        local x = ...
        torch.manualSeed(12)
        local y = nn.RReLU(0.1, 0.3):forward(x):clone()
        torch.manualSeed(12)
        local d = {}
        for i = 1, 3 do d[i] = torch.uniform(0.1, 0.3) end
        return y, torch.Tensor(d)
    """, x)
    expected = x.copy()
    expected[x < 0] *= draws
    np.testing.assert_allclose(y, expected, rtol=1e-15)
