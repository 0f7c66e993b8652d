"""The demos of 01_perceptron, driven directly: values drawn, tables, messages, slider extremes."""

import numpy as np
import pytest

from course.plots import decision_line
from course.widgets import activation_explorer, perceptron_explorer
from demo_checks import assert_plot_shown, sweep_every_slider


# Reference answers live here, in the tests, never in course/.
def step_function(x):
    return (np.asarray(x) > 0).astype(int)


def sigmoid(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def relu(x):
    return np.maximum(0, np.asarray(x, dtype=float))


def perceptron(x, w, b):
    return step_function(b + np.asarray(x, dtype=float) @ np.asarray(w, dtype=float))


def unwritten(x):
    raise NotImplementedError("Replace this line with your code")


def test_activation_explorer_shows_the_learners_value():
    demo = activation_explorer(step_function, sigmoid, np.tanh, relu)
    demo.controls["activation"].value = "sigmoid"
    demo.controls["x"].value = 0.0
    assert demo.value == pytest.approx(0.5)
    assert demo.point.get_xydata().tolist() == [[0.0, 0.5]]
    np.testing.assert_allclose(demo.curve.get_ydata(), sigmoid(demo.xs))
    demo.controls["activation"].value = "step"
    assert demo.value == 0.0, "the step at exactly 0 is 0"
    assert_plot_shown(demo)


def test_activation_explorer_names_the_function_to_write_first():
    demo = activation_explorer(step_function, unwritten, np.tanh, relu)
    demo.controls["activation"].value = "sigmoid"
    assert demo.problem.startswith("Implement unwritten first")
    assert demo.image.layout.display == "none"
    demo.controls["activation"].value = "tanh"
    assert_plot_shown(demo)


def test_activation_explorer_explains_a_broken_function():
    demo = activation_explorer(step_function, lambda x: [1, 2], np.tanh, relu)
    demo.controls["activation"].value = "sigmoid"
    assert "returned shape (2,)" in demo.problem


@pytest.mark.parametrize("activation", ["step", "sigmoid", "tanh", "ReLU"])
def test_activation_explorer_survives_slider_extremes(activation):
    demo = activation_explorer(step_function, sigmoid, np.tanh, relu)
    demo.controls["activation"].value = activation
    sweep_every_slider(demo)


def test_perceptron_explorer_draws_the_decision_line_where_a_is_zero():
    demo = perceptron_explorer(perceptron, w1=1.0, w2=1.0, b=-1.5)
    xs, ys = demo.region.line.get_data()
    assert len(xs) == 2
    np.testing.assert_allclose(1.0 * np.asarray(xs) + 1.0 * np.asarray(ys) - 1.5, 0, atol=1e-9)
    assert demo.rows == [(0, 0, -1.5, 0), (0, 1, -0.5, 0), (1, 0, -0.5, 0), (1, 1, 0.5, 1)]
    assert "<td" in demo.table.value and "-1.5" in demo.table.value
    assert "a = -1.50 + 1.00·x1 + 1.00·x2" == demo.ax.get_title()
    assert_plot_shown(demo)


def test_perceptron_explorer_shades_where_the_output_is_one():
    demo = perceptron_explorer(perceptron, w1=1.0, w2=0.0, b=-0.5)   # fires for x1 > 0.5
    shaded = demo.region.region.get_array().reshape(-1)
    np.testing.assert_array_equal(shaded, (demo.region.grid[:, 0] > 0.5).astype(float))


def test_perceptron_explorer_with_no_weights_has_no_line():
    demo = perceptron_explorer(perceptron, w1=0.0, w2=0.0, b=0.5)
    assert len(demo.region.line.get_xdata()) == 0
    assert "no line" in demo.ax.get_title()
    assert [row[3] for row in demo.rows] == [1, 1, 1, 1]
    assert_plot_shown(demo)


def test_perceptron_explorer_says_which_function_is_missing():
    def step_function(x):
        raise NotImplementedError("Replace this line with your code")

    def perceptron_on_unwritten_step(x, w, b):
        return step_function(b + np.asarray(x) @ w)

    def perceptron(x, w, b):
        raise NotImplementedError("Replace this line with your code")

    assert perceptron_explorer(perceptron).problem.startswith("Implement perceptron first")
    demo = perceptron_explorer(perceptron_on_unwritten_step)
    assert demo.problem.startswith("Implement step_function first")
    assert demo.image.layout.display == "none" and demo.table.value == ""


def test_perceptron_explorer_accepts_a_perceptron_that_returns_lists():
    demo = perceptron_explorer(lambda x, w, b: [int(b + row @ w > 0) for row in np.asarray(x)])
    assert [row[3] for row in demo.rows] == [0, 0, 0, 1]


def test_perceptron_explorer_survives_slider_extremes():
    sweep_every_slider(perceptron_explorer(perceptron))


@pytest.mark.parametrize("w, b", [((1, 1), -1.5), ((0, 2), -1), ((2, 0), -1), ((1, -1), 0), ((-2, -2), 2), ((1, 1), 5)])
def test_decision_line_ends_lie_on_the_line_inside_the_view(w, b):
    ends = decision_line(w, b, (-0.5, 1.5))
    if ends is None:   # the line misses the view: then no corner of the view is on both sides
        corners = np.array([[-0.5, -0.5], [-0.5, 1.5], [1.5, -0.5], [1.5, 1.5]])
        signs = np.sign(corners @ np.asarray(w, float) + b)
        assert abs(signs.sum()) == 4
        return
    np.testing.assert_allclose(ends @ np.asarray(w, float) + b, 0, atol=1e-9)
    assert ((ends >= -0.5 - 1e-9) & (ends <= 1.5 + 1e-9)).all()
    assert np.linalg.norm(ends[0] - ends[1]) > 0
