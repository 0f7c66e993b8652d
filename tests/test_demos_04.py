"""The demo of 04_xor_mlp, driven directly: hidden points, lines, truth table, messages, extremes."""

import nbformat
import numpy as np
import pytest

from course.widgets import xor_network_explorer
from demo_checks import assert_plot_shown, sweep_every_slider
from notebooks import ROOT

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


# Reference answers live here, in the tests, never in course/.
def step_function(x):
    return (np.asarray(x) > 0).astype(int)


def layer_forward(X, W, b, activation):
    return activation(np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + np.asarray(b, dtype=float))


LECTURE_XOR = {"W1": [[-0.5, 1.0], [-0.5, 1.0]], "b1": [0.7, -0.5], "W2": [[0.5], [0.5]], "b2": [-0.7]}


def test_the_start_is_or_and_with_one_wrong_row():
    demo = xor_network_explorer(layer_forward, step_function)
    np.testing.assert_array_equal(demo.hidden, [[0, 0], [1, 0], [1, 0], [1, 1]])   # h1 = OR, h2 = AND
    np.testing.assert_array_equal(demo.outputs, [0, 1, 1, 1])
    assert demo.correct == 3 and demo.figure._suptitle.get_text() == "3 of 4 right"
    assert [row[:6] for row in demo.rows] == [(0, 0, 0.0, 0.0, 0.0, 0), (0, 1, 1.0, 0.0, 1.0, 1),
                                              (1, 0, 1.0, 0.0, 1.0, 1), (1, 1, 1.0, 1.0, 1.0, 0)]
    assert [("✔" in row[6], "✘" in row[6]) for row in demo.rows] == [(True, False)] * 3 + [(False, True)]
    assert demo.table.value.count("✘") == 1
    assert_plot_shown(demo)


def test_the_hidden_layer_merges_the_two_middle_inputs():
    demo = xor_network_explorer(layer_forward, step_function)
    np.testing.assert_array_equal(demo.hidden_points.get_offsets(), demo.hidden)
    labels = sorted(label.get_text() for label in demo.hidden_labels if label.get_text())
    assert labels == ["(0,0)", "(0,1)\n(1,0)", "(1,1)"]


def test_the_lines_are_where_each_unit_switches():
    demo = xor_network_explorer(layer_forward, step_function, start=LECTURE_XOR)
    W1, b1 = np.array(LECTURE_XOR["W1"]), np.array(LECTURE_XOR["b1"])
    for j, line in enumerate(demo.unit_lines):
        xs, ys = line.get_data()
        assert len(xs) == 2
        np.testing.assert_allclose(W1[0, j] * np.asarray(xs) + W1[1, j] * np.asarray(ys) + b1[j], 0, atol=1e-9)
    xs, ys = demo.output_line.get_data()
    np.testing.assert_allclose(0.5 * np.asarray(xs) + 0.5 * np.asarray(ys) - 0.7, 0, atol=1e-9)


def test_the_lecture_network_is_xor_and_the_shading_is_the_network_output():
    demo = xor_network_explorer(layer_forward, step_function, start=LECTURE_XOR)
    assert demo.correct == 4 and "XOR!" in demo.figure._suptitle.get_text()
    hidden = step_function(demo.grid @ np.array(LECTURE_XOR["W1"]) + LECTURE_XOR["b1"])
    want = step_function(hidden @ np.array(LECTURE_XOR["W2"]) + LECTURE_XOR["b2"])[:, 0]
    np.testing.assert_array_equal(demo.input_region.get_array().reshape(-1), want)
    want_hidden_space = step_function(demo.grid @ np.array(LECTURE_XOR["W2"]) + LECTURE_XOR["b2"])[:, 0]
    np.testing.assert_array_equal(demo.hidden_region.get_array().reshape(-1), want_hidden_space)


def test_moving_the_output_weight_of_the_and_unit_solves_xor():
    demo = xor_network_explorer(layer_forward, step_function)
    demo.controls["W2[1,0]"].value = -2.0
    assert demo.correct == 4
    assert demo.params()["W2"].tolist() == [[1.0], [-2.0]]


def test_the_sliders_fill_the_arrays_in_the_batch_convention():
    demo = xor_network_explorer(layer_forward, step_function)
    demo.controls["W1[1,0]"].value = 0.3   # from input x2 (row 1) to unit h1 (column 0)
    assert demo.params()["W1"][1, 0] == pytest.approx(0.3)
    assert demo.params()["W1"][0, 1] == pytest.approx(1.0)


