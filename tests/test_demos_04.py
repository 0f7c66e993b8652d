"""The demo of 04_xor_mlp, driven directly: hidden points, lines, truth table, messages, extremes."""

import numpy as np
import pytest

from course.widgets import xor_network_explorer
from demo_checks import assert_plot_shown, sweep_every_slider

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
