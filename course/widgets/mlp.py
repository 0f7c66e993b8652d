"""XOR network explorer: set the weights of a 2-2-1 step network, watch input space, hidden
space and the truth table. The learner's own ``layer_forward`` computes every layer.
A menu switches the hidden activation to the identity: then the two layers collapse into one
straight line, and no slider setting computes XOR."""

import html

import ipywidgets as widgets
import numpy as np

from course.i18n import tr, translatable
from course.plots import BINARY_INPUTS, ONE_COLOUR, REGION_COLOURS, ZERO_COLOUR, decision_line, new_figure
from course.student import call_student
from course.tables import RIGHT, WRONG, html_table
from course.widgets.base import Demo

LIM = (-0.5, 1.5)
# labels in plain Unicode (x₁, h₂): mathtext would be parsed again at every redraw
LIMIT = 2.0
XOR_TARGETS = np.array([0, 1, 1, 0])   # the data the network must fit (truth-table order)
UNIT_COLOURS = ("#59a14f", "#b07aa1")  # hidden units h1, h2
# slider name -> (array, index) in the network's parameters, grouped by unit (the heading shown)
UNITS = {
    translatable("hidden unit h1"): {"W1[0,0]": ("W1", (0, 0)), "W1[1,0]": ("W1", (1, 0)), "b1[0]": ("b1", (0,))},
    translatable("hidden unit h2"): {"W1[0,1]": ("W1", (0, 1)), "W1[1,1]": ("W1", (1, 1)), "b1[1]": ("b1", (1,))},
    translatable("output unit y"): {"W2[0,0]": ("W2", (0, 0)), "W2[1,0]": ("W2", (1, 0)), "b2[0]": ("b2", (0,))},
}
# the start: h1 = OR, h2 = AND, and an output that copies h1 (so (1, 1) is wrong)
START = {"W1": [[1.0, 1.0], [1.0, 1.0]], "b1": [-0.5, -1.5], "W2": [[1.0], [0.0]], "b2": [-0.5]}
# the hidden activation's menu: label -> key (the output unit always uses the step)
HIDDEN_CHOICES = {translatable("step"): "step", translatable("identity h(z) = z"): "identity"}


def xor_network_explorer(layer_forward, step_function, start=None, hidden="step"):
    """Sliders for W1, b1, W2, b2 of step(h(X @ W1 + b1) @ W2 + b2), run by ``layer_forward``.

    ``hidden`` -- the hidden activation h at the start: "step" or "identity" (a menu switches it).
    """
    if hidden not in HIDDEN_CHOICES.values():
        raise ValueError(f"hidden must be one of {sorted(HIDDEN_CHOICES.values())}, not {hidden!r}")
    return XorNetworkExplorer(layer_forward, step_function, start or START, hidden)


def _identity(z):
    return z


def _slider(name, value):
    return widgets.FloatSlider(value=value, min=-LIMIT, max=LIMIT, step=0.1, description=name,
                               continuous_update=True, style={"description_width": "60px"})