def test_the_explorer_names_the_function_to_write_first():
    def layer_forward(X, W, b, activation):
        raise NotImplementedError("Replace this line with your code")

    demo = xor_network_explorer(layer_forward, step_function)
    assert demo.problem.startswith("Implement layer_forward first")
    assert demo.image.layout.display == "none" and demo.table.value == ""


def test_the_explorer_explains_a_layer_with_the_wrong_shape():
    def summed_layer(X, W, b, activation):   # adds up the units: one number per sample
        return activation(np.sum(np.asarray(X) @ np.asarray(W) + b, axis=-1))

    demo = xor_network_explorer(summed_layer, step_function)
    assert "returned shape (4,) where (4, 2) was expected" in demo.problem


def test_the_explorer_accepts_a_layer_that_returns_lists():
    demo = xor_network_explorer(lambda X, W, b, h: h(np.asarray(X) @ W + b).tolist(), step_function)
    assert demo.problem is None and demo.correct == 3


def test_the_explorer_survives_slider_extremes():
    sweep_every_slider(xor_network_explorer(layer_forward, step_function))


def test_all_weights_zero_leaves_no_lines():
    demo = xor_network_explorer(layer_forward, step_function,
                                start={"W1": np.zeros((2, 2)), "b1": [0.5, -0.5], "W2": np.zeros((2, 1)), "b2": [0.0]})
    assert all(len(line.get_xdata()) == 0 for line in demo.unit_lines)
    np.testing.assert_array_equal(demo.hidden, [[1, 0]] * 4)
    assert demo.correct == 2
    assert_plot_shown(demo)


# ---------------------------------------------------------------- the identity as hidden activation
def identity(z):
    return z


def collapse(params):   # the test's own collapse of two identity layers into one
    W1, b1 = np.asarray(params["W1"], float), np.asarray(params["b1"], float)
    W2, b2 = np.asarray(params["W2"], float), np.asarray(params["b2"], float)
    return W1 @ W2, b1 @ W2 + b2


def test_the_identity_explorer_starts_with_one_right_row_and_the_menu_switches_back():
    demo = xor_network_explorer(layer_forward, step_function, hidden="identity")
    assert demo.controls["hidden"].value == "identity" and demo.hidden_activation(2.5) == 2.5
    np.testing.assert_allclose(demo.hidden, INPUTS @ np.array(START_PARAMS["W1"]) + START_PARAMS["b1"])
    assert demo.correct == 1 and demo.figure._suptitle.get_text() == "1 of 4 right"
    assert_plot_shown(demo)
    demo.controls["hidden"].value = "step"
    assert demo.correct == 3
    np.testing.assert_array_equal(demo.hidden, [[0, 0], [1, 0], [1, 0], [1, 1]])
    assert_plot_shown(demo)


def test_with_the_identity_the_input_space_is_cut_by_one_line_and_xor_is_never_reached():
    demo = xor_network_explorer(layer_forward, step_function, hidden="identity")
    rng = np.random.default_rng(0)
    for _ in range(500):   # the network the sliders describe, computed as the demo computes it
        p = {"W1": rng.uniform(-2, 2, (2, 2)), "b1": rng.uniform(-2, 2, 2),
             "W2": rng.uniform(-2, 2, (2, 1)), "b2": rng.uniform(-2, 2, 1)}
        assert np.sum(demo._layers(INPUTS, p)[1] == XOR_TARGETS) <= 3
    for name, control in demo.controls.items():
        if name != "hidden":
            control.value = float(np.round(rng.uniform(-2, 2), 1))
    W, b = collapse(demo.params())
    net = (demo.grid @ W + b)[:, 0]
    clear = np.abs(net) > 1e-9   # points on the line itself may round either way
    np.testing.assert_array_equal(demo.input_region.get_array().reshape(-1)[clear], step_function(net[clear]))


def test_the_identity_explorer_survives_extreme_weights():
    for value in (-2.0, 2.0):   # hidden points far outside the hidden space's square
        start = {"W1": np.full((2, 2), value), "b1": np.full(2, value), "W2": np.full((2, 1), value),
                 "b2": np.full(1, value)}
        assert_plot_shown(xor_network_explorer(layer_forward, step_function, start=start, hidden="identity"))


def test_the_explorer_refuses_an_unknown_hidden_activation():
    with pytest.raises(ValueError, match="hidden must be one of"):
        xor_network_explorer(layer_forward, step_function, hidden="relu")


