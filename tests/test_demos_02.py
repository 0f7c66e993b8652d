"""The demos of 02_logic_gates, driven directly: rows and marks, 'solved!', the gallery, messages,
slider extremes."""

import itertools

import numpy as np
import pytest

from course.widgets import gate_explorer, gate_gallery
from course.widgets.gates import EXPLORER_GATES, GATE_TABLES
from demo_checks import assert_plot_shown, sweep_every_slider

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


# Reference answers live here, in the tests, never in course/.
def perceptron(x, w, b):
    return (b + np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) > 0).astype(int)


def find_perceptron_params(targets, values=np.linspace(-1, 1, 21)):
    for w1, w2, b in itertools.product(values, repeat=3):
        if np.array_equal(perceptron(INPUTS, (w1, w2), b), targets):
            return (w1, w2, b)
    return None


def unwritten(*args):
    raise NotImplementedError("Replace this line with your code")


def test_gate_tables_follow_the_course_order():
    assert GATE_TABLES["AND"] == (0, 0, 0, 1) and GATE_TABLES["NAND"] == (1, 1, 1, 0)
    assert GATE_TABLES["OR"] == (0, 1, 1, 1) and GATE_TABLES["NOR"] == (1, 0, 0, 0)
    assert GATE_TABLES["XOR"] == (0, 1, 1, 0) and GATE_TABLES["XNOR"] == (1, 0, 0, 1)


def test_gate_explorer_marks_each_row_and_says_solved():
    demo = gate_explorer(perceptron, gate="AND", w1=0.5, w2=0.5, b=-0.7)
    assert demo.solved
    assert demo.rows == [(0, 0, -0.7, 0, 0, True), (0, 1, pytest.approx(-0.2), 0, 0, True),
                         (1, 0, pytest.approx(-0.2), 0, 0, True), (1, 1, pytest.approx(0.3), 1, 1, True)]
    assert "AND solved!" in demo.table.value
    assert "✘" not in demo.table.value
    demo.controls["gate"].value = "OR"          # same weights, another target: (0,1), (1,0) wrong
    assert not demo.solved
    assert [row[5] for row in demo.rows] == [True, False, False, True]
    assert "2 of 4 rows right for OR" in demo.table.value and demo.table.value.count("✘") == 2
    assert [label.get_text() for label in demo.region.labels] == ["0 ✔", "1 ✘", "1 ✘", "1 ✔"]
    assert_plot_shown(demo)


def test_gate_explorer_shades_the_output_and_colours_the_dots_by_the_target():
    demo = gate_explorer(perceptron, gate="NOR", w1=1.0, w2=0.0, b=-0.5)   # fires for x1 > 0.5
    shaded = demo.region.region.get_array().reshape(-1)
    np.testing.assert_array_equal(shaded, (demo.region.grid[:, 0] > 0.5).astype(float))
    colours = demo.region.points.get_facecolors()
    assert (colours[0] != colours[1]).any() and (colours[1] == colours[2]).all()   # NOR: 1, 0, 0, 0


@pytest.mark.parametrize("gate, w1, w2, b", [("AND", 1.0, 1.0, -1.5), ("NAND", -0.5, -0.5, 0.7),
                                              ("OR", 1.0, 1.0, -0.5), ("NOR", -1.0, -1.0, 0.5)])
def test_moving_the_sliders_to_a_solution_says_solved(gate, w1, w2, b):
    demo = gate_explorer(perceptron, gate=gate, w1=0.0, w2=0.0, b=0.0)
    assert not demo.solved
    demo.controls["w1"].value, demo.controls["w2"].value, demo.controls["b"].value = w1, w2, b
    assert demo.solved and f"{gate} solved!" in demo.table.value


def test_xor_is_never_solved():
    demo = gate_explorer(perceptron, gate="XOR")
    for w1, w2, b in itertools.product([-2.0, -0.5, 0.5, 2.0], [-1.0, 1.0], [-1.5, -0.25, 0.75]):
        demo.controls["w1"].value, demo.controls["w2"].value, demo.controls["b"].value = w1, w2, b
        assert not demo.solved and sum(row[5] for row in demo.rows) <= 3


def test_gate_explorer_says_which_function_is_missing():
    demo = gate_explorer(unwritten)
    assert demo.problem.startswith("Implement unwritten first")
    assert demo.image.layout.display == "none" and demo.table.value == ""


def test_gate_explorer_rejects_an_unknown_gate():
    with pytest.raises(ValueError, match="gate must be one of AND, NAND, OR, NOR, XOR"):
        gate_explorer(perceptron, gate="XNOR")


@pytest.mark.parametrize("gate", EXPLORER_GATES)
def test_gate_explorer_survives_slider_extremes(gate):
    sweep_every_slider(gate_explorer(perceptron, gate=gate))


def test_gate_gallery_shows_what_the_search_found():
    demo = gate_gallery(perceptron, find_perceptron_params)
    for gate in ("AND", "NAND", "OR", "NOR"):
        w1, w2, b = demo.found[gate]
        np.testing.assert_array_equal(perceptron(INPUTS, (w1, w2), b), GATE_TABLES[gate])
        ax, region = demo.panels[gate]
        assert region.region.get_visible() and gate in ax.get_title()
    for gate in ("XOR", "XNOR"):
        ax, region = demo.panels[gate]
        assert demo.found[gate] is None
        assert ax.get_title() == f"{gate}: no line on the grid"
        assert not region.region.get_visible() and len(region.line.get_xdata()) == 0
    assert_plot_shown(demo)


def test_gate_gallery_says_which_function_is_missing_or_wrong():
    assert gate_gallery(perceptron, unwritten).problem.startswith("Implement unwritten first")

    def find_perceptron_params(targets, values=None):
        return (1.0, 1.0, 1.0)      # right shape, wrong gate
    problem = gate_gallery(perceptron, find_perceptron_params).problem
    assert problem.startswith("Your find_perceptron_params([0, 0, 0, 1]) returned (1.0, 1.0, 1.0)")

    def find_perceptron_params(targets, values=None):
        return "AND"
    assert "expected a triple (w1, w2, b) or None" in gate_gallery(perceptron, find_perceptron_params).problem
