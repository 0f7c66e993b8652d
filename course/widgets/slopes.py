"""Slope demos: the tangent of the sigmoid and of ReLU at a chosen z, and how the slope that
reaches the first layer of a deep chain shrinks (sigmoid) or survives (ReLU). The learner's own
derivative functions compute every slope shown."""

import ipywidgets as widgets
import numpy as np
from matplotlib import ticker

from course.i18n import tr
from course.plots import new_figure
from course.student import StudentCodeProblem, call_student
from course.tables import html_table
from course.widgets.base import Demo, shown_name

Z_LIMIT = 8.0
TANGENT_HALF_WIDTH = 2.5
SIGMOID_COLOUR, RELU_COLOUR, TANGENT_COLOUR = "#4e79a7", "#f28e2b", "#e15759"
MAX_LAYERS = 30
SLOPE_FLOOR = 1e-30   # a log scale cannot show 0: smaller slopes are drawn at this floor
SLOPE_RANGE = (SLOPE_FLOOR / 10, 1e15)   # up to above ReLU's largest slope, 3**29 ≈ 7e13


def slope_explorer(sigmoid, sigmoid_derivative, relu, relu_derivative):
    """Slide z: sigma(z), the learner's sigma'(z) and the tangent line; ReLU beside it."""
    return SlopeExplorer(sigmoid, sigmoid_derivative, relu, relu_derivative)


def depth_explorer(sigmoid, sigmoid_derivative, relu, relu_derivative):
    """Slide the depth and the weight of a chain of units; see the slope reaching each layer."""
    return DepthExplorer(sigmoid, sigmoid_derivative, relu, relu_derivative)


def _finite(values, name):
    if not np.all(np.isfinite(values)):
        raise StudentCodeProblem(tr("Your {name} returned nan or inf: check it against its tests.", name=name))
    return values


class SlopeExplorer(Demo):
    def __init__(self, sigmoid, sigmoid_derivative, relu, relu_derivative):
        self.functions = {"sigmoid": (sigmoid, sigmoid_derivative), "ReLU": (relu, relu_derivative)}
        self.zs = np.linspace(-Z_LIMIT, Z_LIMIT, 321)
        self.controls = {"z": widgets.FloatSlider(value=0.0, min=-Z_LIMIT, max=Z_LIMIT, step=0.1, description="z")}
        self.figure = new_figure(7.6, 3.4)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.88, wspace=0.22)
        self.axes = dict(zip(self.functions, self.figure.subplots(1, 2)))
        self.artists = {}
        for name, colour, ylim, yticks in (("sigmoid", SIGMOID_COLOUR, (-0.15, 1.15), [0, 0.25, 0.5, 1]),
                                           ("ReLU", RELU_COLOUR, (-1.0, Z_LIMIT), [0, 1, 4, 8])):
            ax = self.axes[name]
            ax.axhline(0, color="grey", lw=0.8)
            ax.axvline(0, color="grey", lw=0.8)
            self.artists[name] = {
                "curve": ax.plot([], [], lw=2.5, color=colour, label=tr("the function"))[0],
                "slope": ax.plot([], [], lw=1.5, ls="--", color="black", label=tr("your derivative"))[0],
                "tangent": ax.plot([], [], lw=2, color=TANGENT_COLOUR, label=tr("tangent at z"))[0],
                "point": ax.plot([], [], "o", ms=9, color=TANGENT_COLOUR, zorder=3)[0],
                "slope_point": ax.plot([], [], "o", ms=6, color="black", zorder=3)[0],
            }
            # few tick labels: text is most of a redraw's cost
            ax.set(xlim=(-Z_LIMIT, Z_LIMIT), ylim=ylim, xlabel="z", xticks=[-8, -4, 0, 4, 8], yticks=yticks)
        # one legend serves both panels (each legend costs a good part of a redraw)
        self.axes["sigmoid"].legend(loc="upper left", fontsize=8, framealpha=0.8)
        self._assemble()

    def draw(self):
        z = self.controls["z"].value
        self.readings = {}
        for name, (function, derivative) in self.functions.items():
            curve = _finite(call_student(function, self.zs, shape=self.zs.shape), name)
            slopes = _finite(call_student(derivative, self.zs, shape=self.zs.shape), getattr(derivative, "__name__", name))
            value = float(_finite(call_student(function, z, shape=()), name))
            slope = float(_finite(call_student(derivative, z, shape=()), getattr(derivative, "__name__", name)))
            tangent_z = np.array([z - TANGENT_HALF_WIDTH, z + TANGENT_HALF_WIDTH])
            artists = self.artists[name]
            artists["curve"].set_data(self.zs, curve)
            artists["slope"].set_data(self.zs, slopes)
            artists["tangent"].set_data(tangent_z, value + slope * (tangent_z - z))
            artists["point"].set_data([z], [value])
            artists["slope_point"].set_data([z], [slope])
            self.axes[name].set_title(tr("{name}({z:.1f}) = {value:.3f},  slope = {slope:.4f}",
                                         name=shown_name(name), z=z, value=value, slope=slope), fontsize=10)
            self.readings[name] = (value, slope)
        (s, ds), (r, dr) = self.readings["sigmoid"], self.readings["ReLU"]
        self.rows = [("sigmoid", s, ds), ("ReLU", r, dr)]
        self.table.value = html_table(["", tr("value at z"), tr("slope at z")],
                                      [(shown_name(name), *values) for name, *values in self.rows])


