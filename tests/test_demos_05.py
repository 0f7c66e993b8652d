"""The demos of 05_derivatives, driven directly: tangents, slopes per layer, messages, extremes."""

import numpy as np
import pytest

from course.widgets import depth_explorer, slope_explorer
from demo_checks import assert_plot_shown, sweep_every_slider


# Reference answers live here, in the tests, never in course/.
def sigmoid(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def relu(x):
    return np.maximum(0.0, np.asarray(x, dtype=float))


def relu_derivative(z):
    return (np.asarray(z) > 0).astype(float)


def unwritten(z):
    raise NotImplementedError("Replace this line with your code")


def slopes(**overrides):
    functions = {"sigmoid": sigmoid, "sigmoid_derivative": sigmoid_derivative, "relu": relu,
                 "relu_derivative": relu_derivative, **overrides}
    return slope_explorer(**functions)


def depths(**overrides):
    functions = {"sigmoid": sigmoid, "sigmoid_derivative": sigmoid_derivative, "relu": relu,
                 "relu_derivative": relu_derivative, **overrides}
    return depth_explorer(**functions)


def test_at_zero_the_sigmoid_slope_is_its_maximum_a_quarter():
    demo = slopes()
    assert demo.readings["sigmoid"] == (pytest.approx(0.5), pytest.approx(0.25))
    assert demo.readings["ReLU"] == (0.0, 0.0)
    assert "slope = 0.2500" in demo.axes["sigmoid"].get_title()
    np.testing.assert_allclose(demo.artists["sigmoid"]["slope"].get_ydata(), sigmoid_derivative(demo.zs))
    assert demo.rows == [("sigmoid", 0.5, 0.25), ("ReLU", 0.0, 0.0)]
    assert_plot_shown(demo)


@pytest.mark.parametrize("z", [-6.0, -1.3, 0.0, 2.2, 5.0])
def test_the_tangent_touches_the_curve_with_the_learners_slope(z):
    demo = slopes()
    demo.controls["z"].value = z
    for name, function, derivative in (("sigmoid", sigmoid, sigmoid_derivative), ("ReLU", relu, relu_derivative)):
        xs, ys = (np.asarray(v) for v in demo.artists[name]["tangent"].get_data())
        np.testing.assert_allclose((ys[1] - ys[0]) / (xs[1] - xs[0]), derivative(z))
        np.testing.assert_allclose(np.interp(z, xs, ys), function(z))
        assert demo.artists[name]["point"].get_xydata().tolist() == [[z, pytest.approx(float(function(z)))]]


def test_far_from_zero_the_sigmoid_is_flat_and_relu_is_not():
    demo = slopes()
    demo.controls["z"].value = 8.0
    assert demo.readings["sigmoid"][1] < 4e-4
    assert demo.readings["ReLU"] == (8.0, 1.0)


def test_the_slope_explorer_names_the_derivative_to_write_first():
    demo = slopes(sigmoid_derivative=unwritten)
    assert demo.problem.startswith("Implement unwritten first")
    assert demo.image.layout.display == "none"
    demo = slopes(relu_derivative=lambda z: np.asarray(z) > 0)   # booleans are still numbers here
    assert demo.problem is None


def test_the_slope_explorer_explains_nan():
    demo = slopes(sigmoid_derivative=lambda z: np.full(np.shape(z), np.nan))
    assert "nan or inf" in demo.problem


def test_the_slope_explorer_survives_slider_extremes():
    sweep_every_slider(slopes())


def reference_chain(h, dh, layers, w):
    """Slopes d a_L / d z_l of the chain a_l = h(w a_(l-1)), a_0 = 1, by brute force."""
    a, zs = 1.0, []
    for _ in range(layers):
        zs.append(w * a)
        a = float(h(zs[-1]))
    return np.array([dh(zs[l]) * np.prod([w * dh(z) for z in zs[l + 1:]]) for l in range(layers)])


@pytest.mark.parametrize("layers, w", [(1, 1.0), (2, 0.5), (10, 1.0), (30, 3.0), (7, 2.2)])
def test_the_depth_explorer_shows_the_chain_rule_product(layers, w):
    demo = depths()
    demo.controls["layers"].value, demo.controls["w"].value = layers, w
    np.testing.assert_allclose(demo.gradients["sigmoid"], reference_chain(sigmoid, sigmoid_derivative, layers, w))
    np.testing.assert_allclose(demo.gradients["ReLU"], reference_chain(relu, relu_derivative, layers, w))
    xs, ys = demo.lines["sigmoid"].get_data()
    assert list(xs) == list(range(1, layers + 1))
    assert np.all(demo.gradients["sigmoid"] <= np.asarray(demo.bound.get_ydata()) * (1 + 1e-12))
    assert_plot_shown(demo)


def test_sigmoid_slopes_vanish_and_relu_slopes_survive():
    demo = depths()
    demo.controls["w"].value, demo.controls["layers"].value = 1.0, 10
    assert demo.gradients["sigmoid"][0] < 0.25 ** 10
    np.testing.assert_allclose(demo.gradients["ReLU"], 1.0)
    assert demo.ax.get_yscale() == "log"
    assert demo.rows[0][0] == "sigmoid" and demo.rows[0][1] == pytest.approx(demo.gradients["sigmoid"][0])
    assert "ReLU 1.0e+00" in demo.ax.get_title()


def test_a_zero_slope_is_drawn_at_the_floor_of_the_log_scale():
    demo = depths(relu_derivative=lambda z: np.zeros(np.shape(z)))
    assert demo.problem is None
    np.testing.assert_array_equal(demo.lines["ReLU"].get_ydata(), 1e-30)


def test_the_depth_explorer_names_the_derivative_to_write_first():
    demo = depths(relu_derivative=unwritten)
    assert demo.problem.startswith("Implement unwritten first")
    assert demo.table.value == ""


def test_the_depth_explorer_explains_a_derivative_of_the_wrong_shape():
    demo = depths(sigmoid_derivative=lambda z: float(np.sum(z)))
    assert "returned shape ()" in demo.problem


def test_the_depth_explorer_survives_slider_extremes():
    demo = depths()
    sweep_every_slider(demo)
    assert demo.live_figure.background_draws == 1, "fixed axes: the sliders never redraw the background"
