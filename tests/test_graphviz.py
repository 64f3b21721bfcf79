"""graph's drawing functions run Graphviz's `dot` program: the command lines they build and
how they read its output are checked with a stand-in `dot` script on PATH (it records its
arguments and writes what the real program would), and without any `dot` they must fail
with a clear message after writing what needs no Graphviz."""
import os
import stat
import textwrap

from conftest import python_env, run_th

# Writes its arguments to dot.log; for -Tplain a fixed layout of three nodes (inches, as
# dot's plain format gives them), for other formats the format's name.
FAKE_DOT = textwrap.dedent("""\
    #!/bin/sh
    echo "$@" >> "${0%/*}/dot.log"
    for a in "$@"; do
      case "$a" in -T*) format="${a#-T}";; esac
    done
    out=""; prev=""
    for a in "$@"; do
      [ "$prev" = "-o" ] && out="$a"
      prev="$a"
    done
    if [ "$format" = plain ]; then
      printf 'graph 1 4 2\\nnode n1 2 1.5 1 0.5 "a" solid oval black lightgrey\\n' > "$out"
      printf 'node n2 1 0.5 1 0.5 "b" solid oval black lightgrey\\n' >> "$out"
      printf 'node n3 3 0.5 1 0.5 "c" solid oval black lightgrey\\nstop\\n' >> "$out"
    else
      echo "$format" > "$out"
    fi
    """)

SCRIPT = """
require 'graph'
local a, b, c = graph.Node('a'), graph.Node('b'), graph.Node('c')
local g = graph.Graph()
g:add(graph.Edge(a, b))
g:add(graph.Edge(a, c))
"""


def fake_path(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    dot = bin_dir / "dot"
    dot.write_text(FAKE_DOT)
    dot.chmod(dot.stat().st_mode | stat.S_IXUSR)
    return bin_dir


def test_layout_reads_dot_plain_output(tmp_path):
    bin_dir = fake_path(tmp_path)
    script = SCRIPT + "local p = graph.graphvizLayout(g, 'neato')\n" \
        "for i = 1, 3 do print(p[i][1], p[i][2]) end\n"
    result = run_th("-e", script, cwd=str(tmp_path), env=python_env(PATH=str(bin_dir)))
    assert result.returncode == 0, result.stderr
    positions = [tuple(map(float, line.split())) for line in result.stdout.split("\n")
                 if line.strip()]
    # x / width and y / height of the plain output (width 4, height 2)
    assert positions == [(0.5, 0.75), (0.25, 0.25), (0.75, 0.25)]
    log = (bin_dir / "dot.log").read_text()
    assert "-Kneato -Tplain" in log


def test_dot_writes_svg_and_dot_files(tmp_path):
    bin_dir = fake_path(tmp_path)
    script = SCRIPT + "graph.dot(g, 'Title', 'drawing')\n" \
        "graph.graphvizFile(g, 'circo', 'other.png')\n"
    result = run_th("-e", script, cwd=str(tmp_path), env=python_env(PATH=str(bin_dir)))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "drawing.svg").read_text() == "svg\n"
    assert (tmp_path / "drawing.dot").read_text() == "dot\n"
    assert (tmp_path / "other.png").read_text() == "png\n"
    calls = (bin_dir / "dot.log").read_text().splitlines()
    assert [c.split()[:2] for c in calls] == [["-Kdot", "-Tsvg"], ["-Kdot", "-Tdot"],
                                              ["-Kcirco", "-Tpng"]]
    # the temporary Graphviz sources are gone
    for call in calls:
        assert not os.path.exists(call.split()[-1])


def test_without_graphviz_only_the_dot_text_is_written(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    script = SCRIPT + "print(graph.graphvizAvailable())\n" \
        "local ok, err = pcall(graph.dot, g, 'T', 'drawing')\n" \
        "print(ok, err)\n" \
        "print(pcall(graph.graphvizLayout, g))\n"
    result = run_th("-e", script, cwd=str(tmp_path), env=python_env(PATH=str(empty)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "false"
    assert lines[1].startswith("false")
    assert "dot program was not found" in lines[1] and "drawing.dot" in lines[1]
    assert lines[2].startswith("false") and "not found" in lines[2]
    assert (tmp_path / "drawing.dot").read_text().startswith('digraph G {\nlabelloc="t";')
    assert not (tmp_path / "drawing.svg").exists()
