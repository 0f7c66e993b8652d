"""Gradient descent on a function of two variables: slide the step size eta and watch the
learner's own ``gradient_descent`` crawl, converge or diverge on a contour map."""

import ipywidgets as widgets
import numpy as np

from course.i18n import tr, translatable
from course.plots import new_figure
from course.student import StudentCodeProblem, call_student
from course.tables import html_table
from course.widgets.base import Demo

START = (2.5, -1.0)
VIEW = 3.0                      # the contour map shows [-VIEW, VIEW]²
MAX_ETA, MAX_STEPS = 0.8, 40
F_RANGE = (1e-12, 1e12)         # the right panel's log scale; values outside are drawn at its edges
PATH_COLOUR, START_COLOUR = "#e15759", "#4e79a7"


def descent_explorer(f, gradient_descent, start=START):
    """Slide eta and the number of steps; the path of the learner's gradient_descent from ``start``."""
    return DescentExplorer(f, gradient_descent, start)


def verdict(values):
    """'stays put', 'diverges', 'converges' or 'crawls', from f along the path (f's minimum is 0 here).
    The English word: tr() shows it in the learner's language."""
    if np.all(values == values[0]):
        return translatable("stays put")
    if not np.all(np.isfinite(values)) or values[-1] > values[0]:
        return translatable("diverges")
    if len(values) > 1 and values[-1] < 1e-3 * values[0]:
        return translatable("converges")
    return translatable("crawls")


class DescentExplorer(Demo):
    def __init__(self, f, gradient_descent, start):
        self.f, self.descend, self.start = f, gradient_descent, np.asarray(start, dtype=float)
        self.controls = {
            "eta": widgets.FloatSlider(value=0.1, min=0.0, max=MAX_ETA, step=0.01, description="eta η",
                                       readout_format=".2f"),
            "steps": widgets.IntSlider(value=20, min=1, max=MAX_STEPS, description=tr("steps")),
        }
        self.figure = new_figure(7.8, 3.6)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.88, wspace=0.28)
        self.map_ax, self.f_ax = self.figure.subplots(1, 2)
        grid = np.linspace(-VIEW, VIEW, 121)
        xs, ys = np.meshgrid(grid, grid)
        heights = np.array([[float(f(np.array([x, y]))) for x, y in zip(row_x, row_y)]
                            for row_x, row_y in zip(xs, ys)])
        self.map_ax.contour(xs, ys, heights, levels=[0.1, 0.5, 1, 2, 4, 8, 12, 16], colors="grey",
                            linewidths=0.8)
        self.map_ax.plot([0], [0], "k+", ms=10)
        self.map_ax.set(xlim=(-VIEW, VIEW), ylim=(-VIEW, VIEW), xlabel="x", ylabel="y", aspect="equal",
                        xticks=[-3, 0, 3], yticks=[-3, 0, 3])
        (self.path_line,) = self.map_ax.plot([], [], "o-", ms=3, lw=1.2, color=PATH_COLOUR)
        self.map_ax.plot(*self.start, "o", ms=8, color=START_COLOUR, zorder=3)
        self.f_ax.set_yscale("log")
        self.f_ax.set(xlim=(-0.5, MAX_STEPS + 0.5), ylim=F_RANGE, xlabel=tr("step k"), ylabel=tr("f at step k"),
                      xticks=[0, 10, 20, 30, 40], yticks=[1e-12, 1e-6, 1, 1e6, 1e12])
        (self.f_line,) = self.f_ax.plot([], [], "o-", ms=3, color=PATH_COLOUR)
        self._assemble()

    def draw(self):
        eta, steps = self.controls["eta"].value, self.controls["steps"].value
        path = call_student(self.descend, self.f, self.start.copy(), eta, steps, shape=(steps + 1, 2))
        if not np.all(np.isfinite(path)):
            raise StudentCodeProblem(tr("Your {name} returned nan or inf: check it against its tests.",
                                                     name="gradient_descent"))
        if not np.allclose(path[0], self.start):
            raise StudentCodeProblem(tr("Your gradient_descent's path must start with x0 (its first row)."))
        self.path = path
        self.f_values = np.array([float(self.f(point)) for point in path])
        self.verdict = verdict(self.f_values)
        shown = np.clip(path, -100 * VIEW, 100 * VIEW)   # far outside the map, but finite to draw
        self.path_line.set_data(shown[:, 0], shown[:, 1])
        self.f_line.set_data(np.arange(steps + 1), np.clip(self.f_values, *F_RANGE))
        verdict_shown = tr(self.verdict)
        self.map_ax.set_title(f"η = {eta:.2f}: {verdict_shown}", fontsize=10)
        self.f_ax.set_title(tr("f after {steps} steps = {value:.3g}", steps=steps, value=self.f_values[-1]),
                            fontsize=10)
        self.rows = [("η", f"{eta:.2f}"), (tr("steps"), steps), (tr("f at the start"), f"{self.f_values[0]:.3g}"),
                     (tr("f after {steps} steps", steps=steps), f"{self.f_values[-1]:.3g}"), ("", verdict_shown)]
        self.table.value = html_table(["", ""], self.rows)
