"""Bad input to nn modules and criterions: a Lua error naming the module and the sizes at
fault (wrong number of dimensions or planes, out-of-range class indices or keys, table
inputs whose sizes do not match), after which the runtime goes on."""
import pytest

import torch7_compat as t7
from test_nn_support import needs


def lua(code):
    return t7.lua.execute("require 'nn'\n" + code)


# (module constructor, input expression, fragments the message must contain)
MODULES = [
    ("nn.SpatialConvolution(3, 4, 3, 3)", "torch.randn(2, 5, 5)",
     ["nn.SpatialConvolution", "3 input planes", "2 x 5 x 5"]),
    ("nn.SpatialConvolution(3, 4, 3, 3)", "torch.randn(5, 5)",
     ["nn.SpatialConvolution", "3D or 4D", "5 x 5"]),
    ("nn.SpatialConvolution(3, 4, 3, 3)", "torch.randn(3, 2, 2)",
     ["nn.SpatialConvolution", "too small", "3x1x2x2"]),
    ("nn.SpatialConvolutionMM(3, 4, 3, 3)", "torch.randn(2, 2, 5, 5)",
     ["nn.SpatialConvolutionMM", "3 input planes", "2 x 2 x 5 x 5"]),
    ("nn.SpatialFullConvolution(3, 4, 3, 3)", "torch.randn(2, 5, 5)",
     ["nn.SpatialFullConvolution", "3 input planes"]),
    ("nn.SpatialDilatedConvolution(2, 2, 3, 3, 1, 1, 0, 0, 3, 3)", "torch.randn(2, 5, 5)",
     ["nn.SpatialDilatedConvolution", "too small"]),
    ("nn.VolumetricConvolution(3, 4, 3, 3, 3)", "torch.randn(3, 5, 5)",
     ["nn.VolumetricConvolution", "4D or 5D", "3 x 5 x 5"]),
    ("nn.SpatialConvolutionMap(nn.tables.full(2, 3), 3, 3)", "torch.randn(1, 5, 5)",
     ["nn.SpatialConvolutionMap", "at least 2 expected", "got 1"]),
    ("nn.TemporalConvolution(4, 3, 3)", "torch.randn(5, 3)",
     ["nn.TemporalConvolution", "frame size (3)"]),
    ("nn.TemporalConvolution(4, 3, 3)", "torch.randn(2, 4)",
     ["nn.TemporalConvolution", "smaller than kernel"]),
    ("nn.TemporalRowConvolution(4, 3)", "torch.randn(6, 5)",
     ["nn.TemporalRowConvolution", "4 features", "6x5"]),
    ("nn.SpatialMaxPooling(2, 2)", "torch.randn(5)",
     ["nn.SpatialMaxPooling", "3D or 4D", "5"]),
    ("nn.SpatialMaxPooling(4, 4)", "torch.randn(1, 3, 3)",
     ["nn.SpatialMaxPooling", "too small", "1x1x3x3"]),
    ("nn.SpatialAveragePooling(2, 2)", "torch.randn(2, 2)",
     ["nn.SpatialAveragePooling", "3D or 4D", "2 x 2"]),
    ("nn.SpatialAdaptiveMaxPooling(2, 2)", "torch.randn(3)",
     ["nn.SpatialAdaptiveMaxPooling", "3D or 4D"]),
    ("nn.VolumetricMaxPooling(2, 2, 2)", "torch.randn(2, 3, 3)",
     ["nn.VolumetricMaxPooling", "4D or 5D", "2 x 3 x 3"]),
    ("nn.TemporalMaxPooling(5)", "torch.randn(3, 2)",
     ["nn.TemporalMaxPooling", "smaller than kernel"]),
    ("nn.SpatialReflectionPadding(3, 3, 3, 3)", "torch.randn(1, 2, 2)",
     ["nn.SpatialReflectionPadding", "smaller than the input dimension (2)"]),
    ("nn.SpatialUpSamplingNearest(2)", "torch.randn(5)",
     ["nn.SpatialUpSamplingNearest", "3D or 4D"]),
    ("nn.SpatialCrossMapLRN(3)", "torch.randn(5)", ["nn.SpatialCrossMapLRN", "3D or 4D"]),
    ("nn.BatchNormalization(4)", "torch.randn(3, 5)",
     ["nn.BatchNormalization", "5-feature", "expected 4"]),
    ("nn.SpatialBatchNormalization(4)", "torch.randn(3, 5)",
     ["nn.SpatialBatchNormalization", "4D", "2D"]),
    ("nn.Linear(4, 3)", "torch.randn(2, 5)", ["nn.Linear", "size mismatch", "[2 x 5]"]),
    ("nn.Linear(4, 3)", "torch.randn(5)", ["nn.Linear", "size mismatch", "[3 x 4]", "[5]"]),
    ("nn.PReLU(3)", "torch.randn(2, 4)", ["nn.PReLU", "Expected 3", "2 x 4"]),
    ("nn.SoftMax()", "torch.randn(2, 3, 4, 5, 6)", ["nn.SoftMax", "5D"]),
    ("nn.Euclidean(4, 3)", "torch.randn(2, 5)", ["nn.Euclidean", "2x5", "4 features"]),
    ("nn.CMul(5)", "torch.randn(2, 4)", ["nn.CMul", "2x4", "5"]),
    ("nn.Add(5)", "torch.randn(2, 4)", ["nn.Add", "2x4", "5"]),
    ("nn.Reshape(5)", "torch.randn(2, 3)", ["nn.Reshape", "2x3", "5"]),
    ("nn.CAddTable()", "{torch.randn(3), torch.randn(4)}",
     ["nn.CAddTable", "input 2 of size 4", "input 1 of size 3"]),
    ("nn.CMulTable()", "{torch.randn(3), torch.randn(2, 2)}",
     ["nn.CMulTable", "2x2", "3"]),
    ("nn.PairwiseDistance(2)", "{torch.randn(3), torch.randn(4)}",
     ["nn.PairwiseDistance", "size 4", "size 3"]),
    ("nn.DotProduct()", "{torch.randn(3), torch.randn(4)}", ["nn.DotProduct", "4", "3"]),
    ("nn.CosineDistance()", "{torch.randn(3), torch.randn(4)}", ["nn.CosineDistance"]),
    ("nn.MM()", "{torch.randn(2, 3), torch.randn(4, 2)}",
     ["nn.MM", "do not match", "2x3", "4x2"]),
    ("nn.MV()", "{torch.randn(2, 3), torch.randn(4)}", ["nn.MV", "2x3", "4"]),
    ("nn.Bilinear(3, 2, 4)", "{torch.randn(5, 3), torch.randn(4, 2)}",
     ["nn.Bilinear", "5x3", "4x2"]),
    ("nn.MixtureTable()", "{torch.randn(2, 3), {torch.randn(2, 4), torch.randn(2, 4)}}",
     ["nn.MixtureTable", "3 gater outputs", "2 experts"]),
    ("nn.IndexLinear(10, 3)", "{torch.LongTensor{1, 11}, torch.rand(2)}",
     ["nn.IndexLinear", "key 11 out of range", "1 to 10"]),
    ("nn.IndexLinear(10, 3)", "{torch.LongTensor{1, 2}, torch.rand(3)}",
     ["nn.IndexLinear", "same size"]),
]


