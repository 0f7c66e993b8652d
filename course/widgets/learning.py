"""Learning stepper: watch the perceptron learning rule, one sample at a time.

The learner's ``perceptron_update(w, b, x, y, eta)`` makes every update; the demo only keeps the
order (the four inputs of the truth table, again and again), counts mistakes and draws.
"""

import html

import ipywidgets as widgets
import numpy as np

from course.i18n import tr, translatable
from course.plots import BINARY_INPUTS, DecisionRegion, new_figure, round_up
from course.student import StudentCodeProblem, call_student
from course.tables import html_table
from course.widgets.base import Demo
from course.widgets.gates import GATE_TABLES

STEPPER_GATES = ("AND", "NAND", "OR", "NOR", "XOR")
MAX_EPOCHS = 100        # Train stops here if no epoch is free of mistakes
TABLE_ROWS = 8          # the most recent updates shown


def learning_stepper(perceptron_update, perceptron, gate="OR", eta=0.05, w=(0.55, 0.55), b=-0.65):
    """Step the learner's ``perceptron_update`` through the truth table of a gate."""
    return LearningStepper(perceptron_update, perceptron, gate, eta, w, b)


class LearningStepper(Demo):
    def __init__(self, perceptron_update, perceptron, gate, eta, w, b):
        if gate not in STEPPER_GATES:
            raise ValueError(f"gate must be one of {', '.join(STEPPER_GATES)}, not {gate!r}")
        self.perceptron_update, self.perceptron = perceptron_update, perceptron
        self.start = (np.array(w, dtype=float), float(b))
        self.controls = {
            "gate": widgets.Dropdown(options=list(STEPPER_GATES), value=gate, description=tr("gate"),
                                     layout=widgets.Layout(width="150px")),
            "eta": widgets.FloatSlider(value=eta, min=0.01, max=1.0, step=0.01, description="η",
                                       readout_format=".2f"),
        }
        for name, action in [(translatable("Step"), self.step), (translatable("Epoch"), self.run_epoch),
                             (translatable("Train"), self.train), (translatable("Reset"), self.reset)]:
            button = widgets.Button(description=tr(name), layout=widgets.Layout(width="70px"))
            button.on_click(lambda _button, action=action: self._act(action))
            self.controls[name.lower()] = button
        self.controls["gate"].observe(lambda _change: self.reset(), names="value")  # runs before the redraw
        self.status = widgets.HTML()
        self.figure = new_figure(8.4, 3.8)
        self.figure.subplots_adjust(left=0.08, right=0.97, bottom=0.14, top=0.88, wspace=0.35)
        self.ax = self.figure.add_subplot(1, 2, 1)
        self.region = DecisionRegion(self.ax)
        (self.ring,) = self.ax.plot([], [], "o", ms=24, mfc="none", mec="#c62828", mew=2.5, zorder=5)
        self.curve_ax = self.figure.add_subplot(1, 2, 2)
        (self.curve,) = self.curve_ax.plot([], [], "o-", color="#4e79a7", lw=2)
        self.curve_ax.set(xlabel=tr("epoch"), ylabel=tr("mistakes in the epoch"), ylim=(-0.3, 4.3),
                          yticks=range(5), title=tr("mistakes per epoch"))
        self._problem = None
        self.reset()
        self._assemble(extra=[self.status])

    # ---- state ------------------------------------------------------------------------------
    @property
    def targets(self):
        return np.array(GATE_TABLES[self.controls["gate"].value])

    def reset(self):
        self.w, self.b = self.start[0].copy(), self.start[1]
        self.epoch, self.index = 1, 0           # the next sample is row `index` of epoch `epoch`
        self.mistakes = 0                      # in the current epoch so far
        self.errors = []                       # mistakes of each finished epoch
        self.history = []                      # one row per update applied
        self.epoch_starts = [self._rounded()]  # (w1, w2, b) at the start of each epoch
        self.cycle = None                      # (earlier epoch, epoch) that started alike

    def _rounded(self):
        return tuple(np.round([*self.w, self.b], 9).tolist())

    @property
    def converged(self):
        return bool(self.errors) and self.errors[-1] == 0

    # ---- actions ----------------------------------------------------------------------------
    def step(self):
        """Apply the learner's update to the next sample; close the epoch after the fourth."""
        x, y = BINARY_INPUTS[self.index], int(self.targets[self.index])
        o, new_w, new_b = self._next_update()
        self.history.append((self.epoch, f"({x[0]:g}, {x[1]:g})", y, o,
                             *(new_w - self.w), new_b - self.b, *new_w, new_b))
        self.mistakes += int(o != y)
        self.w, self.b = new_w, new_b
        self.index += 1
        if self.index == len(BINARY_INPUTS):
            self.errors.append(self.mistakes)
            start = self._rounded()
            if self.cycle is None and self.errors[-1] > 0 and start in self.epoch_starts:
                self.cycle = (self.epoch_starts.index(start) + 1, self.epoch + 1)
            self.epoch_starts.append(start)
            self.epoch, self.index, self.mistakes = self.epoch + 1, 0, 0

    def run_epoch(self):
        self.step()
        while self.index:
            self.step()

    def train(self):
        """Whole epochs until one has no mistake, or MAX_EPOCHS epochs in all."""
        if self.index:
            self.run_epoch()
        while not self.converged and len(self.errors) < MAX_EPOCHS:
            self.run_epoch()

    def _act(self, action):
        try:
            action()
        except StudentCodeProblem as problem:
            self._problem = problem
        self.update()

    def _next_update(self):
        """(o, new w, new b) for the next sample, from the given perceptron and the learner's update."""
        x, y, eta = BINARY_INPUTS[self.index], int(self.targets[self.index]), self.controls["eta"].value
        o = int(call_student(self.perceptron, x, self.w, self.b, shape=()))
        new = call_student(_as_three_numbers(self.perceptron_update), self.w.copy(), self.b, x.copy(), y, eta,
                           shape=(3,))
        return o, new[:2], float(new[2])

    # ---- drawing ----------------------------------------------------------------------------
    def draw(self):
        if self._problem is not None:
            problem, self._problem = self._problem, None
            raise problem
        gate, eta = self.controls["gate"].value, self.controls["eta"].value
        targets = self.targets
        region = call_student(self.perceptron, self.region.grid, self.w, self.b, shape=(len(self.region.grid),))
        self.region.update(self.w, self.b, region, targets)
        for label, target in zip(self.region.labels, targets):
            label.set_text(f"y={target}")
        self.ring.set_data([BINARY_INPUTS[self.index, 0]], [BINARY_INPUTS[self.index, 1]])
        self.ax.set_title(f"{gate}: w = ({_f(self.w[0])}, {_f(self.w[1])}), b = {_f(self.b)}", fontsize=10)
        epochs = np.arange(1, len(self.errors) + 1)
        self.curve.set_data(epochs, self.errors)
        self.curve.set_markersize(6 if len(self.errors) <= 20 else 2)
        self.curve_ax.set_xlim(0.5, round_up(max(5, len(self.errors))) + 0.5)
        self.rows = self.history[-TABLE_ROWS:]
        self.table.value = html_table([tr("epoch"), "x", "y", "o", "Δw1", "Δw2", "Δb", "w1", "w2", "b"],
                                      [_rounded_row(row) for row in self.rows])
        self.status.value = self.describe(eta)

    def describe(self, eta):
        """What the next Step will do, and how training has gone so far (HTML)."""
        x, y = BINARY_INPUTS[self.index], int(self.targets[self.index])
        o, new_w, new_b = self._next_update()
        sample = tr("Epoch {epoch}, sample {sample} of 4: x = ({x1:g}, {x2:g}), y = {y}, o = {o}",
                    epoch=self.epoch, sample=self.index + 1, x1=x[0], x2=x[1], y=y, o=o)
        if o == y:
            change = tr("right, so the update changes nothing.")
        else:
            change = tr("a mistake: w ← w + {eta:g}·({y} − {o})·x = ({w1}, {w2}), "
                        "b ← b + {eta:g}·({y} − {o}) = {b}.",
                        eta=eta, y=y, o=o, w1=_f(new_w[0]), w2=_f(new_w[1]), b=_f(new_b))
        heading = tr("Next step.")
        lines = [f"<b>{html.escape(heading)}</b> {html.escape(sample)}: {html.escape(change)}"]
        if self.converged:
            lines.append(_headed("#2e7d32", tr("Converged:"),
                                 tr("epoch {epoch} made no mistake, so every later step changes nothing.",
                                    epoch=len(self.errors))))
        elif self.cycle:
            lines.append(_headed("#c62828", tr("Cycling:"),
                                 tr("epoch {later} starts with exactly the weights epoch {earlier} started with, "
                                    "so training repeats the same epochs forever.",
                                    later=self.cycle[1], earlier=self.cycle[0])))
        if not self.converged and len(self.errors) >= MAX_EPOCHS:
            lines.append(html.escape(tr("No epoch without mistakes after {epochs} epochs.", epochs=len(self.errors))))
        return "<br>".join(lines)


