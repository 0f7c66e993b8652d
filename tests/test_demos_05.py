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


# ---------------------------------------------------------------- gradient descent (section 12)
from pathlib import Path  # noqa: E402

import nbformat  # noqa: E402

from course.widgets import descent_explorer  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parent.parent / "source" / "05_derivatives" / "derivatives.ipynb"


def bowl(v):
    return v[0] ** 2 + v[0] * v[1] + v[1] ** 2


def bowl_gradient(v):
    return np.array([2 * v[0] + v[1], v[0] + 2 * v[1]])


def numerical_gradient(f, x, h=1e-4):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        keep = x[i]
        x[i] = keep + h
        up = f(x)
        x[i] = keep - h
        down = f(x)
        x[i] = keep
        grad[i] = (up - down) / (2 * h)
    return grad


def gradient_descent(f, x0, eta, steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(steps):
        x = x - eta * numerical_gradient(f, x)
        path.append(x)
    return np.array(path)


def exact_path(x0, eta, steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(steps):
        x = x - eta * bowl_gradient(x)
        path.append(x)
    return np.array(path)


START = (2.5, -1.0)


def markdown():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def assert_states(*phrases):
    text = markdown()
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, f"the notebook's markdown does not state {missing}"


def descents(**overrides):
    return descent_explorer(**{"f": bowl, "gradient_descent": gradient_descent, **overrides})


def test_the_descent_explorer_draws_the_learners_path():
    demo = descents()
    steps, eta = demo.controls["steps"].value, demo.controls["eta"].value
    np.testing.assert_allclose(demo.path, exact_path(START, eta, steps), atol=1e-6)
    np.testing.assert_allclose(np.asarray(demo.path_line.get_xydata()), demo.path, atol=1e-12)
    np.testing.assert_allclose(demo.f_values, [bowl(p) for p in demo.path])
    assert demo.f_line.get_xdata().tolist() == list(range(steps + 1))
    assert_plot_shown(demo)


@pytest.mark.parametrize("eta, verdict", [(0.0, "stays put"), (0.01, "crawls"), (0.3, "converges"),
                                          (0.6, "converges"), (0.7, "diverges"), (0.8, "diverges")])
def test_the_descent_explorer_names_what_the_step_size_does(eta, verdict):
    demo = descents()
    demo.controls["eta"].value, demo.controls["steps"].value = eta, 20
    assert demo.verdict == verdict
    assert verdict in demo.map_ax.get_title() and verdict in demo.table.value


def test_the_descent_explorer_survives_slider_extremes():
    demo = descents()
    sweep_every_slider(demo)
    demo.controls["eta"].value, demo.controls["steps"].value = demo.controls["eta"].max, demo.controls["steps"].max
    assert demo.verdict == "diverges" and np.all(np.isfinite(demo.path))
    assert demo.live_figure.background_draws == 1, "fixed axes: the sliders never redraw the background"


def test_the_descent_explorer_explains_unwritten_and_wrong_answers():
    def unwritten_descent(f, x0, eta, steps):
        raise NotImplementedError("Replace this line with your code")

    assert descents(gradient_descent=unwritten_descent).problem.startswith("Implement unwritten_descent first")
    demo = descents(gradient_descent=lambda f, x0, eta, steps: gradient_descent(f, x0, eta, steps)[1:])
    assert "returned shape (20, 2) where (21, 2) was expected" in demo.problem
    demo = descents(gradient_descent=lambda f, x0, eta, steps: gradient_descent(f, x0, eta, steps + 1)[1:])
    assert "must start with x0" in demo.problem
    demo = descents(gradient_descent=lambda f, x0, eta, steps: np.full((steps + 1, 2), np.nan))
    assert "nan or inf" in demo.problem
    assert demo.image.layout.display == "none"


def test_the_new_text_states_the_worked_step_of_descent():
    x1 = exact_path(START, 0.1, 1)[1]
    assert bowl_gradient(np.array(START)).tolist() == [4.0, 0.5]
    np.testing.assert_allclose(x1, [2.1, -1.05])
    assert f"{bowl(START):.2f}" == "4.75" and f"{bowl(x1):.4f}" == "3.3075"
    assert_states("$(2 \\cdot 2.5 - 1,\\; 2.5 - 2) = (4, 0.5)$", "$(2.5 - 0.4,\\; -1 - 0.05) = (2.1, -1.05)$",
                  "drops from $4.75$ to $3.3075$", "where $f = 4.75$")


def test_the_descent_answers_state_what_20_steps_reach():
    after = {eta: bowl(exact_path(START, eta, 20)[-1]) for eta in (0.01, 0.1, 0.3, 0.7)}
    assert f"{after[0.1]:.3f}" == "0.045" and round(after[0.1] / bowl(START), 2) == 0.01   # "a hundredth"
    assert f"{after[0.01]:.2f}" == "2.55"
    assert f"{after[0.3]:.0e}" == "2e-06"
    assert f"{after[0.7]:.0f}" == "76"
    assert_states("$f \\approx 0.045$, about a hundredth", "Only to about $2.55$", "About $2 \\cdot 10^{-6}$",
                  "to about $76$ after 20 steps")
    # the diverging path swings along the diagonal x = y, changing sign at every step
    far = exact_path(START, 0.7, 20)[-6:]
    np.testing.assert_allclose(far[:, 0], far[:, 1], rtol=1e-3)
    assert np.all(np.sign(far[1:, 0]) == -np.sign(far[:-1, 0]))
    assert_states("along the diagonal $x = y$")


def test_the_step_size_limit_lies_where_the_notebook_says_and_hint_3_computes_it():
    hessian = np.array([[bowl(np.eye(2)[i] + np.eye(2)[j]) - bowl(np.eye(2)[i]) - bowl(np.eye(2)[j])
                         for j in range(2)] for i in range(2)])   # exact second differences, step 1
    np.testing.assert_allclose(hessian, [[2.0, 1.0], [1.0, 2.0]])
    limit = 2 / np.linalg.eigvalsh(hessian).max()
    assert 0.3 < limit < 0.7
    assert bowl(exact_path(START, 0.3, 200)[-1]) < 1e-9 < 1e9 < bowl(exact_path(START, 0.7, 200)[-1])
    assert_states("Somewhere between $\\eta = 0.3$ (converges) and $\\eta = 0.7$ (diverges)",
                  "hessian = np.array([[2.0, 1.0],\n                    [1.0, 2.0]])")
    # the 1-D hint: a step multiplies the distance by 1 - eta*lambda
    assert 1 - limit * 3 == pytest.approx(-1.0)


# ---------------------------------------------------------------- the answers to the other demos
def test_the_table_answers_state_the_errors_of_both_differences():
    def errors(h):
        f = lambda x: x ** 3   # noqa: E731
        return abs((f(2 + h) - f(2)) / h - 12), abs((f(2 + h) - f(2 - h)) / (2 * h) - 12)

    (f1, c1), (f2, c2), (f5, c5), (f10, c10) = (errors(h) for h in (1e-1, 1e-2, 1e-5, 1e-10))
    assert f"{f1:.2f}" == "0.61" and f"{c1:.2f}" == "0.01" and f"{f2:.4f}" == "0.0601" and f"{c2:.4f}" == "0.0001"
    assert round(f1 / f2) == 10 and round(c1 / c2) == 100
    assert f"{c5:.0e}" == "2e-10" and f"{f10:.0e}" == f"{c10:.0e}" == "1e-06" and c10 > c5
    assert_states("forward error is $0.61$ and the central error $0.01$", "about 10 times (to $0.0601$)",
                  "exactly 100 times (to $0.0001$)", "about $10^{-6}$", "(about $2 \\cdot 10^{-10}$)")


def test_the_graph_answer_states_the_backward_numbers():
    forward = lambda w, x, b: w * x + b   # noqa: E731
    w, x, b, eps = -2.0, 5.0, 3.0, 1e-4
    assert forward(w, x, b) == -7
    slopes_ = [(forward(w + eps, x, b) - forward(w - eps, x, b)) / (2 * eps),
               (forward(w, x + eps, b) - forward(w, x - eps, b)) / (2 * eps),
               (forward(w, x, b + eps) - forward(w, x, b - eps)) / (2 * eps)]
    np.testing.assert_allclose(slopes_, [5, -2, 1])
    assert_states("$f = -7$, then $\\partial f/\\partial w \\approx 5$, $\\partial f/\\partial x \\approx -2$",
                  "$\\partial f/\\partial b \\approx 1$")


def test_the_slope_answers_state_the_saturated_slope():
    assert f"{sigmoid_derivative(5.0):.4f}" == f"{sigmoid_derivative(-5.0):.4f}" == "0.0066"
    assert f"{float(sigmoid(5.0)):.4f}" == "0.9933"
    assert 35 < 0.25 / sigmoid_derivative(5.0) < 40
    assert relu_derivative(5) == relu_derivative(50) == 1 and relu_derivative(-5) == 0
    assert_states("$\\sigma'(5) = \\sigma'(-5) \\approx 0.0066$", "$\\sigma(5) \\approx 0.9933$", "almost 40 times",
                  "value is $0.5$ and its slope $0.5 \\cdot 0.5 = 0.25$")


def test_the_depth_answers_state_the_chain_products():
    one = {layers: reference_chain(sigmoid, sigmoid_derivative, layers, 1.0) for layers in (9, 10)}
    assert f"{one[10][0]:.1e}" == "2.8e-07" and f"{one[9][0]:.1e}" == "1.2e-06"
    assert min(layers for layers in range(1, 31)
               if reference_chain(sigmoid, sigmoid_derivative, layers, 1.0)[0] < 1e-6) == 10
    a, zs = 1.0, []
    for _ in range(10):
        zs.append(a)
        a = float(sigmoid(a))
    assert f"{zs[-1]:.2f}" == "0.66" and f"{float(sigmoid_derivative(zs[-1])):.2f}" == "0.22"
    three = reference_chain(sigmoid, sigmoid_derivative, 10, 3.0)
    a, zs = 1.0, []
    for _ in range(10):
        zs.append(3.0 * a)
        a = float(sigmoid(zs[-1]))
    assert f"{zs[-1]:.2f}" == "2.83" and f"{3 * float(sigmoid_derivative(zs[-1])):.2f}" == "0.16"
    assert f"{three[0]:.1e}" == "2.6e-09" and three[0] < one[10][0]
    relu_three = reference_chain(relu, relu_derivative, 10, 3.0)
    assert relu_three[0] == 3 ** 9 == 19683
    np.testing.assert_allclose(reference_chain(relu, relu_derivative, 10, 1.0), 1.0)
    assert_states("about $2.8 \\cdot 10^{-7}$", "$z \\approx 0.66$, where $\\sigma'(z) \\approx 0.22$",
                  "After 9 layers it is still about $1.2 \\cdot 10^{-6}$", "with **10** layers",
                  "$z \\approx 2.83$", "$3\\,\\sigma'(2.83) \\approx 0.16$", "$2.6 \\cdot 10^{-9}$",
                  "$3^9 = 19683$")


def test_every_demo_and_result_cell_is_preceded_by_a_prediction():
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    shows = [i for i, c in enumerate(cells) if c.cell_type == "code" and not c.metadata.get("nbgrader")]
    for i in shows:
        before = next(c.source for c in reversed(cells[:i]) if c.cell_type == "markdown")
        after = next(c.source for c in cells[i + 1:] if c.cell_type == "markdown")
        assert "**Predict, then run:**" in before, f"cell {cells[i].id} has no prediction question before it"
        assert "What you should see" in after or "**Questions to answer for yourself**" in after, cells[i].id
    questions = [i for i, c in enumerate(cells) if "**Questions to answer for yourself**" in c.source]
    assert questions and all("Answers (open after you have tried)" in cells[i + 1].source for i in questions)