@pytest.mark.parametrize("ctor, input_expr, fragments", MODULES,
                         ids=["%s<-%s" % (m[0], m[1]) for m in MODULES])
def test_module_error_names_module_and_sizes(ctor, input_expr, fragments):
    with pytest.raises(t7.LuaError) as info:
        lua("local m = %s\nreturn m:forward(%s)" % (ctor, input_expr))
    message = str(info.value).split("stack traceback")[0]
    for fragment in fragments:
        assert fragment in message, (fragment, message)


@needs("index")
@pytest.mark.parametrize("indices", ["{1, 6}", "{0, 2}"])
def test_lookup_table_index_out_of_range(indices):
    with pytest.raises(t7.LuaError, match="out of range"):
        lua("return nn.LookupTable(5, 3):forward(torch.LongTensor%s)" % indices)


# (criterion constructor, input, target, fragments)
CRITERIA = [
    ("nn.ClassNLLCriterion()", "torch.randn(2, 4)", "torch.Tensor{1, 5}",
     ["nn.ClassNLLCriterion", "target 5 out of bounds", "1 to 4"]),
    ("nn.ClassNLLCriterion()", "torch.randn(2, 4)", "torch.Tensor{1, 2, 3}",
     ["nn.ClassNLLCriterion", "one class index per sample"]),
    ("nn.CrossEntropyCriterion()", "torch.randn(2, 4)", "torch.Tensor{0, 1}",
     ["target 0 out of bounds"]),
    ("nn.MultiMarginCriterion()", "torch.randn(2, 4)", "torch.Tensor{1, 5}",
     ["nn.MultiMarginCriterion", "5", "1 to 4"]),
    ("nn.SpatialClassNLLCriterion()", "torch.randn(2, 3, 2, 2)",
     "torch.Tensor(2, 2, 2):fill(4)", ["nn.SpatialClassNLLCriterion", "target 4", "1 to 3"]),
    ("nn.MultiLabelMarginCriterion()", "torch.randn(2, 4)",
     "torch.Tensor{{5, 0, 0, 0}, {1, 0, 0, 0}}", ["nn.MultiLabelMarginCriterion", "5"]),
    ("nn.MSECriterion()", "torch.randn(2, 4)", "torch.randn(2, 3)",
     ["nn.MSECriterion", "8 and 6"]),
    ("nn.BCECriterion()", "torch.rand(2, 4)", "torch.rand(2, 3)",
     ["nn.BCECriterion", "2x4", "2x3"]),
    ("nn.SmoothL1Criterion()", "torch.randn(4)", "torch.randn(5)",
     ["nn.SmoothL1Criterion", "4 and 5"]),
    ("nn.AbsCriterion()", "torch.randn(4)", "torch.randn(5)", ["nn.AbsCriterion", "4 and 5"]),
    ("nn.DistKLDivCriterion()", "torch.randn(4)", "torch.randn(5)",
     ["nn.DistKLDivCriterion", "4 and 5"]),
    ("nn.MarginCriterion()", "torch.randn(4)", "torch.randn(5)",
     ["nn.MarginCriterion", "4 and 5"]),
    ("nn.SoftMarginCriterion()", "torch.randn(4)", "torch.randn(5)",
     ["nn.SoftMarginCriterion", "4 and 5"]),
    ("nn.HingeEmbeddingCriterion()", "torch.randn(4)", "torch.randn(5)",
     ["nn.HingeEmbeddingCriterion", "4 and 5"]),
    ("nn.CosineEmbeddingCriterion()", "{torch.randn(2, 3), torch.randn(2, 4)}",
     "torch.Tensor{1, -1}", ["nn.CosineEmbeddingCriterion", "2x4", "2x3"]),
    ("nn.MarginRankingCriterion()", "{torch.randn(3), torch.randn(4)}",
     "torch.Tensor{1, -1, 1}", ["nn.MarginRankingCriterion", "size 4", "size 3"]),
    ("nn.MultiLabelSoftMarginCriterion()", "torch.randn(2, 4)", "torch.randn(2, 3)",
     ["nn.MultiLabelSoftMarginCriterion", "2x4", "2x3"]),
]


