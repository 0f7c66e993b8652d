"""Logic-gate demos: hunt for a gate's weights by hand, and see which gates one line can draw.

The truth tables here are the *questions* (what a gate should output); the weights that answer
them are the learner's to find.
"""

import ipywidgets as widgets
import numpy as np

from course.i18n import tr
from course.plots import BINARY_INPUTS, DecisionRegion, new_figure
from course.student import StudentCodeProblem, call_student
from course.tables import RIGHT, WRONG, html_table
from course.widgets.base import Demo
from course.widgets.perceptron import net_input_formula, weight_slider

# Target outputs for the inputs (0,0), (0,1), (1,0), (1,1), in that order.
GATE_TABLES = {
    "AND": (0, 0, 0, 1),
    "NAND": (1, 1, 1, 0),
    "OR": (0, 1, 1, 1),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
    "XNOR": (1, 0, 0, 1),
}
EXPLORER_GATES = ("AND", "NAND", "OR", "NOR", "XOR")


def gate_explorer(perceptron, gate="AND", w1=0.5, w2=0.5, b=0.0):
    """Pick a target gate, move w1, w2, b of the learner's ``perceptron`` until every row matches."""
    return GateExplorer(perceptron, gate, w1, w2, b)


def gate_gallery(perceptron, find_perceptron_params):
    """Six gates side by side: the learner's grid search either finds a line or proves there is none."""
    return GateGallery(perceptron, find_perceptron_params)


class GateExplorer(Demo):
    def __init__(self, perceptron, gate, w1, w2, b):
        if gate not in EXPLORER_GATES:
            raise ValueError(f"gate must be one of {', '.join(EXPLORER_GATES)}, not {gate!r}")
        self.perceptron = perceptron
        self.controls = {
            "gate": widgets.Dropdown(options=list(EXPLORER_GATES), value=gate, description=tr("target")),
            "w1": weight_slider("w1", w1), "w2": weight_slider("w2", w2), "b": weight_slider("b", b),
        }
        self.figure = new_figure(4.0, 4.2)
        self.ax = self.figure.add_subplot()
        self.region = DecisionRegion(self.ax)
        self._assemble()

    def draw(self):
        gate = self.controls["gate"].value
        targets = np.array(GATE_TABLES[gate])
        w = np.array([self.controls["w1"].value, self.controls["w2"].value])
        b = self.controls["b"].value
        outputs = call_student(self.perceptron, BINARY_INPUTS, w, b, shape=(4,))
        region = call_student(self.perceptron, self.region.grid, w, b, shape=(len(self.region.grid),))
        # shading = what the perceptron outputs; dot colour = what the gate wants
        self.region.update(w, b, region, targets)
        right = outputs == targets
        for label, target, ok in zip(self.region.labels, targets, right):
            label.set_text(f"{target} {'✔' if ok else '✘'}")
            label.set_color("#2e7d32" if ok else "#c62828")
        net = b + BINARY_INPUTS @ w
        self.rows = [(int(x1), int(x2), float(a), int(o), int(t), bool(ok))
                     for (x1, x2), a, o, t, ok in zip(BINARY_INPUTS, net, outputs, targets, right)]
        self.solved = bool(right.all())
        self.table.value = html_table(
            ["x1", "x2", "a", tr("output"), tr("{gate} wants", gate=gate), ""],
            [row[:5] + (RIGHT if row[5] else WRONG,) for row in self.rows],
        ) + f"<p><b>{self.verdict(gate, int(right.sum()))}</b></p>"
        self.ax.set_title(f"{gate}: {net_input_formula(w, b)}", fontsize=9)

    def verdict(self, gate, n_right):
        if n_right == 4:
            return tr("{gate} solved! All four rows match.", gate=gate)
        return tr("{n_right} of 4 rows right for {gate}.", n_right=n_right, gate=gate)


class GateGallery(Demo):
    def __init__(self, perceptron, find_perceptron_params):
        self.perceptron = perceptron
        self.find = find_perceptron_params
        self.controls = {}
        self.figure = new_figure(9.0, 5.6)
        self.figure.subplots_adjust(left=0.06, right=0.98, bottom=0.09, top=0.92, wspace=0.3, hspace=0.45)
        self.panels = {}
        for index, gate in enumerate(GATE_TABLES):
            ax = self.figure.add_subplot(2, 3, index + 1)
            self.panels[gate] = (ax, DecisionRegion(ax, resolution=61))
        self.figure.suptitle(tr("dot = what the gate wants (orange 1, blue 0); shading = the perceptron's output"),
                             fontsize=10)
        self._assemble()

    def draw(self):
        self.found = {}
        for gate, targets in GATE_TABLES.items():
            ax, region = self.panels[gate]
            params = call_student(_found_params(self.find), list(targets), shape=(3,))
            if np.isnan(params).all():
                self.found[gate] = None
                region.update((0.0, 0.0), 0.0, np.zeros(len(region.grid)), targets)
                region.region.set_visible(False)
                ax.set_title(tr("{gate}: no line on the grid", gate=gate), fontsize=10, color="#c62828")
            else:
                w, b = params[:2], params[2]
                outputs = call_student(self.perceptron, BINARY_INPUTS, w, b, shape=(4,))
                if not np.array_equal(outputs, targets):
                    raise StudentCodeProblem(tr(
                        "Your find_perceptron_params({targets}) returned {params}, which does "
                        "not compute {gate}: check it against its tests.",
                        targets=list(targets), params=tuple(params.tolist()), gate=gate))
                self.found[gate] = tuple(float(p) for p in params)
                grid = call_student(self.perceptron, region.grid, w, b, shape=(len(region.grid),))
                region.update(w, b, grid, targets)
                region.region.set_visible(True)
                ax.set_title(f"{gate}: w=({w[0]:.1f}, {w[1]:.1f}), b={b:.1f}", fontsize=10, color="black")
            for label, target in zip(region.labels, targets):
                label.set_text(str(target))


def _found_params(find):
    """The learner's search as three numbers (nan, nan, nan for None), for call_student."""
    def search(targets):
        result = find(targets)
        if result is None:
            return np.full(3, np.nan)
        try:
            values = np.asarray(result, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            values = None
        if values is None or values.shape != (3,):
            # call_student shows it: "Your find_perceptron_params raised TypeError: returned ..."
            raise TypeError(tr("returned {result!r}; expected a triple (w1, w2, b) or None", result=result))
        return values
    search.__name__ = getattr(find, "__name__", "find_perceptron_params")
    return search
