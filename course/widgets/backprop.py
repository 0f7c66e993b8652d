"""Backpropagation demos: a stepper on the 2-2-2 network, and a training playground.

Both run the learner's own ``forward``, ``backward``, ``sgd_step`` and ``train`` (dicts of
arrays in, dicts of arrays out, as in the curriculum); this module only draws what they return.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import LogLocator, NullFormatter

from course.data import DATASET_LABELS, DATASETS, make_dataset
from course.i18n import tr, translatable
from course.plots import (BINARY_INPUTS, ONE_COLOUR, PLAIN_NUMBER_LABELS, ZERO_COLOUR, new_figure, round_up,
                          words_with_math_font)
from course.student import StudentCodeProblem, call_student, function_name
from course.tables import html_table
from course.widgets.base import Demo

# the stepper's stages: the value of its buttons (English) and, through tr(), their labels
STAGES = (translatable("1 forward"), translatable("2 output deltas"), translatable("3 hidden deltas"),
          translatable("4 updates"))
POSITIVE, NEGATIVE = ONE_COLOUR, ZERO_COLOUR   # edge colour: sign of the weight
OUTPUT_COLOURS = LinearSegmentedColormap.from_list("output", [ZERO_COLOUR, "#f7f7f7", ONE_COLOUR])
XOR_TABLE = translatable("XOR table")   # the playground's menu value; tr() shows it


def init_params(n_in, n_hidden, n_out, seed=0):
    """Random starting parameters: standard-normal weights, zero biases (a fixed seed)."""
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(size=(n_in, n_hidden)), "b1": np.zeros(n_hidden),
            "W2": rng.normal(size=(n_hidden, n_out)), "b2": np.zeros(n_out)}


def param_shapes(params):
    return {key: np.shape(value) for key, value in params.items()}


def cache_shapes(n_samples, params):
    n_in, n_hidden = np.shape(params["W1"])
    n_out = np.shape(params["W2"])[1]
    return {"X": (n_samples, n_in), "Z1": (n_samples, n_hidden), "A1": (n_samples, n_hidden),
            "Z2": (n_samples, n_out), "A2": (n_samples, n_out)}


def call_for_dict(func, *args, shapes):
    """``func(*args)`` must return a dict; return key -> float array for every key of ``shapes``,
    or raise StudentCodeProblem with one sentence (not written yet, raised, wrong keys or shapes)."""
    name = function_name(func)
    result = _call_once(func, args)
    if not isinstance(result, dict):
        raise StudentCodeProblem(tr("Your {name} returned {kind}, not a dict with the keys {keys}.",
                                    name=name, kind=type(result).__name__, keys=", ".join(shapes)))
    values = {}
    for key, shape in shapes.items():
        if key not in result:
            raise StudentCodeProblem(tr("Your {name} returned a dict without the key \"{key}\".", name=name, key=key))
        values[key] = call_student(_named(lambda key=key: result[key], f"{name}(...)[\"{key}\"]"), shape=shape)
        if not np.isfinite(values[key]).all():
            raise StudentCodeProblem(tr("Your {name} returned nan or inf in \"{key}\": check it against its tests.",
                                        name=name, key=key))
    return values


def _call_once(func, args):
    """Run the learner's function through call_student (its messages), keeping the raw result."""
    box = []
    call_student(_named(lambda: box.append(func(*args)) or 0.0, function_name(func)))
    return box[0]


def _copy(arrays):
    """A dict of fresh arrays, so a learner's function that writes in place changes nothing here."""
    return {key: np.array(value, dtype=float) for key, value in arrays.items()}


def _named(function, name):
    function.__name__ = name
    return function


# ---------------------------------------------------------------------------------------------
# 1. The stepper: forward, output deltas, hidden deltas, updates on the 2-2-2 network

def backprop_stepper(forward, mse_loss, backward, sgd_step, params, x, y, eta=0.5):
    """Step through one backpropagation update of a 2-2-2 sigmoid network on one sample."""
    return BackpropStepper((forward, mse_loss, backward, sgd_step), params, x, y, eta)


