"""tostring of tensors and storages in Torch7's layout. Expected strings are the original's
documented output (TORCH7_NOTES.md §3) or follow by hand from its format rules there."""


def show(lua, expression):
    return lua("return tostring(%s)" % expression)


def test_documented_examples(lua):
    assert show(lua, "torch.Tensor{{1,2},{3,4}}") == \
        " 1  2\n 3  4\n[torch.DoubleTensor of size 2x2]\n"
    assert show(lua, "torch.Tensor{0.5,1.25}") == \
        " 0.5000\n 1.2500\n[torch.DoubleTensor of size 2]\n"
    assert show(lua, "torch.Tensor()") == "[torch.DoubleTensor with no dimension]\n"
    assert show(lua, "torch.LongTensor(2, 3):size()") == \
        " 2\n 3\n[torch.LongStorage of size 2]\n"


def test_footer_names_the_original_type(lua):
    assert show(lua, "torch.FloatTensor{{1,2,3},{4,5,6}}").endswith(
        "[torch.FloatTensor of size 2x3]\n")


def test_integer_width_follows_the_largest_magnitude(lua):
    # eMax = floor(log10(120)) + 1 = 3: format %4d
    assert show(lua, "torch.Tensor{-5, 120}") == "  -5\n 120\n[torch.DoubleTensor of size 2]\n"


def test_small_values_get_a_scale_header(lua):
    # eMin = eMax = -2 < 0: scale 10^(eMax-1) = 0.001, format %7.4f
    assert show(lua, "torch.Tensor{0.001, 0.002}") == \
        "0.001 *\n 1.0000\n 2.0000\n[torch.DoubleTensor of size 2]\n"
    # eMax = 6 > 5: scale 1e5, printed by %g as 100000
    assert show(lua, "torch.Tensor{123456.5}") == \
        "100000 *\n 1.2346\n[torch.DoubleTensor of size 1]\n"


def test_wide_ranges_use_exponent_format(lua):
    # eMax - eMin = 4 - (-2) > 4: %11.4e
    assert show(lua, "torch.Tensor{0.001, 1000.5}") == \
        " 1.0000e-03\n 1.0005e+03\n[torch.DoubleTensor of size 2]\n"


def test_scaled_matrix_rows_get_an_extra_space(lua):
    # the scale line ends with a space, so every row starts with two
    assert show(lua, "torch.Tensor{{0.001, 0.002}, {0.003, 0.004}}") == \
        "0.001 *\n  1.0000  2.0000\n  3.0000  4.0000\n[torch.DoubleTensor of size 2x2]\n"


def test_higher_dimensions_print_slices_first_index_fastest(lua):
    text = show(lua, "torch.range(1, 8):view(2, 2, 2)")
    # slices are matrices indented by one space
    assert text == ("(1,.,.) = \n  1  2\n  3  4\n\n(2,.,.) = \n  5  6\n  7  8\n"
                    "[torch.DoubleTensor of size 2x2x2]\n")
    four_d = show(lua, "torch.range(1, 16):view(2, 2, 2, 2)")
    headers = [line for line in four_d.split("\n") if line.startswith("(")]
    assert headers == ["(1,1,.,.) = ", "(2,1,.,.) = ", "(1,2,.,.) = ", "(2,2,.,.) = "]


def test_wide_matrices_split_into_column_blocks(lua):
    # width 3 (%3d): floor(80 / 4) = 20 columns per block
    text = show(lua, "torch.range(10, 34):view(1, 25)")
    lines = text.split("\n")
    assert lines[0] == "Columns 1 to 20"
    assert lines[2] == ""
    assert lines[3] == "Columns 21 to 25"
    assert lines[4] == " 30  31  32  33  34"


def test_nan_falls_back_to_plain_f(lua):
    lines = show(lua, "torch.Tensor{0/0, 1.5}").split("\n")
    assert lines[0] in ("nan", "-nan")
    assert lines[1] == "%f" % 1.5