@pytest.mark.parametrize("ctor, input_expr, target_expr, fragments", CRITERIA,
                         ids=[c[0] + "-" + c[2] for c in CRITERIA])
def test_criterion_error_names_criterion_and_sizes(ctor, input_expr, target_expr, fragments):
    with pytest.raises(t7.LuaError) as info:
        lua("local c = %s\nreturn c:forward(%s, %s)" % (ctor, input_expr, target_expr))
    message = str(info.value).split("stack traceback")[0]
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_errors_inside_containers_name_the_path():
    with pytest.raises(t7.LuaError) as info:
        lua("""
            local m = nn.Sequential()
               :add(nn.SpatialConvolution(1, 2, 3, 3))
               :add(nn.ConcatTable():add(nn.Identity()):add(nn.SpatialMaxPooling(9, 9)))
            return m:forward(torch.randn(1, 5, 5))
        """)
    message = str(info.value)
    assert "In 2 module of nn.Sequential" in message
    assert "In 2 module of nn.ConcatTable" in message
    assert "nn.SpatialMaxPooling" in message and "too small" in message


def test_wrong_tensor_type_is_named():
    with pytest.raises(t7.LuaError, match="only FloatTensor and DoubleTensor"):
        lua("return nn.SpatialConvolution(1, 1, 1, 1):forward(torch.IntTensor(1, 2, 2))")
    with pytest.raises(t7.LuaError, match="nn.SpatialConvolution"):
        lua("return nn.SpatialConvolution(1, 1, 1, 1):forward(torch.FloatTensor(1, 2, 2))")


def test_runtime_goes_on_after_errors():
    for ctor, input_expr, _ in MODULES[:5]:
        with pytest.raises(t7.LuaError):
            lua("return %s:forward(%s)" % (ctor, input_expr))
    assert lua("return nn.SpatialConvolution(3, 4, 3, 3):forward(torch.randn(3, 5, 5)):dim()") \
        == 3


@pytest.mark.parametrize("name, arguments, input_size, grad_output_size", [
    ("nn.SpatialConvolution", "2, 3, 3, 3", "2, 5, 5", "3, 2, 2"),
    ("nn.SpatialMaxPooling", "2, 2", "2, 4, 4", "2, 3, 3"),
])
def test_backward_with_mismatched_grad_output(name, arguments, input_size, grad_output_size):
    with pytest.raises(t7.LuaError) as info:
        lua("""
            local m = %s(%s)
            local x = torch.randn(%s)
            m:forward(x)
            return m:backward(x, torch.randn(%s))
        """ % (name, arguments, input_size, grad_output_size))
    assert name in str(info.value)
