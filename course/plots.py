"""Drawing primitives for the demos: figures, decision lines and regions, artists updated in place
(course.live_figure turns a figure into the PNG a demo shows).

Figures are plain matplotlib `Figure` objects (no pyplot), so a demo owns its figure and nothing
is drawn twice by the notebook's inline backend.
"""

import sys
import warnings

import matplotlib
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from course import i18n

DPI = 90
ONE_COLOUR = "#f28e2b"   # output 1
ZERO_COLOUR = "#4e79a7"  # output 0
REGION_COLOURS = ListedColormap(["#dce6f2", "#fde3c8"])  # region of output 0, of output 1
BINARY_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


# "0.01", "1e-05": plain text, as mathtext labels ("10^{-2}") would double the time of drawing an axis
PLAIN_NUMBER_LABELS = FuncFormatter(lambda value, _position: f"{value:g}")


# The fonts of a language whose letters matplotlib's own font, DejaVu Sans, lacks: DejaVu Sans first,
# so digits, symbols and Greek look as in English (Nanum Gothic's subscripts, arrows and η are
# poor, and it has no minus sign), then the font each missing glyph is taken from.
LANGUAGE_FONTS = {"ko": ("DejaVu Sans", "NanumGothic")}


def use_language_font():
    """Draw the figures made from now on in fonts that have the learner's letters (Korean: Nanum
    Gothic, from the koreanize_matplotlib package). In English it changes nothing."""
    fonts = LANGUAGE_FONTS.get(i18n.language())
    if fonts is None:
        return
    if "koreanize_matplotlib" not in sys.modules:
        minus = matplotlib.rcParams["axes.unicode_minus"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)   # its distutils version check
            import koreanize_matplotlib  # noqa: F401 (registers Nanum Gothic, sets font.family)
        matplotlib.rcParams["axes.unicode_minus"] = minus   # it drops "−" for Nanum; DejaVu Sans has it
    if list(matplotlib.rcParams["font.family"]) != list(fonts):
        matplotlib.rcParams["font.family"] = list(fonts)


def words_with_math_font():
    """The font family for a text mixing words with $math$ (None: the usual one). Mathtext draws the
    words in the family's first font, with no fallback: there the language's own font comes first."""
    fonts = LANGUAGE_FONTS.get(i18n.language())
    return list(reversed(fonts)) if fonts else None


def new_figure(width=4.4, height=3.6):
    """A demo's figure: every figure of the course is made here, in the learner's language's font."""
    use_language_font()
    figure = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
    figure.subplots_adjust(left=0.14, right=0.96, bottom=0.14, top=0.9)
    return figure


def round_up(value):
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least ``value``: axis limits that move
    seldom, so the axes (kept as a background) are seldom drawn again."""
    power = 10 ** int(np.floor(np.log10(max(value, 1))))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)


def decision_line(w, b, lim):
    """End points of the line ``w[0]*x1 + w[1]*x2 + b = 0`` inside the square ``lim x lim``.

    Returns a (2, 2) array of two points, or None when the line misses the square (or w = 0,
    when there is no line at all: every input gets the same net input b).
    """
    w1, w2 = float(w[0]), float(w[1])
    lo, hi = lim
    if np.hypot(w1, w2) < 1e-12:
        return None
    crossings = []
    for edge in (lo, hi):
        if abs(w2) > 1e-12:  # where the line crosses the vertical edges x1 = edge
            crossings.append((edge, -(b + w1 * edge) / w2))
        if abs(w1) > 1e-12:  # ... and the horizontal edges x2 = edge
            crossings.append((-(b + w2 * edge) / w1, edge))
    inside = [p for p in crossings if lo - 1e-9 <= p[0] <= hi + 1e-9 and lo - 1e-9 <= p[1] <= hi + 1e-9]
    if len(inside) < 2:
        return None
    points = np.array(inside)
    # the two crossings farthest apart (a corner can appear twice)
    distances = np.linalg.norm(points[:, None] - points[None], axis=-1)
    i, j = np.unravel_index(np.argmax(distances), distances.shape)
    return points[[i, j]]


class DecisionRegion:
    """A perceptron over two inputs: shaded output-1 region, decision line, the four inputs."""

    def __init__(self, ax, lim=(-0.5, 1.5), resolution=101):
        self.lim = lim
        axis = np.linspace(lim[0], lim[1], resolution)
        grid_x1, grid_x2 = np.meshgrid(axis, axis)
        self.grid = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])
        self._grid_shape = grid_x1.shape
        self.region = ax.imshow(
            np.zeros(self._grid_shape), origin="lower", extent=(*lim, *lim),
            cmap=REGION_COLOURS, vmin=0, vmax=1, interpolation="nearest", aspect="equal",
        )
        (self.line,) = ax.plot([], [], color="black", lw=2)
        self.points = ax.scatter(BINARY_INPUTS[:, 0], BINARY_INPUTS[:, 1], s=180,
                                 edgecolors="black", linewidths=1.5, zorder=3)
        self.labels = [ax.text(x1 + 0.07, x2 + 0.07, "", fontsize=10, zorder=4)
                       for x1, x2 in BINARY_INPUTS]
        ax.set(xlim=lim, ylim=lim, xlabel="$x_1$", ylabel="$x_2$", xticks=[0, 1], yticks=[0, 1])

    def update(self, w, b, grid_outputs, point_outputs):
        """Redraw for weights w, bias b; outputs (0/1) on ``self.grid`` and on the four inputs."""
        self.region.set_data(np.asarray(grid_outputs, float).reshape(self._grid_shape))
        ends = decision_line(w, b, self.lim)
        self.line.set_data(*(ends.T if ends is not None else ([], [])))
        self.points.set_facecolors([ONE_COLOUR if y > 0.5 else ZERO_COLOUR for y in point_outputs])
        for label, y in zip(self.labels, point_outputs):
            label.set_text(f"y={y:g}")