def _headed(colour, heading, text):
    """'<b>Converged:</b> epoch 2 made ...': a coloured heading, then its sentence (HTML)."""
    return f"<b style='color:{colour}'>{html.escape(heading)}</b> {html.escape(text)}"


def _as_three_numbers(perceptron_update):
    """The learner's update as one array (w1, w2, b), for call_student; says what a bad result is."""
    def update(w, b, x, y, eta):
        result = perceptron_update(w, b, x, y, eta)
        if result is None:
            raise TypeError(tr("returned None: did you forget `return new_w, new_b`?"))
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise TypeError(tr("returned {result!r}; it must return a pair (new w, new b)", result=result))
        new_w, new_b = np.asarray(result[0], dtype=float), np.asarray(result[1], dtype=float)
        if new_w.shape != (2,) or new_b.shape != ():
            raise TypeError(tr("returned w of shape {w_shape} and b of shape {b_shape}; "
                               "expected w like the input w and b a single number",
                               w_shape=new_w.shape, b_shape=new_b.shape))
        return np.append(new_w, new_b)
    update.__name__ = getattr(perceptron_update, "__name__", "perceptron_update")
    return update


def _f(value):
    """A weight with two decimals, without floating-point dust (no '-0.00')."""
    return f"{round(float(value), 9) + 0.0:.2f}"


def _rounded_row(row):
    """Rounds away floating-point dust (0.6000000000000001) for the table."""
    return tuple(round(v, 4) + 0.0 if isinstance(v, float) else v for v in row)
