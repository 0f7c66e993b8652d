"""The demos of 01_perceptron, driven directly: values drawn, tables, messages, slider extremes."""

import nbformat
import numpy as np
import pytest

from course.plots import decision_line
from course.widgets import activation_explorer, perceptron_explorer
from conftest import ROOT
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


# --- every number the notebook's teaching text states, computed here -------------------------

NOTEBOOK = ROOT / "source" / "01_perceptron" / "perceptron.ipynb"


def notebook_markdown():
    """All markdown of the source notebook, with typographic minus signs made plain."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    return "\n".join(c.source for c in cells if c.cell_type == "markdown").replace("−", "-")


def assert_stated(*texts):
    markdown = notebook_markdown()
    missing = [text for text in texts if text not in markdown]
    assert not missing, f"the notebook should state {missing}"


def test_the_activations_at_zero_and_at_one_are_as_stated():
    assert (int(step_function(0.0)), float(sigmoid(0.0)), float(np.tanh(0.0)), float(relu(0.0))) == (0, 0.5, 0, 0)
    assert_stated("step(0) = 0", "tanh(0) = 0", "ReLU(0) = 0", "σ(0) = 0.5")
    assert_stated(f"sigmoid(1.00) = {float(sigmoid(1.0)):.4f}")   # the explorer's opening title


def test_the_sigmoid_slopes_and_relu_change_are_as_stated():
    slope = lambda a: float(sigmoid(a) * (1 - sigmoid(a)))  # noqa: E731
    assert_stated(f"is {slope(0.0):.2f} at $a = 0$", f"about {slope(4.0):.3f} at $a = 4$")
    assert_stated(f"ReLU rises by {float(relu(4.0) - relu(2.0)):.0f}")


def test_the_tanh_and_sigmoid_values_at_three_are_as_stated():
    assert_stated(f"tanh gives about {np.tanh(3.0):.3f} where the", f"sigmoid gives {float(sigmoid(3.0)):.3f}")
    a = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(np.tanh(a), 2 * sigmoid(2 * a) - 1, atol=1e-12)


def test_the_float_overflow_numbers_are_as_stated():
    largest = np.finfo(float).max
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isfinite(np.exp(709.0)) and np.isinf(np.exp(710.0))
        assert np.isnan(np.exp(1000.0) / np.exp(1000.0)) and 1 / (1 + np.exp(1000.0)) == 0.0
    assert_stated(f"about `{largest:.1e}`", f"\\approx {np.log(largest):.2f}", f"about `{np.exp(709.0):.1e}`")


def test_the_shapes_of_one_sample_and_a_batch_are_as_stated():
    w = np.array([0.5, 0.5])
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    assert_stated(f"`x @ w` is the single number {np.array([1.0, 1.0]) @ w}, of shape `{(np.array([1.0, 1.0]) @ w).shape}`",
                  f"`X @ w` prints as `{X @ w}`", f"of shape `{(X @ w).shape}`")


def net_inputs(w, b):
    return [round(float(a), 2) for a in b + np.array([[0, 0], [0, 1], [1, 0], [1, 1]]) @ np.asarray(w, float)]


def test_the_perceptron_explorer_answers_are_as_stated():
    demo = perceptron_explorer(perceptron)   # opens on AND
    w1, w2, b = (demo.controls[name].value for name in ("w1", "w2", "b"))
    assert [row[3] for row in demo.rows] == [0, 0, 0, 1]
    assert_stated("$a = {}, {}, {}, {}$ for $(0,0)".format(*net_inputs((w1, w2), b)))
    assert_stated(f"at\n$x_1 = {-b / w1:.1f}$", f"$x_2 = {-b / w2:.1f}$")
    doubled = net_inputs((2 * w1, 2 * w2), 2 * b)
    assert [a > 0 for a in doubled] == [a > 0 for a in net_inputs((w1, w2), b)]
    assert_stated(f"$w = ({2 * w1:.0f}, {2 * w2:.0f})$, $b = {2 * b:.1f}$ give\n   $a = {{}}, {{}}, {{}}, {{}}$".format(*doubled))


def test_sliding_b_from_and_turns_the_gate_into_or_then_constant_as_stated():
    demo = perceptron_explorer(perceptron)
    w, slider = np.array([demo.controls["w1"].value, demo.controls["w2"].value]), demo.controls["b"]
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    steps = np.round(np.arange(slider.min, slider.max + slider.step / 2, slider.step), 2)
    tables = {b: perceptron(X, w, b).tolist() for b in steps}
    ands = [b for b, t in tables.items() if t == [0, 0, 0, 1]]
    ors = [b for b, t in tables.items() if t == [0, 1, 1, 1]]
    ones = [b for b, t in tables.items() if t == [1, 1, 1, 1]]
    assert (min(ands), max(ands), min(ors), max(ors), min(ones)) == (-0.95, -0.5, -0.45, 0.0, 0.05)
    assert_stated(f"slider values {min(ands):.2f} to {max(ands):.2f}", f"(the slider's\n   {min(ors):.2f})",
                  f"up to $b = {max(ors):.0f}$", f"(the slider's {min(ones):.2f})")


def test_the_graded_questions_state_their_points_and_the_choices_match_the_test():
    assert_stated("### Question A — `SIGMOID_CHANGE` (1 point)", "### Question B — `NEGATIVE_OUTPUT` (1 point)")
    assert_stated("- **a** none of them", "- **b** tanh only", "- **c** tanh and ReLU", "- **d** the sigmoid and tanh")
    # the answers shown after the explorer never give the graded values away
    change = float(sigmoid(4.0) - sigmoid(2.0))
    answers = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells
               if c.cell_type == "markdown" and "Answers (open after" in c.source]
    assert answers and not any(f"{change:.2f}" in text or f"{change:.4f}" in text for text in answers)
