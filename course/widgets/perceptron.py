"""Perceptron explorer: move w1, w2 and b; watch the decision line and the truth table."""

import ipywidgets as widgets
import numpy as np

from course.i18n import tr
from course.plots import BINARY_INPUTS, DecisionRegion, new_figure
from course.student import call_student
from course.tables import html_table
from course.widgets.base import Demo

WEIGHT_LIMIT = 2.0


def weight_slider(name, value):
    return widgets.FloatSlider(value=value, min=-WEIGHT_LIMIT, max=WEIGHT_LIMIT, step=0.05,
                               description=name, continuous_update=True)


def perceptron_explorer(perceptron, w1=0.5, w2=0.5, b=-0.7):
    """Drive the learner's ``perceptron(x, w, b)`` with sliders over the four binary inputs."""
    return PerceptronExplorer(perceptron, w1, w2, b)


class PerceptronExplorer(Demo):
    def __init__(self, perceptron, w1, w2, b):
        self.perceptron = perceptron
        self.controls = {"w1": weight_slider("w1", w1), "w2": weight_slider("w2", w2), "b": weight_slider("b", b)}
        self.figure = new_figure(4.0, 4.0)
        ax = self.figure.add_subplot()
        self.ax = ax
        self.region = DecisionRegion(ax)
        self._assemble()

    def draw(self):
        w = np.array([self.controls["w1"].value, self.controls["w2"].value])
        b = self.controls["b"].value
        outputs = call_student(self.perceptron, BINARY_INPUTS, w, b, shape=(4,))
        region = call_student(self.perceptron, self.region.grid, w, b, shape=(len(self.region.grid),))
        self.region.update(w, b, region, outputs)
        net = b + BINARY_INPUTS @ w
        self.rows = [(int(x1), int(x2), float(a), int(y)) for (x1, x2), a, y in zip(BINARY_INPUTS, net, outputs)]
        self.table.value = html_table(["x1", "x2", "a = b + w·x", "y"], self.rows)
        self.ax.set_title(net_input_formula(w, b), fontsize=10)


def net_input_formula(w, b):
    """'a = -0.70 + 0.50·x1 - 0.25·x2', with a note when no decision line exists."""
    terms = "".join(f" {'-' if wi < 0 else '+'} {abs(wi):.2f}·x{i}" for i, wi in enumerate(w, start=1))
    note = "   " + tr("(w = 0: no line, every input gets a = b)") if not np.any(w) else ""
    return f"a = {b:.2f}{terms}{note}"
