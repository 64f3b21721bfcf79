"""Figures for the Lua `gnuplot` package (lua/gnuplot/init.lua) and optim.Logger, drawn
with matplotlib's non-interactive Agg backend: no gnuplot program and no screen needed.

A figure keeps its settings (title, labels, grid, ranges, legend place) and its last plot,
as a gnuplot window did; every change redraws it into its file. A file figure
(pngfigure, epsfigure, pdffigure, svgfigure) writes the file it was given; a screen figure
writes $TMPDIR/torch7_compat_figure_<n>.png and says so once.
"""
import os
import tempfile

import numpy as np

# gnuplot's styles, as matplotlib arguments
_STYLES = {
    "": {"linestyle": "-", "marker": "+"},
    "+": {"linestyle": "", "marker": "+"}, "points": {"linestyle": "", "marker": "+"},
    ".": {"linestyle": "", "marker": ",", }, "dots": {"linestyle": "", "marker": ","},
    "-": {"linestyle": "-"}, "lines": {"linestyle": "-"},
    "+-": {"linestyle": "-", "marker": "+"}, "linespoints": {"linestyle": "-", "marker": "+"},
    "~": {"linestyle": "-"}, "csplines": {"linestyle": "-"},
}
_LEGEND_PLACES = {("left", "top"): "upper left", ("right", "top"): "upper right",
                  ("center", "top"): "upper center", ("left", "bottom"): "lower left",
                  ("right", "bottom"): "lower right", ("center", "bottom"): "lower center",
                  ("left", "middle"): "center left", ("right", "middle"): "center right",
                  ("center", "middle"): "center"}


class Figure:
    def __init__(self, number, filename=None):
        self.number = number
        self.filename = filename
        self.announced = False
        self.settings = {"grid": False, "logscale": False, "legend": "best"}
        self.series = []
        self.kind = "lines"

    def path(self):
        if self.filename:
            return self.filename
        return os.path.join(tempfile.gettempdir(), "torch7_compat_figure_%d.png" % self.number)

    def draw(self, path=None):
        import matplotlib
        matplotlib.use("Agg", force=False)
        from matplotlib.figure import Figure as MplFigure
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        figure = MplFigure(figsize=(6.4, 4.8))
        FigureCanvasAgg(figure)
        three_d = self.kind == "splot"
        axes = figure.add_subplot(111, projection="3d" if three_d else None)
        self._draw_series(axes, figure)
        s = self.settings
        if "title" in s:
            axes.set_title(s["title"])
        if "xlabel" in s:
            axes.set_xlabel(s["xlabel"])
        if "ylabel" in s:
            axes.set_ylabel(s["ylabel"])
        if "zlabel" in s and three_d:
            axes.set_zlabel(s["zlabel"])
        if s["grid"]:
            axes.grid(True)
        if s["logscale"] and self.kind == "lines":
            axes.set_xscale("log")
            axes.set_yscale("log")
        if "axis" in s:
            axis = s["axis"]
            if axis == "equal":
                axes.set_aspect("equal")
            elif isinstance(axis, tuple):
                axes.set_xlim(axis[0], axis[1])
                axes.set_ylim(axis[2], axis[3])
        if any(label for label, *_ in self.series if label) and self.kind == "lines":
            axes.legend(loc=s["legend"], framealpha=1)  # PostScript has no transparency
        path = path or self.path()
        kind = os.path.splitext(path)[1].lstrip(".").lower() or "png"
        figure.savefig(path, format=kind)
        if path == self.path() and not self.filename and not self.announced:
            self.announced = True
            print("gnuplot: no screen here; figure %d is drawn into %s" % (self.number, path))

    def _draw_series(self, axes, figure):
        for label, x, y, style in self.series:
            if self.kind == "imagesc":
                shown = axes.imshow(x, cmap="gray" if style == "gray" else "viridis",
                                    aspect="auto", interpolation="nearest")
                figure.colorbar(shown, ax=axes)
            elif self.kind == "splot":
                axes.plot_surface(x, y, style, cmap="viridis")
            elif style in ("|", "boxes"):
                width = float(np.min(np.diff(x))) if len(x) > 1 else 0.8
                axes.bar(x, y, width=width, label=label or None)
            else:
                options = _STYLES.get(style, _STYLES[""])
                axes.plot(x, y, label=label or None, **options)


class Plotter:
    """The figures of one Lua state: gnuplot's current-figure model."""

    def __init__(self):
        self.figures = {}
        self.current = None

    def figure(self, number=None, filename=None):
        if number is None:
            number = max(self.figures, default=0) + 1
        number = int(number)
        if number not in self.figures or filename is not None:
            self.figures[number] = Figure(number, filename)
        self.current = self.figures[number]
        return number

    def _current(self):
        if self.current is None:
            self.figure(1)
        return self.current

    def set(self, key, value):
        figure = self._current()
        figure.settings[key] = value
        if figure.series:
            figure.draw()

    def set_axis(self, xmin, xmax, ymin, ymax):
        self.set("axis", (xmin, xmax, ymin, ymax))

    def begin(self, kind):
        """Starts a new plot in the current figure (its settings stay)."""
        figure = self._current()
        figure.kind = kind
        figure.series = []

    def add(self, label, x, y, style):
        """A line (x, y tensors; y may hold several columns) in the current plot."""
        xs = np.asarray(x.numpy(), np.float64)
        ys = np.asarray(y.numpy(), np.float64)
        if ys.ndim == 2 and ys.shape[1] > 1:
            for column in range(ys.shape[1]):
                self._current().series.append((label, xs, ys[:, column], style))
        else:
            self._current().series.append((label, xs, ys.reshape(len(xs)), style))

    def add_image(self, matrix, palette):
        self._current().series.append(("", np.asarray(matrix.numpy(), np.float64), None,
                                        palette))

    def add_surface(self, x, y, z):
        self._current().series.append(("", np.asarray(x.numpy(), np.float64),
                                       np.asarray(y.numpy(), np.float64),
                                       np.asarray(z.numpy(), np.float64)))

    def draw(self):
        self._current().draw()

    def print_to(self, filename):
        """Draws the current figure into another file as well."""
        self._current().draw(filename)

    def flush(self, number=None):
        figure = self.figures.get(int(number)) if number is not None else self.current
        if figure is not None and figure.series:
            figure.draw()

    def close(self, number=None):
        figure = self.figures.pop(int(number), None) if number is not None else None
        if number is None and self.current is not None:
            figure = self.figures.pop(self.current.number, None)
        if figure is not None:
            if figure.series:
                figure.draw()
            if figure is self.current:
                self.current = None
        return figure is not None

    def close_all(self):
        for number in list(self.figures):
            self.close(number)


def histogram(tensor, bins, low, high):
    """Counts of the values of `tensor` in `bins` equal bins over [low, high] (values outside
    are left out), as torch.histc."""
    values = np.asarray(tensor.numpy(), np.float64).ravel()
    from ._native import core
    counts, _ = np.histogram(values, bins=int(bins), range=(low, high))
    return core.from_numpy(counts.astype(np.float64))


# One set of figures per process, as one gnuplot session served the original.
_PLOTTER = Plotter()
figure = _PLOTTER.figure
set = _PLOTTER.set  # noqa: A001 - gnuplot's own word for a setting
set_axis = _PLOTTER.set_axis
begin = _PLOTTER.begin
add = _PLOTTER.add
add_image = _PLOTTER.add_image
add_surface = _PLOTTER.add_surface
draw = _PLOTTER.draw
flush = _PLOTTER.flush
print_to = _PLOTTER.print_to
close = _PLOTTER.close
close_all = _PLOTTER.close_all