class BackpropStepper(Demo):
    LAYER_X = (0.0, 1.0, 2.0)
    UNIT_Y = (0.72, 0.28)

    def __init__(self, functions, params, x, y, eta):
        self.forward, self.mse_loss, self.backward, self.sgd_step = functions
        self.start = {key: np.array(value, dtype=float) for key, value in params.items()}
        if param_shapes(self.start) != {"W1": (2, 2), "b1": (2,), "W2": (2, 2), "b2": (2,)}:
            raise ValueError("the stepper draws a 2-2-2 network: W1 (2, 2), b1 (2,), W2 (2, 2), b2 (2,)")
        self.X = np.asarray(x, dtype=float).reshape(1, 2)
        self.Y = np.asarray(y, dtype=float).reshape(1, 2)
        self.params, self.updates_taken = _copy(self.start), 0
        self.controls = {
            "stage": widgets.ToggleButtons(options=[(tr(stage), stage) for stage in STAGES], value=STAGES[0],
                                           description=tr("show")),
            "eta": widgets.FloatSlider(value=eta, min=0.05, max=5.0, step=0.05, description="η",
                                       continuous_update=False),
        }
        self.apply_button = widgets.Button(description=tr("take the step"), tooltip="params ← sgd_step(...)")
        self.reset_button = widgets.Button(description=tr("reset"))
        self.apply_button.on_click(lambda _button: self.take_step())
        self.reset_button.on_click(lambda _button: self.reset())
        self._build_figure()
        self._assemble(extra=[widgets.HBox([self.apply_button, self.reset_button])], still=self.headings)

    def _build_figure(self):
        self.figure = new_figure(7.6, 4.2)
        self.figure.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.86)
        ax = self.ax = self.figure.add_subplot()
        ax.set(xlim=(-0.45, 2.55), ylim=(0.02, 0.98))
        ax.axis("off")
        self.nodes = [[(lx, uy) for uy in self.UNIT_Y] for lx in self.LAYER_X]
        self.edges, self.edge_labels = {}, {}
        for layer, key in ((0, "W1"), (1, "W2")):
            for i, start in enumerate(self.nodes[layer]):
                for j, end in enumerate(self.nodes[layer + 1]):
                    (line,) = ax.plot(*zip(start, end), color="grey", lw=1, zorder=1)
                    t = 0.3 if key == "W1" else 0.42   # apart from the crossing and the node texts
                    at = (start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1]))
                    self.edges[key, i, j] = line
                    self.edge_labels[key, i, j] = ax.text(*at, "", fontsize=8, ha="center", va="center", zorder=3,
                                                          bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
        points = [p for layer in self.nodes for p in layer]
        self.dots = ax.scatter(*zip(*points), s=1100, c="white", edgecolors="black", linewidths=1.5, zorder=2)
        self.node_labels = [[ax.text(px, py - 0.105, "", fontsize=8, ha="center", va="top", zorder=3)
                             for px, py in layer] for layer in self.nodes]
        self.unit_names = [[ax.text(px, py, name, fontsize=9, ha="center", va="center", zorder=4)
                            for (px, py), name in zip(layer, names)]
                           for layer, names in zip(self.nodes, (("x₁", "x₂"), ("h₁", "h₂"), ("o₁", "o₂")))]
        self.headings = [ax.text(lx, 0.97, text, ha="center", va="top", fontsize=9, color="dimgrey")
                         for lx, text in zip(self.LAYER_X, (tr("input  a⁽¹⁾ = X"), tr("hidden  a⁽²⁾ = A1"),
                                                            tr("output  a⁽³⁾ = A2")))]

    def take_step(self):
        """Replace the parameters by the update (the learner's sgd_step), back to stage 1."""
        try:
            new = self._new_params(self._backward_values(self._forward_values()))
        except StudentCodeProblem:
            self.controls["stage"].value = STAGES[-1]   # draw() shows the sentence
            self.update()
            return
        self.params, self.updates_taken = new, self.updates_taken + 1
        if self.controls["stage"].value == STAGES[0]:
            self.update()
        else:
            self.controls["stage"].value = STAGES[0]   # redraws through the observer

    def reset(self):
        self.params, self.updates_taken = _copy(self.start), 0
        self.update()

    def _forward_values(self):
        return call_for_dict(self.forward, self.X, _copy(self.params), shapes=cache_shapes(1, self.params))

    def _backward_values(self, cache):
        return call_for_dict(self.backward, _copy(self.params), _copy(cache), self.Y.copy(),
                             shapes=param_shapes(self.params))

    def _new_params(self, grads):
        return call_for_dict(self.sgd_step, _copy(self.params), _copy(grads), self.controls["eta"].value,
                             shapes=param_shapes(self.params))

    def draw(self):
        stage = STAGES.index(self.controls["stage"].value)
        cache = self._forward_values()
        loss = float(call_student(self.mse_loss, cache["A2"].copy(), self.Y.copy(), shape=()))
        grads = self._backward_values(cache) if stage >= 1 else None
        new = self._new_params(grads) if stage == 3 else None
        self._draw_edges(stage, grads, new)
        self._draw_nodes(stage, cache, grads)
        self.rows = self._rows(stage, cache, grads, new, loss)
        self.table.value = html_table([tr("quantity"), tr("lecture"), tr("code"), tr("value")], self.rows)
        self.ax.set_title(self._title(stage, loss), fontsize=10)

    def _draw_edges(self, stage, grads, new):
        for (key, i, j), line in self.edges.items():
            w = self.params[key][i, j]
            line.set_color(POSITIVE if w >= 0 else NEGATIVE)
            line.set_linewidth(0.8 + 2.5 * min(abs(w), 2.0))
            shows_gradient = (stage == 1 and key == "W2") or (stage == 2 and key == "W1")
            if stage == 3:
                text = f"{w:.3f}→{new[key][i, j]:.3f}"
            elif shows_gradient:
                text = f"∂J/∂w={grads[key][i, j]:+.4f}"
            else:
                text = f"w={w:.2f}"
            label = self.edge_labels[key, i, j]
            label.set_text(text)
            label.set_fontweight("bold" if shows_gradient or stage == 3 else "normal")

    def _draw_nodes(self, stage, cache, grads):
        colours = ["white"] * 2 + [OUTPUT_COLOURS(a) for a in cache["A1"][0]] + \
                  [OUTPUT_COLOURS(a) for a in cache["A2"][0]]
        self.dots.set_facecolors(colours)
        for i, label in enumerate(self.node_labels[0]):
            label.set_text(f"x={self.X[0, i]:.2f}")
        for j, label in enumerate(self.node_labels[1]):
            text = f"b={self.params['b1'][j]:.2f}  z={cache['Z1'][0, j]:.3f}\na={cache['A1'][0, j]:.4f}"
            if stage >= 2:
                text += f"\nδ={grads['b1'][j]:+.5f}"
            label.set_text(text)
        for k, label in enumerate(self.node_labels[2]):
            text = (f"b={self.params['b2'][k]:.2f}  z={cache['Z2'][0, k]:.3f}\n"
                    f"a={cache['A2'][0, k]:.4f}  y={self.Y[0, k]:g}")
            if stage >= 1:
                text += f"\nδ={grads['b2'][k]:+.5f}"
            label.set_text(text)

    def _rows(self, stage, cache, grads, new, loss):
        rows = [(tr("hidden activations"), "a⁽²⁾", "A1", _vector(cache["A1"][0])),
                (tr("outputs"), "a⁽³⁾", "A2", _vector(cache["A2"][0])),
                (tr("loss J"), "½Σ(a⁽³⁾−y)²", "mse_loss", f"{loss:.6f}")]
        if stage >= 1:
            rows += [(tr("output deltas"), "δ⁽³⁾", 'grads["b2"]', _vector(grads["b2"])),
                     (tr("output weight gradients"), "δ⁽³⁾ a⁽²⁾", 'grads["W2"]', _matrix(grads["W2"]))]
        if stage >= 2:
            rows += [(tr("hidden deltas"), "δ⁽²⁾", 'grads["b1"]', _vector(grads["b1"])),
                     (tr("hidden weight gradients"), "δ⁽²⁾ a⁽¹⁾", 'grads["W1"]', _matrix(grads["W1"]))]
        if stage == 3:
            rows += [(tr("new W2"), "w − η ∂J/∂w", 'new["W2"]', _matrix(new["W2"])),
                     (tr("new W1"), "w − η ∂J/∂w", 'new["W1"]', _matrix(new["W1"]))]
        return rows

    def _title(self, stage, loss):
        if stage == 0:
            title = tr("forward: z = a_prev·W + b, a = σ(z); J = {loss:.4f}", loss=loss)
        elif stage == 1:
            title = tr("output deltas: δ⁽³⁾ = (a − y)·a(1 − a);  ∂J/∂w = δ⁽³⁾·a⁽²⁾")
        elif stage == 2:
            title = tr("hidden deltas: δ⁽²⁾ = (δ⁽³⁾ W2ᵀ)·a(1 − a);  ∂J/∂w = δ⁽²⁾·x")
        else:
            title = tr("updates: w ← w − η·∂J/∂w with η = {eta:.2f}", eta=self.controls["eta"].value)
        if self.updates_taken:
            return tr("after {updates} update(s)", updates=self.updates_taken) + " · " + title
        return title


def _vector(values):
    return "[" + ", ".join(f"{v:.5f}" for v in values) + "]"


def _matrix(values):
    return "[" + "; ".join(_vector(row)[1:-1] for row in values) + "]"


# ---------------------------------------------------------------------------------------------
# 2. The playground: a data set, a network, and gradient descent you can watch

def training_playground(forward, train, dataset="moons", hidden=4, eta=2.0, seed=0, epochs=100):
    """Train a 2-hidden-1 sigmoid network with the learner's ``train``; watch boundary and loss."""
    return TrainingPlayground(forward, train, dataset, hidden, eta, seed, epochs)


class TrainingPlayground(Demo):
    GRID = 61

    def __init__(self, forward, train, dataset, hidden, eta, seed, epochs):
        if dataset not in (XOR_TABLE, *DATASETS):
            raise ValueError(f"unknown data set {dataset!r}; choose one of {XOR_TABLE!r}, {', '.join(DATASETS)}")
        self.forward, self.train = forward, train
        self.controls = {
            "dataset": widgets.Dropdown(options=[(tr(XOR_TABLE), XOR_TABLE),
                                                 *((tr(DATASET_LABELS[name]), name) for name in DATASETS)],
                                        value=dataset, description=tr("data"),
                                        layout=widgets.Layout(width="190px")),
            "hidden": widgets.IntSlider(value=hidden, min=1, max=8, description=tr("hidden units")),
            "seed": widgets.IntSlider(value=seed, min=0, max=9, description=tr("start seed")),
        }
        # η and the run length act on the next step or run only: changing them redraws nothing
        self.settings = {
            "eta": widgets.FloatSlider(value=eta, min=0.05, max=10.0, step=0.05, description="η"),
            "epochs": widgets.IntSlider(value=epochs, min=1, max=2000, description=tr("epochs/run")),
        }
        self.buttons = {name: widgets.Button(description=tr(name))
                        for name in (translatable("step 1 epoch"), translatable("run"), translatable("reset"))}
        self.buttons["step 1 epoch"].on_click(lambda _b: self.run(1))
        self.buttons["run"].on_click(lambda _b: self.run(self.settings["epochs"].value))
        self.buttons["reset"].on_click(lambda _b: self.reset())
        self.key, self.pending = None, 0
        self._build_figure()
        self._assemble(extra=[widgets.HBox([*self.settings.values(), *self.buttons.values()])])

    def _build_figure(self):
        self.figure = new_figure(7.6, 3.4)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.88, wspace=0.28)
        self.ax_map, self.ax_loss = self.figure.add_subplot(1, 2, 1), self.figure.add_subplot(1, 2, 2)
        self.heat = self.ax_map.imshow(np.zeros((self.GRID, self.GRID)), origin="lower", cmap=OUTPUT_COLOURS,
                                       vmin=0, vmax=1, interpolation="bilinear", aspect="auto")
        self.points = self.ax_map.scatter([], [], s=18, edgecolors="black", linewidths=0.6, zorder=3)
        self.ax_map.set(xlabel="x₁", ylabel="x₂")   # unicode, not mathtext: cheaper to redraw
        (self.loss_line,) = self.ax_loss.plot([], [], color="#59a14f", lw=2)
        self.ax_loss.set(yscale="log", xlabel=tr("epoch"), ylabel=tr("loss J (log scale)"))
        self.ax_loss.yaxis.set_major_formatter(PLAIN_NUMBER_LABELS)
        self.ax_loss.yaxis.set_minor_formatter(NullFormatter())
        self.ax_loss.grid(True, alpha=0.3)

    def run(self, epochs):
        """Train for ``epochs`` more epochs with the learner's train, then redraw."""
        self.pending = int(epochs)
        self.update()

    def reset(self):
        self.key = None
        self.update()

    def _start(self):
        name, hidden, seed = (self.controls[k].value for k in ("dataset", "hidden", "seed"))
        if name == XOR_TABLE:
            self.X, self.Y, lim = BINARY_INPUTS.copy(), np.array([[0.0], [1.0], [1.0], [0.0]]), (-0.5, 1.5)
        else:
            (self.X, self.Y), lim = make_dataset(name, n=200), (-1.5, 1.5)
        axis = np.linspace(lim[0], lim[1], self.GRID)
        g1, g2 = np.meshgrid(axis, axis)
        self.grid = np.column_stack([g1.ravel(), g2.ravel()])
        self.heat.set_extent((*lim, *lim))
        ticks = [0, 1] if name == XOR_TABLE else [-1, 0, 1]
        self.ax_map.set(xlim=lim, ylim=lim, xticks=ticks, yticks=ticks)
        self.points.set_offsets(self.X)
        self.points.set_sizes([150 if len(self.X) <= 10 else 18])
        self.points.set_facecolors([ONE_COLOUR if y > 0.5 else ZERO_COLOUR for y in self.Y[:, 0]])
        self.params, self.losses = init_params(2, hidden, 1, seed), []
        self.key = (name, hidden, seed)

    def draw(self):
        if self.key != tuple(self.controls[k].value for k in ("dataset", "hidden", "seed")):
            self._start()
        epochs, self.pending = self.pending, 0
        if epochs:
            self._train(epochs)
        shapes = cache_shapes(len(self.grid), self.params)
        surface = call_for_dict(self.forward, self.grid, _copy(self.params), shapes=shapes)["A2"][:, 0]
        self.heat.set_data(surface.reshape(self.GRID, self.GRID))
        outputs = call_for_dict(self.forward, self.X.copy(), _copy(self.params),
                                shapes=cache_shapes(len(self.X), self.params))["A2"]
        self.accuracy = float(np.mean((outputs > 0.5) == (self.Y > 0.5)))
        self._draw_losses()
        self.ax_map.set_title(tr("output of the network · accuracy {accuracy:.0%}", accuracy=self.accuracy),
                              fontsize=10)
        self.table.value = ""

    def _train(self, epochs):
        shapes = param_shapes(self.params)
        box = _call_once(self.train, (self.X.copy(), self.Y.copy(), _copy(self.params),
                                      self.settings["eta"].value, epochs))
        if not (isinstance(box, tuple) and len(box) == 2):
            raise StudentCodeProblem(tr("Your train must return a pair (params, losses)."))
        params, losses = box
        self.params = call_for_dict(_named(lambda: params, "train"), shapes=shapes)
        losses = call_student(_named(lambda: losses, "train(...) losses"), shape=(epochs,))
        self.losses.extend(losses.tolist())

    def _draw_losses(self):
        losses = np.maximum(np.asarray(self.losses, dtype=float), 1e-12)
        epochs = np.arange(len(losses))
        self.loss_line.set_data(epochs, losses)
        if len(losses):
            # limits on round numbers, so most steps and runs leave them (and the ticks) alone
            self.ax_loss.set_xlim(0, round_up(max(len(losses) - 1, 10)))
            low, high = np.floor(np.log10(losses.min() / 1.2)), np.ceil(np.log10(losses.max() * 1.2))
            self.ax_loss.set_ylim(10 ** low, 10 ** high)
            # over one or two decades, labels at 1, 2 and 5 too, so the loss can be read off
            self.ax_loss.yaxis.set_major_locator(LogLocator(subs=(1, 2, 5) if high - low <= 2 else (1,)))
            title = tr("{epochs} epochs · last loss {loss:.4f}", epochs=len(losses), loss=losses[-1])
        else:
            self.ax_loss.set_xlim(0, 10)
            self.ax_loss.set_ylim(0.01, 1)
            title = tr("press “step” or “run” to train")
        self.ax_loss.set_title(title, fontsize=10)


