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