class DepthExplorer(Demo):
    """A chain a_l = h(w * a_(l-1)), a_0 = 1: the slope d a_L / d z_l that reaches each layer l."""

    def __init__(self, sigmoid, sigmoid_derivative, relu, relu_derivative):
        self.functions = {"sigmoid": (sigmoid, sigmoid_derivative), "ReLU": (relu, relu_derivative)}
        self.controls = {
            "layers": widgets.IntSlider(value=10, min=1, max=MAX_LAYERS, description=tr("layers")),
            "w": widgets.FloatSlider(value=1.0, min=0.25, max=3.0, step=0.05, description=tr("weight w")),
        }
        self.figure = new_figure(7.4, 3.8)
        self.figure.subplots_adjust(left=0.11, right=0.72, bottom=0.14, top=0.9)
        self.ax = self.figure.add_subplot()
        # Fixed axes: a longer chain reaches further right, a vanishing slope sinks further down,
        # and the decorations never need redrawing (fast redraws).
        exponents = range(-30, 16, 5)
        self.ax.set_yscale("log")
        self.ax.set(xlim=(0.5, MAX_LAYERS + 0.5), xticks=[1, 5, 10, 15, 20, 25, 30], ylim=SLOPE_RANGE)
        self.ax.set_yticks([10.0 ** e for e in exponents], labels=[f"1e{e}" if e else "1" for e in exponents])
        self.ax.yaxis.set_minor_locator(ticker.NullLocator())
        self.lines = {
            "sigmoid": self.ax.plot([], [], "o-", color=SIGMOID_COLOUR, label=shown_name("sigmoid"))[0],
            "ReLU": self.ax.plot([], [], "s-", color=RELU_COLOUR, label="ReLU")[0],
        }
        (self.bound,) = self.ax.plot([], [], ls="--", color="grey",
                                     label=tr("sigmoid bound\n¼·(w/4)^k,\nk = later layers"))
        self.ax.set(xlabel=tr("layer l (1 = first layer)"), ylabel=tr("slope reaching layer l"))
        # beside the plot: inside it, some depth and w would put a line under the legend
        self.ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
        self._assemble()

    def slopes(self, name, layers, w):
        """Forward through the chain with h, then the slopes d a_L / d z_l for l = 1..layers."""
        function, derivative = self.functions[name]
        a, zs = 1.0, []
        for _ in range(layers):
            zs.append(w * a)
            a = float(_finite(call_student(function, zs[-1], shape=()), name))
        local = _finite(call_student(derivative, np.array(zs), shape=(layers,)), getattr(derivative, "__name__", name))
        # reaching layer l: h'(z_l) times w * h'(z_k) for every later layer k
        later = np.append(np.cumprod((w * local[1:])[::-1])[::-1], 1.0)
        return np.array(zs), local * later

    def draw(self):
        layers, w = self.controls["layers"].value, self.controls["w"].value
        depth = np.arange(1, layers + 1)
        self.gradients, self.net_inputs = {}, {}
        for name, line in self.lines.items():
            self.net_inputs[name], self.gradients[name] = self.slopes(name, layers, w)
            line.set_data(depth, np.maximum(np.abs(self.gradients[name]), SLOPE_FLOOR))
        self.bound.set_data(depth, np.maximum(0.25 * (w / 4) ** (layers - depth), SLOPE_FLOOR))
        first = {name: g[0] for name, g in self.gradients.items()}
        self.ax.set_title(tr("{layers} layers, w = {w:.2f}: slope at layer 1 {sigmoid} {sigmoid_slope:.1e}, "
                             "ReLU {relu_slope:.1e}", layers=layers, w=w, sigmoid=shown_name("sigmoid"),
                             sigmoid_slope=first["sigmoid"], relu_slope=first["ReLU"]), fontsize=10)
        self.rows = [(name, float(first[name]), float(self.net_inputs[name][-1])) for name in self.lines]
        self.table.value = html_table(["", tr("slope at layer 1"), tr("z of layer {layers}", layers=layers)],
                                      [(shown_name(name), *values) for name, *values in self.rows])