class XorNetworkExplorer(Demo):
    def __init__(self, layer_forward, step_function, start, hidden="step"):
        self.layer_forward, self.step = layer_forward, step_function
        start = {key: np.asarray(value, float) for key, value in start.items()}
        self.controls = {name: _slider(name, start[key][index])
                         for unit in UNITS.values() for name, (key, index) in unit.items()}
        self.controls["hidden"] = widgets.Dropdown(options=[(tr(label), key) for label, key in HIDDEN_CHOICES.items()],
                                                   value=hidden, description=tr("hidden h:"),
                                                   style={"description_width": "60px"},
                                                   layout=widgets.Layout(width="230px"))
        axis = np.linspace(*LIM, 81)
        grid_x1, grid_x2 = np.meshgrid(axis, axis)
        self.grid = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])
        self.figure = new_figure(7.6, 3.7)
        self.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.13, top=0.88, wspace=0.25)
        self.input_ax, self.hidden_ax = self.figure.subplots(1, 2)
        self.input_region, self.hidden_region = (self._space(ax) for ax in (self.input_ax, self.hidden_ax))
        self.input_ax.set(xlabel="x₁", ylabel="x₂", title=tr("input space"))
        self.hidden_ax.set(xlabel="h₁", ylabel="h₂", title=tr("hidden space"))
        self.unit_lines = [self.input_ax.plot([], [], color=c, lw=2.5,
                                              label=tr("{unit} line", unit=f"h{chr(0x2081 + j)}"))[0]
                           for j, c in enumerate(UNIT_COLOURS)]
        self.input_ax.legend(loc="upper left", fontsize=8, framealpha=0.8)
        (self.output_line,) = self.hidden_ax.plot([], [], color="black", lw=2)
        colours = [ONE_COLOUR if t else ZERO_COLOUR for t in XOR_TARGETS]
        self.input_points = self.input_ax.scatter(*BINARY_INPUTS.T, s=160, c=colours, edgecolors="black", zorder=3)
        self.hidden_points = self.hidden_ax.scatter(*BINARY_INPUTS.T, s=160, c=colours, edgecolors="black", zorder=3)
        self.hidden_labels = [self.hidden_ax.text(0, 0, "", fontsize=9, ha="center", va="bottom", zorder=4,
                                                  clip_on=True) for _ in BINARY_INPUTS]
        self._assemble()
        self.widget.children = (self._grouped_controls(), *self.widget.children[1:])

    def _space(self, ax):
        ax.set(xlim=LIM, ylim=LIM, xticks=[0, 1], yticks=[0, 1], aspect="equal")
        return ax.imshow(np.zeros((81, 81)), origin="lower", extent=(*LIM, *LIM), cmap=REGION_COLOURS,
                         vmin=0, vmax=1, interpolation="nearest")

    def _grouped_controls(self):
        columns = [widgets.VBox([widgets.HTML(f"<b>{html.escape(tr(unit))}</b>"),
                                 *(self.controls[name] for name in sliders)])
                   for unit, sliders in UNITS.items()]
        return widgets.VBox([widgets.HBox(columns), self.controls["hidden"]])

    def params(self):
        """The network the sliders describe: {"W1" (2, 2), "b1" (2,), "W2" (2, 1), "b2" (1,)}."""
        params = {"W1": np.zeros((2, 2)), "b1": np.zeros(2), "W2": np.zeros((2, 1)), "b2": np.zeros(1)}
        for unit in UNITS.values():
            for name, (key, index) in unit.items():
                params[key][index] = self.controls[name].value
        return params

    @property
    def hidden_activation(self):
        """The hidden layer's activation the menu selects: the step function or the identity."""
        return self.step if self.controls["hidden"].value == "step" else _identity

    def _layers(self, X, p):
        hidden = call_student(self.layer_forward, X, p["W1"], p["b1"], self.hidden_activation, shape=(len(X), 2))
        output = call_student(self.layer_forward, hidden, p["W2"], p["b2"], self.step, shape=(len(X), 1))
        return hidden, output[:, 0]

    def draw(self):
        p = self.params()
        hidden, outputs = self._layers(BINARY_INPUTS.astype(float), p)
        _, grid_outputs = self._layers(self.grid, p)
        hidden_grid = call_student(self.layer_forward, self.grid, p["W2"], p["b2"], self.step,
                                   shape=(len(self.grid), 1))
        self.input_region.set_data(grid_outputs.reshape(81, 81))
        self.hidden_region.set_data(hidden_grid.reshape(81, 81))
        for j, line in enumerate(self.unit_lines):
            _set_line(line, decision_line(p["W1"][:, j], p["b1"][j], LIM))
        _set_line(self.output_line, decision_line(p["W2"][:, 0], p["b2"][0], LIM))
        self.hidden_points.set_offsets(hidden)
        self._label_hidden_points(hidden)
        self.hidden, self.outputs = hidden, outputs
        right = outputs == XOR_TARGETS
        self.rows = [(int(x1), int(x2), float(h[0]), float(h[1]), float(y), int(t), RIGHT if ok else WRONG)
                     for (x1, x2), h, y, t, ok in zip(BINARY_INPUTS, hidden, outputs, XOR_TARGETS, right)]
        self.table.value = html_table(["x1", "x2", "h1", "h2", "y", "XOR", ""], self.rows)
        self.correct = int(right.sum())
        self.figure.suptitle(tr("{correct} of 4 right", correct=self.correct)
                             + ("  (XOR!)" if self.correct == 4 else ""), fontsize=11)

    def _label_hidden_points(self, hidden):
        """One label per distinct hidden point, naming every input that lands there."""
        seen = {}
        for x, h in zip(BINARY_INPUTS, hidden):
            seen.setdefault(tuple(np.round(h, 6)), []).append(f"({int(x[0])},{int(x[1])})")
        for label, (h, names) in zip(self.hidden_labels, [*seen.items(), *[(None, None)] * 4]):
            if h is None:
                label.set_text("")
                continue
            label.set_position((h[0], h[1] + 0.1))
            label.set_text("\n".join(names))


def _set_line(line, ends):
    line.set_data(*(ends.T if ends is not None else ([], [])))
