"""Activation explorer: pick an activation, slide the input, read the value off the curve."""

import ipywidgets as widgets
import numpy as np

from course.i18n import tr
from course.plots import new_figure
from course.student import StudentCodeProblem, call_student
from course.widgets.base import Demo, shown_name

X_LIMIT = 6.0
# y-range that shows each activation whole; widened if a learner's function leaves it
Y_RANGES = {"step": (-0.2, 1.2), "sigmoid": (-0.2, 1.2), "tanh": (-1.2, 1.2), "ReLU": (-0.5, X_LIMIT + 0.2)}


def activation_explorer(step_function, sigmoid, tanh, relu):
    """Explore the learner's four activation functions (pass them in, implemented or not)."""
    return ActivationExplorer({"step": step_function, "sigmoid": sigmoid, "tanh": tanh, "ReLU": relu})


class ActivationExplorer(Demo):
    def __init__(self, functions):
        self.functions = functions
        self.xs = np.linspace(-X_LIMIT, X_LIMIT, 241)
        self.controls = {
            "activation": widgets.Dropdown(options=[(shown_name(name), name) for name in functions], value="sigmoid",
                                           description="h"),
            "x": widgets.FloatSlider(value=1.0, min=-X_LIMIT, max=X_LIMIT, step=0.1, description=tr("input a")),
        }
        self.figure = new_figure()
        self.ax = self.figure.add_subplot()
        self.ax.axhline(0, color="grey", lw=0.8)
        self.ax.axvline(0, color="grey", lw=0.8)
        (self.curve,) = self.ax.plot([], [], lw=2.5, color="#4e79a7")
        (self.point,) = self.ax.plot([], [], "o", ms=10, color="#f28e2b", zorder=3)
        self.ax.set(xlim=(-X_LIMIT, X_LIMIT), xlabel=tr("a (net input)"), ylabel="h(a)")
        self._assemble()

    def draw(self):
        name, x = self.controls["activation"].value, self.controls["x"].value
        function = self.functions[name]
        ys = call_student(function, self.xs, shape=self.xs.shape)
        y = call_student(function, x, shape=())
        finite = ys[np.isfinite(ys)]
        if finite.size == 0 or not np.isfinite(y):
            raise StudentCodeProblem(tr("Your {name} returned nan or inf: check it against its tests.", name=name))
        low, high = Y_RANGES[name]
        self.ax.set_ylim(min(low, finite.min() - 0.1), max(high, finite.max() + 0.1))
        self.curve.set_data(self.xs, ys)
        self.point.set_data([x], [y])
        self.ax.set_title(f"{shown_name(name)}({x:.2f}) = {float(y):.4f}")
        self.value = float(y)