# --- a static diagram: the 2-2-2 network with both index conventions --------------------------

class NetworkDiagram:
    """A drawn (not interactive) picture: shows itself as a PNG in a notebook."""

    def __init__(self, figure, ax, edge_labels, node_labels):
        self.figure, self.ax, self.edge_labels, self.node_labels = figure, ax, edge_labels, node_labels

    def png(self):
        from course.live_figure import full_draw_png
        return full_draw_png(self.figure)

    def _repr_png_(self):
        return self.png()


def network_diagram():
    """The lecture's 2-2-2 network, every weight labelled twice: the lecture's w⁽ˡ⁾_{j,i}
    (into unit j from unit i: row = receiving unit) and the code's W{l}[i, j] (row = sending unit)."""
    figure = new_figure(9.0, 4.8)
    figure.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.93)
    ax = figure.add_subplot()
    ax.set(xlim=(-0.5, 2.5), ylim=(-0.12, 1.0))
    ax.axis("off")
    layer_x, unit_y = (0.0, 1.0, 2.0), (0.75, 0.25)
    nodes = [[(lx, uy) for uy in unit_y] for lx in layer_x]
    edge_labels = {}
    for layer, key in ((0, "W1"), (1, "W2")):
        for i, start in enumerate(nodes[layer]):
            for j, end in enumerate(nodes[layer + 1]):
                colour = "black" if i == j else "dimgrey"
                ax.plot(*zip(start, end), color=colour, lw=1.2, zorder=1)
                t = 0.5 if i == j else 0.4
                at = (start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1]) + (0.05 if i == j else 0))
                text = f"$w^{{({layer + 1})}}_{{{j + 1},{i + 1}}}$ = {key}[{i}, {j}]"
                edge_labels[key, i, j] = ax.text(*at, text, fontsize=8.5, ha="center", va="center", zorder=3,
                                                 bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none"))
    points = [p for layer in nodes for p in layer]
    ax.scatter(*zip(*points), s=1300, c="white", edgecolors="black", linewidths=1.5, zorder=2)
    names = (("x₁", "x₂"), ("h₁", "h₂"), ("o₁", "o₂"))
    below = ((("X[:, 0]", "X[:, 1]")), ("A1[:, 0]", "A1[:, 1]"), ("A2[:, 0]", "A2[:, 1]"))
    lecture_units = [[f"$a^{{({layer})}}_{unit}$" for unit in (1, 2)] for layer in (1, 2, 3)]
    node_labels = {}
    for layer, (lx, column) in enumerate(zip(layer_x, nodes)):
        for unit, (px, py) in enumerate(column):
            ax.text(px, py, names[layer][unit], fontsize=11, ha="center", va="center", zorder=4)
            node_labels[layer, unit] = ax.text(px, py - 0.1, f"{lecture_units[layer][unit]} = {below[layer][unit]}",
                                               fontsize=8.5, ha="center", va="top", zorder=3)
    headings = (tr("input layer (1): X"), tr("hidden layer (2): A1"), tr("output layer (3): A2"))
    for lx, text in zip(layer_x, headings):
        ax.text(lx, 0.99, text, ha="center", va="top", fontsize=9.5, color="dimgrey")
    ax.text(1.0, -0.1, tr(r"lecture  $w^{(l)}_{j,i}$: into unit j from unit i (row = receiving unit)") + "     "
            + tr("code  Wl[i, j]: row i = sending unit, column j = receiving unit (so X @ W works)"),
            ha="center", va="bottom", fontsize=8.5, family=words_with_math_font())
    ax.set_title(tr("The 2-2-2 network: every weight in both notations"), fontsize=10.5)
    return NetworkDiagram(figure, ax, edge_labels, node_labels)
