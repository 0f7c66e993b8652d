"""The demos of 06_backprop and the toy data sets, driven directly: values drawn, tables,
messages for unwritten or broken learner functions, slider extremes."""

import numpy as np
import pytest

from course.data import DATASETS, circles, make_dataset, moons, xor_points
from course.widgets import backprop_stepper, training_playground
from course.widgets.backprop import STAGES, XOR_TABLE, init_params
from demo_checks import assert_plot_shown, sweep_every_slider


# Reference answers live here, in the tests, never in course/.
def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def forward(X, params):
    X = np.asarray(X, dtype=float)
    Z1 = X @ params["W1"] + params["b1"]
    A1 = sigmoid(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    return {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": sigmoid(Z2)}


def mse_loss(A2, Y):
    return np.sum((np.asarray(A2) - np.asarray(Y)) ** 2) / (2 * len(A2))


def backward(params, cache, Y):
    N = len(Y)
    D2 = (cache["A2"] - Y) * cache["A2"] * (1 - cache["A2"])
    D1 = (D2 @ params["W2"].T) * cache["A1"] * (1 - cache["A1"])
    return {"W1": cache["X"].T @ D1 / N, "b1": D1.sum(0) / N, "W2": cache["A1"].T @ D2 / N, "b2": D2.sum(0) / N}


def sgd_step(params, grads, eta):
    return {key: params[key] - eta * grads[key] for key in params}


def train(X, Y, params, eta, epochs):
    losses = []
    for _ in range(epochs):
        cache = forward(X, params)
        losses.append(mse_loss(cache["A2"], Y))
        params = sgd_step(params, backward(params, cache, Y), eta)
    return params, losses


def unwritten(*args):
    raise NotImplementedError("Replace this line with your code")


P = {"W1": np.array([[0.2, -0.4], [0.6, 0.1]]), "b1": np.array([0.1, 0.0]),
     "W2": np.array([[0.5, -0.3], [0.7, 0.4]]), "b2": np.array([-0.2, 0.1])}
X, Y = np.array([[0.5, 1.0]]), np.array([[1.0, 0.0]])


def stepper(**functions):
    chosen = {"forward": forward, "mse_loss": mse_loss, "backward": backward, "sgd_step": sgd_step, **functions}
    return backprop_stepper(chosen["forward"], chosen["mse_loss"], chosen["backward"], chosen["sgd_step"],
                            P, X, Y, eta=0.5)


# --- the data sets ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(DATASETS))
def test_every_data_set_is_two_features_and_0_1_labels_the_same_every_time(name):
    X1, Y1 = make_dataset(name, n=50, seed=3)
    X2, Y2 = make_dataset(name, n=50, seed=3)
    assert X1.shape == (50, 2) and Y1.shape == (50, 1)
    assert set(np.unique(Y1)) == {0.0, 1.0}
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert np.abs(X1).max() < 1.6
    assert not np.array_equal(make_dataset(name, n=50, seed=4)[0], X1)


def test_xor_points_label_opposite_signs_one():
    X, Y = xor_points(100, noise=0.0)
    np.testing.assert_array_equal(Y[:, 0], (X[:, 0] * X[:, 1] < 0).astype(float))
    assert np.abs(X).min() >= 0.1, "a gap around the axes keeps the classes apart"


def test_circles_put_class_1_inside_and_moons_are_balanced():
    X, Y = circles(100, noise=0.0)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius[Y[:, 0] == 1].max() <= 0.5 < 0.7 <= radius[Y[:, 0] == 0].min()
    assert moons(101)[1].sum() == 50


@pytest.mark.parametrize("call, message", [
    (lambda: make_dataset("spirals"), "unknown data set 'spirals'"),
    (lambda: xor_points(1), "at least 2"),
    (lambda: circles(10, noise=-1), "noise must be 0 or more"),
])
def test_bad_data_set_arguments_get_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- the stepper -----------------------------------------------------------------------------

def test_stepper_shows_the_forward_pass_on_the_nodes():
    demo = stepper()
    assert demo.controls["stage"].value == STAGES[0]
    cache = forward(X, P)
    hidden = demo.node_labels[1][0].get_text()
    assert f"a={cache['A1'][0, 0]:.4f}" in hidden and "z=0.800" in hidden and "δ" not in hidden
    assert f"a={cache['A2'][0, 1]:.4f}" in demo.node_labels[2][1].get_text()
    assert demo.edge_labels["W1", 1, 0].get_text() == "w=0.60"   # lecture w(1)_{1,2}: into h1 from x2
    assert demo.rows[2] == ("loss J", "½Σ(a⁽³⁾−y)²", "mse_loss", f"{mse_loss(cache['A2'], Y):.6f}")
    assert "J = 0.2089" in demo.ax.get_title()
    assert_plot_shown(demo)


def test_stepper_shows_output_then_hidden_deltas_and_the_gradients_on_the_edges():
    demo = stepper()
    grads = backward(P, forward(X, P), Y)
    demo.controls["stage"].value = STAGES[1]
    assert f"δ={grads['b2'][0]:+.5f}" in demo.node_labels[2][0].get_text()
    assert "δ" not in demo.node_labels[1][0].get_text()
    assert demo.edge_labels["W2", 0, 1].get_text() == f"∂J/∂w={grads['W2'][0, 1]:+.4f}"
    assert demo.edge_labels["W1", 0, 0].get_text().startswith("w=")
    demo.controls["stage"].value = STAGES[2]
    assert "δ=-0.01801" in demo.node_labels[1][0].get_text()    # the plus sign, not the slide's minus
    assert demo.edge_labels["W1", 1, 0].get_text() == f"∂J/∂w={grads['W1'][1, 0]:+.4f}"
    assert [row[2] for row in demo.rows][-2:] == ['grads["b1"]', 'grads["W1"]']
    assert_plot_shown(demo)


def test_stepper_updates_with_the_learners_sgd_step_and_can_take_and_reset_the_step():
    demo = stepper()
    demo.controls["stage"].value = STAGES[3]
    new = sgd_step(P, backward(P, forward(X, P), Y), 0.5)
    assert demo.edge_labels["W2", 0, 0].get_text() == f"0.500→{new['W2'][0, 0]:.3f}"
    assert "η = 0.50" in demo.ax.get_title()
    demo.take_step()
    assert demo.controls["stage"].value == STAGES[0] and demo.updates_taken == 1
    for key in P:
        np.testing.assert_allclose(demo.params[key], new[key])
    assert "after 1 update(s)" in demo.ax.get_title()
    assert f"{mse_loss(forward(X, new)['A2'], Y):.4f}" in demo.ax.get_title()
    demo.reset()
    np.testing.assert_array_equal(demo.params["W1"], P["W1"])
    assert_plot_shown(demo)


def test_stepper_says_which_function_to_write_first():
    assert stepper(forward=unwritten).problem.startswith("Implement unwritten first")
    demo = stepper(sgd_step=unwritten)
    demo.controls["stage"].value = STAGES[2]
    assert_plot_shown(demo)
    demo.controls["stage"].value = STAGES[3]
    assert demo.problem.startswith("Implement unwritten first")
    assert demo.image.layout.display == "none" and demo.table.value == ""
    demo.take_step()                                  # nothing to apply: the sentence stays
    assert demo.problem.startswith("Implement unwritten first") and demo.updates_taken == 0


@pytest.mark.parametrize("broken, message", [
    (lambda X, params: [1, 2], "Your <lambda> returned list, not a dict"),
    (lambda X, params: {"A2": np.zeros((1, 2))}, 'without the key "X"'),
    (lambda X, params: {**forward(X, params), "A1": np.zeros(3)}, "returned shape (3,) where (1, 2)"),
    (lambda X, params: {**forward(X, params), "A2": np.full((1, 2), np.nan)}, "nan or inf in \"A2\""),
])
def test_stepper_explains_a_broken_forward_in_one_sentence(broken, message):
    assert message in stepper(forward=broken).problem


def test_stepper_is_not_fooled_by_functions_that_write_in_place():
    def backward_in_place(params, cache, Y):
        grads = backward(params, cache, Y)
        cache["A1"] *= 0
        params["W2"] += 100
        return grads

    demo = stepper(backward=backward_in_place)
    demo.controls["stage"].value = STAGES[3]
    demo.take_step()
    np.testing.assert_allclose(demo.params["W2"], sgd_step(P, backward(P, forward(X, P), Y), 0.5)["W2"])
    np.testing.assert_array_equal(P["W2"], [[0.5, -0.3], [0.7, 0.4]])


def test_stepper_draws_only_a_2_2_2_network():
    with pytest.raises(ValueError, match="2-2-2"):
        backprop_stepper(forward, mse_loss, backward, sgd_step, init_params(3, 2, 2), [1, 2, 3], [0, 1])


@pytest.mark.parametrize("stage", STAGES)
def test_stepper_survives_slider_extremes(stage):
    demo = stepper()
    demo.controls["stage"].value = stage
    sweep_every_slider(demo)


# --- the playground --------------------------------------------------------------------------

def test_playground_trains_with_the_learners_train_and_draws_its_losses():
    demo = training_playground(forward, train, dataset="moons", hidden=3, eta=2.0, seed=0)
    assert demo.losses == [] and len(demo.loss_line.get_xdata()) == 0
    assert_plot_shown(demo)
    demo.run(50)
    demo.run(25)
    X_m, Y_m = make_dataset("moons", n=200)
    params, losses = train(X_m, Y_m, init_params(2, 3, 1, seed=0), 2.0, 75)
    np.testing.assert_allclose(demo.losses, losses)
    np.testing.assert_allclose(demo.loss_line.get_ydata(), losses)
    surface = forward(demo.grid, params)["A2"].reshape(demo.GRID, demo.GRID)
    np.testing.assert_allclose(demo.heat.get_array(), surface)
    assert demo.accuracy == np.mean((forward(X_m, params)["A2"] > 0.5) == (Y_m > 0.5))
    assert demo.ax_loss.get_title() == f"75 epochs · last loss {losses[-1]:.4f}"
    assert_plot_shown(demo)
    assert demo.ax_loss.get_xlim() == (0, 100)   # round numbers: the axes move seldom
    backgrounds = demo.live_figure.background_draws
    demo.run(20)
    assert demo.ax_loss.get_xlim() == (0, 100) and demo.live_figure.background_draws == backgrounds
    demo.run(10)
    assert demo.ax_loss.get_xlim() == (0, 200) and demo.live_figure.background_draws == backgrounds + 1
    assert_plot_shown(demo)


def test_playground_learns_xor_from_the_truth_table():
    demo = training_playground(forward, train, dataset=XOR_TABLE, hidden=2, eta=2.0, seed=1)
    demo.run(2000)
    assert demo.accuracy == 1.0 and demo.losses[-1] < 0.01
    assert "accuracy 100%" in demo.ax_map.get_title()


def test_playground_starts_again_when_data_set_units_or_seed_change_but_not_eta():
    demo = training_playground(forward, train, dataset="circles", hidden=2, eta=1.0)
    demo.run(10)
    png = demo.image.value
    demo.settings["eta"].value = 3.0
    demo.settings["epochs"].value = 7
    assert len(demo.losses) == 10 and demo.image.value is png, "η and epochs/run wait for the next run"
    demo.buttons["run"].click()
    assert len(demo.losses) == 17
    X_c, Y_c = make_dataset("circles", n=200)
    after_10 = train(X_c, Y_c, init_params(2, 2, 1), 1.0, 10)[0]
    np.testing.assert_allclose(demo.losses[10:], train(X_c, Y_c, after_10, 3.0, 7)[1])
    demo.buttons["step 1 epoch"].click()
    assert len(demo.losses) == 18
    demo.controls["hidden"].value = 5
    assert demo.losses == [] and demo.params["W1"].shape == (2, 5)
    demo.run(3)
    demo.controls["dataset"].value = "XOR"
    assert demo.losses == [] and demo.X.shape == (200, 2)
    demo.run(3)
    demo.reset()
    assert demo.losses == []


def test_playground_says_which_function_to_write_first():
    assert training_playground(unwritten, train).problem.startswith("Implement unwritten first")
    demo = training_playground(forward, unwritten)
    assert_plot_shown(demo)                           # nothing to train yet: the plot shows
    demo.run(10)
    assert demo.problem.startswith("Implement unwritten first")
    demo.controls["seed"].value = 3                   # moving a slider brings the plot back
    assert_plot_shown(demo)


@pytest.mark.parametrize("broken, message", [
    (lambda X, Y, params, eta, epochs: params, "must return a pair (params, losses)"),
    (lambda X, Y, params, eta, epochs: (params, [0.1]), "returned shape (1,) where (10,)"),
    (lambda X, Y, params, eta, epochs: ({"W1": params["W1"]}, [0.1] * epochs), 'without the key "b1"'),
])
def test_playground_explains_a_broken_train(broken, message):
    demo = training_playground(forward, broken)
    demo.run(10)
    assert message in demo.problem


@pytest.mark.parametrize("dataset", [XOR_TABLE, *DATASETS])
def test_playground_survives_slider_extremes(dataset):
    demo = training_playground(forward, train, dataset=dataset)
    demo.run(20)
    sweep_every_slider(demo)
    for eta in (demo.settings["eta"].min, demo.settings["eta"].max):
        demo.settings["eta"].value = eta
        demo.settings["epochs"].value = demo.settings["epochs"].max
        demo.buttons["run"].click()
        assert_plot_shown(demo)


def test_playground_rejects_an_unknown_data_set():
    with pytest.raises(ValueError, match="unknown data set 'spiral'"):
        training_playground(forward, train, dataset="spiral")


# --- the notebook's text: every number it states, computed here ------------------------------

import re                                                   # noqa: E402
from pathlib import Path                                    # noqa: E402

import nbformat                                             # noqa: E402

from course.plots import BINARY_INPUTS                      # noqa: E402
from course.widgets.backprop import network_diagram         # noqa: E402

NOTEBOOK = next((Path(__file__).resolve().parent.parent / "source" / "06_backprop").glob("*.ipynb"))
CELLS = nbformat.read(NOTEBOOK, as_version=4).cells
MARKDOWN = "\n".join(cell.source for cell in CELLS if cell.cell_type == "markdown")
XOR_X, XOR_Y = BINARY_INPUTS.astype(float), np.array([[0.0], [1.0], [1.0], [0.0]])


def markdown_of(cell_id):
    (cell,) = [cell for cell in CELLS if cell.id == cell_id]
    return cell.source


def states(text, *numbers):
    for number in numbers:
        assert number in text, f"the notebook should state {number!r}"


def epochs_until(X_data, Y_data, params, eta, done, max_epochs):
    """The first number of epochs after which done(outputs, loss) holds (None if never)."""
    for epoch in range(1, max_epochs + 1):
        params = sgd_step(params, backward(params, forward(X_data, params), Y_data), eta)
        outputs = forward(X_data, params)["A2"]
        if done(outputs, mse_loss(outputs, Y_data)):
            return epoch
    return None


def all_right(outputs, Y_data):
    return np.all((outputs > 0.5) == (Y_data > 0.5))


def test_network_diagram_draws_both_index_conventions():
    diagram = network_diagram()
    pixels = __import__("matplotlib.image").image.imread(__import__("io").BytesIO(diagram._repr_png_()), format="png")
    assert pixels.shape[0] > 300 and pixels.shape[1] > 600 and np.ptp(pixels[..., :3]) > 0.5
    assert diagram.edge_labels["W1", 1, 0].get_text() == "$w^{(1)}_{1,2}$ = W1[1, 0]"   # into h1 from x2
    assert diagram.edge_labels["W2", 1, 0].get_text() == "$w^{(2)}_{1,2}$ = W2[1, 0]"   # into o1 from h2
    assert len(diagram.edge_labels) == 8
    assert diagram.node_labels[1, 0].get_text() == "$a^{(2)}_1$ = A1[:, 0]"
    assert any("network_diagram()" in cell.source for cell in CELLS if cell.cell_type == "code")
    states(markdown_of("diagram-answer"), "`W2[1, 0]`", f"`W2[1, 0] = {P['W2'][1, 0]}`")


def test_the_notebook_names_the_credit_assignment_problem_and_has_two_parts():
    states(MARKDOWN, "**credit assignment problem**", "Rumelhart, Hinton and Williams", "1986")
    headings = [cell.source.splitlines()[0] for cell in CELLS if cell.cell_type == "markdown"]
    assert any(h.startswith("# Part 1 ·") for h in headings) and any(h.startswith("# Part 2 ·") for h in headings)
    assert CELLS[-1].source.startswith("## Summary") and "**Next" in CELLS[-1].source


def test_every_demo_and_result_is_predicted_first_and_every_question_block_answered():
    for before, cell in zip(CELLS, CELLS[1:]):
        shows = cell.cell_type == "code" and "nbgrader" not in cell.metadata and "P_EXAMPLE = " not in cell.source
        if shows:
            assert "**Predict, then run:**" in before.source, f"no prediction before {cell.source[:50]!r}"
    for cell, after in zip(CELLS, CELLS[1:]):
        if "**Questions to answer for yourself**" in cell.source:
            assert after.source.startswith("<details><summary>Answers (open after you have tried)</summary>")


def test_the_worked_example_numbers_and_the_by_hand_deltas():
    cache = forward(X, P)
    states(markdown_of("cell-10"), *[f"{a:.6f}" for a in cache["A1"][0]], *[f"{a:.6f}" for a in cache["A2"][0]])
    states(markdown_of("cell-11"), *[f"{a:.6f}" for a in cache["A1"][0]], "`W2 = [[0.5, -0.3], [0.7, 0.4]]`")
    assert P["W2"].tolist() == [[0.5, -0.3], [0.7, 0.4]]
    grads = backward(P, cache, Y)
    # the full code of the hints, run here: the by-hand numbers are right to 4 decimals
    namespace = {"np": np}
    for cell_id in ("cell-10", "cell-11"):
        exec(re.findall(r"```python\n(.*?)```", markdown_of(cell_id), re.S)[-1], namespace)
    np.testing.assert_allclose(namespace["DELTA_OUT"], grads["b2"], atol=1e-5)
    np.testing.assert_allclose(namespace["DELTA_HIDDEN"], grads["b1"], atol=1e-5)
    assert grads["b2"][0] < 0 < grads["b2"][1]   # the sign the check cell's message states


def test_the_stepper_answers():
    cache = forward(X, P)
    slopes = cache["A1"][0] * (1 - cache["A1"][0])
    text = markdown_of("stepper-answers")
    states(text, *[f"${s:.3f}$" for s in slopes], f"{cache['A2'][0, 0]:.3f}", f"{cache['A2'][0, 1]:.3f}")
    grads = backward(P, cache, Y)
    assert grads["W2"][0, 0] < 0 and sgd_step(P, grads, 0.5)["W2"][0, 0] > P["W2"][0, 0]   # the weight grows
    assert np.all(np.abs(grads["b1"]) < np.abs(grads["b2"]).min())
    losses = {eta: train(X, Y, P, eta, 10)[1] for eta in (0.5, 5.0)}
    for eta, curve in losses.items():
        assert np.all(np.diff(curve) < 0), f"the loss falls every step at eta = {eta}"
    states(text, ", ".join(f"{value:.4f}" for value in losses[0.5][:3]), f"${losses[5.0][1]:.4f}$")


def test_the_gradient_check_answers():
    def relative_error(a, n):
        return np.linalg.norm(a - n) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(n))

    def numeric(params, X_data, Y_data, h=1e-5):
        grads = {}
        for key, value in params.items():
            grads[key] = np.zeros(value.shape)
            for index in np.ndindex(value.shape):
                up, down = ({k: v.copy() for k, v in params.items()} for _ in range(2))
                up[key][index] += h
                down[key][index] -= h
                grads[key][index] = (mse_loss(forward(X_data, up)["A2"], Y_data)
                                     - mse_loss(forward(X_data, down)["A2"], Y_data)) / (2 * h)
        return grads

    rng = np.random.default_rng(0)   # the notebook's cell: a 3-4-2 network on 5 samples
    params = {"W1": rng.normal(size=(3, 4)), "b1": rng.normal(size=4), "W2": rng.normal(size=(4, 2)), "b2": rng.normal(size=2)}
    X5, Y5 = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    for p, x, y in [(P, X, Y), (params, X5, Y5)]:
        exact, approx = backward(p, forward(x, p), y), numeric(p, x, y)
        assert all(relative_error(exact[key], approx[key]) < 1e-7 for key in p)
    exact, approx = backward(params, forward(X5, params), Y5), numeric(params, X5, Y5)
    without_n = [relative_error(5 * exact[key], approx[key]) for key in params]
    np.testing.assert_allclose(without_n, (5 - 1) / (5 + 1), atol=1e-6)
    states(markdown_of("gradient-check-random-answer"), "\\approx 0.67", "`(5, 2) @ (4, 2)`")
    with pytest.raises(ValueError):
        np.zeros((5, 2)) @ params["W2"]   # Delta2 @ W2 instead of Delta2 @ W2.T


def test_the_slide_typo_answer():
    cache = forward(X, P)
    d3, a1 = backward(P, cache, Y)["b2"], cache["A1"][0, 0]
    plus = (d3[0] * P["W2"][0, 0] + d3[1] * P["W2"][0, 1]) * a1 * (1 - a1)
    minus = (d3[0] * P["W2"][0, 0] - d3[1] * P["W2"][0, 1]) * a1 * (1 - a1)
    assert d3[1] * P["W2"][0, 1] < 0
    states(markdown_of("cell-21"), f"${plus:.5f}$", f"{round(plus / minus)} times too small")


def test_the_xor_answers():
    text = markdown_of("xor-answers")
    start = init_params(2, 2, 1, seed=1)
    outputs = forward(XOR_X, start)["A2"]
    states(markdown_of("cell-31"), f"is {mse_loss(outputs, XOR_Y):.3f}", f"between {outputs.min():.2f} and {outputs.max():.2f}")
    flat = mse_loss(np.full((4, 1), 0.5), XOR_Y)
    losses = np.array(train(XOR_X, XOR_Y, start, 2.0, 300)[1])
    assert abs(losses[50] - flat) < 0.001 and losses[50:250].max() - losses[50:250].min() < 0.005   # the plateau
    states(text, f"about {flat:.3f}", "flat for about 200 epochs")
    right = lambda out, loss: all_right(out, XOR_Y)   # noqa: E731
    small = lambda out, loss: loss < 0.01               # noqa: E731
    states(text, f"after {epochs_until(XOR_X, XOR_Y, start, 2.0, right, 2000)} epochs",
           f"after {epochs_until(XOR_X, XOR_Y, start, 2.0, small, 2000)} epochs")
    stuck = np.array(train(XOR_X, XOR_Y, init_params(2, 2, 1, seed=5), 2.0, 10000)[1])
    assert stuck[-1] > 0.08 and stuck[-1] < stuck[5000]   # above 0.08, still creeping down
    states(text, "above 0.08 after 10 000 epochs",
           f"after {epochs_until(XOR_X, XOR_Y, init_params(2, 3, 1, seed=5), 2.0, right, 2000)} epochs")
    slow = epochs_until(XOR_X, XOR_Y, start, 0.1, right, 20000)
    states(text, f"after {slow // 1000} {slow % 1000:03d} epochs",
           f"{epochs_until(XOR_X, XOR_Y, start, 10.0, right, 2000)}\n   epochs")


def test_the_playground_answers():
    text = markdown_of("playground-answers")
    X_c, Y_c = make_dataset("circles", n=200)
    one_unit = {np.mean((forward(X_c, train(X_c, Y_c, init_params(2, 1, 1, seed=seed), 3.0, 3000)[0])["A2"] > 0.5)
                        == (Y_c > 0.5)) for seed in range(4)}
    assert len(one_unit) == 1
    states(text, f"from seeds 0 to 3 the accuracy stops at {100 * one_unit.pop():.0f} % (3000 epochs)")
    X_m, Y_m = make_dataset("moons", n=200)
    right95 = lambda out, loss: np.mean((out > 0.5) == (Y_m > 0.5)) >= 0.95   # noqa: E731
    states(text, f"after {epochs_until(X_m, Y_m, init_params(2, 4, 1, seed=0), 10.0, right95, 5000)} epochs",
           f"{epochs_until(X_m, Y_m, init_params(2, 4, 1, seed=1), 3.0, right95, 5000)}\n   epochs from seed 1",
           f"{epochs_until(X_m, Y_m, init_params(2, 4, 1, seed=3), 3.0, right95, 5000)} from seed 3")


def test_the_vanishing_gradient_answer():
    text = markdown_of("vanishing-answer")
    for layers in (1, 2, 5, 10):
        mantissa, exponent = f"{0.25 ** layers:.1e}".split("e")
        states(text, f"{mantissa} \\cdot 10^{{{int(exponent)}}}")