# ---------------------------------------------------------------- the numbers the notebook states
NOTEBOOK = nbformat.read(next((ROOT / "source" / "04_xor_mlp").glob("*.ipynb")), as_version=4)
MARKDOWN = "\n".join(cell.source for cell in NOTEBOOK.cells if cell.cell_type == "markdown")
START_PARAMS = {"W1": [[1.0, 1.0], [1.0, 1.0]], "b1": [-0.5, -1.5], "W2": [[1.0], [0.0]], "b2": [-0.5]}
XOR_TARGETS = np.array([0, 1, 1, 0])


def two_layers(params, hidden_activation=step_function):
    hidden = layer_forward(INPUTS, params["W1"], params["b1"], hidden_activation)
    return hidden, layer_forward(hidden, params["W2"], params["b2"], step_function)[:, 0]


def stated(text):
    assert text in MARKDOWN, f"the notebook should state {text!r}"


def test_the_explorer_answers_state_computed_numbers():
    hidden, outputs = two_layers(START_PARAMS)
    stated(f"**{int(np.sum(outputs == XOR_TARGETS))} of 4 right**")
    assert hidden[1].tolist() == hidden[2].tolist() == [1, 0]
    stated("$(h_1, h_2) = (1, 0)$")
    assert [sum(XOR_TARGETS[(hidden == point).all(axis=1)]) > 0 for point in np.unique(hidden, axis=0)] == \
        [False, True, False]   # (0,0) -> 0, (1,0) -> 1, (1,1) -> 0
    # the example line h1 - 2 h2 - 0.5 > 0 separates them
    assert ((hidden @ [1, -2] - 0.5 > 0).astype(int) == XOR_TARGETS).all()
    stated("$h_1 - 2h_2 - 0.5 > 0$")
    solved = {**START_PARAMS, "W2": [[1.0], [-2.0]]}
    assert (two_layers(solved)[1] == XOR_TARGETS).all() and 1 - 2 - 0.5 < 0
    stated("`W2[1,0] = -2`")
    stated("$1 - 2 - 0.5 < 0$")
    lecture_hidden, lecture_out = two_layers(LECTURE_XOR)
    assert (lecture_out == XOR_TARGETS).all()
    assert lecture_hidden.tolist() == [[1, 0], [1, 1], [1, 1], [0, 1]]
    stated("$(0,0)$ lands on $(1, 0)$, the two middle inputs on $(1, 1)$ and $(1,1)$ on $(0, 1)$")


def test_the_identity_start_and_the_c_cubed_example_are_stated():
    _, outputs = two_layers(START_PARAMS, identity)
    right = int(np.sum(outputs == XOR_TARGETS))
    stated(f"only **{right} of 4** rows is right")
    assert outputs.tolist() == [0, 0, 0, 1]   # "the output is 1 only for (1, 1)"
    c, x = 2.0, 1.7
    assert identity(c * (c * (c * x))) == pytest.approx(8 * x)
    stated(f"$c = 2$, three layers give $y = {int(c ** 3)}x$")


def test_the_shapes_and_the_parameter_count_are_stated():
    sizes, rng = [784, 50, 100, 10], np.random.default_rng(0)
    for X, first in ((rng.random(784), ""), (rng.random((100, 784)), "100, ")):
        A, shapes = X, [f"X ({first}784{',' if not first else ''})"]
        for l, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]), 1):
            A = A @ rng.normal(size=(n_in, n_out)) + np.zeros(n_out)
            shapes.append(f"A{l} {A.shape}".replace("(100,)", "(100,)"))
        for shape in shapes:
            stated(shape)
    count = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:]))
    stated(f"{count:,}".replace(",", "{,}") + "$ numbers")


def test_the_overflow_numbers_are_stated():
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(np.array([1010.0, 1000.0, 990.0]))
        assert np.isinf(e).all() and np.isnan(e / e.sum()).all()
    largest = np.finfo(float).max
    stated(f"{largest / 10 ** 308:.1f} \\times 10^{{308}} = e^{{{np.log(largest):.2f}}}")
    assert 990 > np.log(largest)
    stated(f"above {np.log(largest):.2f}")


def test_the_collapse_demo_answer_is_stated():
    rng = np.random.default_rng(5)   # the notebook's demo cell, with the test's own code
    net = {"W1": rng.normal(size=(2, 5)), "b1": rng.normal(size=5),
           "W2": rng.normal(size=(5, 3)), "b2": rng.normal(size=3)}
    X = rng.normal(size=(1000, 2))
    W, b = collapse(net)
    two = (X @ net["W1"] + net["b1"]) @ net["W2"] + net["b2"]
    assert np.max(np.abs(two - (X @ W + b))) < 1e-12
    stated(f"`W {W.shape}  b {b.shape}`")
    stated("far below 1e-12")
