"""The demos of 02_logic_gates, driven directly: rows and marks, 'solved!', the gallery, messages,
slider extremes."""

import itertools
from pathlib import Path

import nbformat
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


# ---------------------------------------------------------------------------------------------
# Every number the notebook's text states, computed here with the reference code of this file.

NOTEBOOK = Path(__file__).resolve().parent.parent / "source" / "02_logic_gates" / "logic_gates.ipynb"
AND_TABLE, OR_TABLE = [0, 0, 0, 1], [0, 1, 1, 1]


def notebook_markdown():
    """All markdown of the source notebook, typographic minus signs made plain, whitespace runs one space."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    return " ".join("\n".join(c.source for c in cells if c.cell_type == "markdown").replace("−", "-").split())


def assert_stated(*texts):
    markdown = notebook_markdown()
    missing = [text for text in texts if " ".join(text.split()) not in markdown]
    assert not missing, f"the notebook's text does not state {missing}"


def net_inputs(w1, w2, b):
    return b + INPUTS @ np.array([w1, w2], dtype=float)


def listed(values, digits=1):
    """'-1.5, -0.5, -0.5, 0.5' for numbers, '0, 1, 1, 1' for outputs."""
    return ", ".join(f"{v:.{digits}f}" if digits else str(int(v)) for v in values)


def test_the_first_truth_table_and_its_net_inputs_are_stated():
    assert perceptron(INPUTS, (1.0, 1.0), -1.5).tolist() == AND_TABLE
    assert_stated("`array([0, 0, 0, 1])`", listed(net_inputs(1.0, 1.0, -1.5)), "$w = (1.0, 1.0)$ and $b = -1.5$")


def test_the_or_slide_as_labelled_always_fires_and_its_sums_are_those_of_or():
    labelled = net_inputs(-0.5, 1.0, 1.0)
    assert perceptron(INPUTS, (-0.5, 1.0), 1.0).tolist() == [1, 1, 1, 1]
    assert perceptron(INPUTS, (1.0, 1.0), -0.5).tolist() == OR_TABLE
    assert_stated(listed(labelled), f"the outputs are ${listed([1, 1, 1, 1], 0)}$",
                  f"$S$ column ${listed(net_inputs(1.0, 1.0, -0.5))}$", f"`{OR_TABLE}`",
                  "$w = (-0.5, 1.0)$, $b = 1.0$")
    # the slide's AND sums are those of b = -1.5, and the table quotes them
    assert_stated(f"$S = {listed(net_inputs(1.0, 1.0, -1.5))}$")


def slide_statements():
    """Which of SLIDE_AND's four statements the numbers of b = -1 support."""
    net, slide_sums = net_inputs(1.0, 1.0, -1.0), net_inputs(1.0, 1.0, -1.5)
    out = perceptron(INPUTS, (1.0, 1.0), -1.0).tolist()
    return {"a": out != AND_TABLE,
            "b": out == AND_TABLE and not np.allclose(net, slide_sums) and int((net == 0).sum()) == 2,
            "c": bool(np.allclose(net, slide_sums)),
            "d": out == OR_TABLE}


def test_slide_and_has_exactly_one_true_statement_and_the_solution_is_it():
    holds = slide_statements()
    (right,) = [letter for letter, true in holds.items() if true]
    (answer,) = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells
                 if c.metadata.get("nbgrader", {}).get("grade_id") == "SLIDE_AND"]
    assert f'SLIDE_AND = "{right}"' in answer
    # "nudge b up by any tiny amount and it becomes OR"; b = -1.5 keeps every net input 0.5 from 0
    assert perceptron(INPUTS, (1.0, 1.0), -1.0 + 1e-9).tolist() == OR_TABLE
    assert np.abs(net_inputs(1.0, 1.0, -1.5)).min() == 0.5
    assert_stated("nudge $b$ up by any tiny amount and it becomes OR", "keeps every input's net input at least $0.5$ away from 0",
                  "two inputs have a net input of exactly 0")


def test_the_explorer_prediction_is_what_the_explorer_shows():
    demo = gate_explorer(perceptron, gate="AND")          # the notebook's call: default sliders
    w1, w2, b = demo.controls["w1"].value, demo.controls["w2"].value, demo.controls["b"].value
    right = sum(row[5] for row in demo.rows)
    assert perceptron(INPUTS, (w1, w2), b).tolist() == OR_TABLE and right == 2
    assert_stated(f"$w = ({w1}, {w2})$, $b = {b:g}$", f"the net inputs are ${listed(net_inputs(w1, w2, b))}$",
                  f"the outputs are\n${listed(OR_TABLE, 0)}$", "2 of the 4 AND rows are right")


def test_the_explorer_answers_hold():
    assert perceptron(INPUTS, (1.0, 0.5), -1.2).tolist() == AND_TABLE      # a second AND
    assert_stated("$w = (1.0, 0.5)$, $b = -1.2$ gives " + f"${listed(net_inputs(1.0, 0.5, -1.2))}$")
    assert perceptron(INPUTS, (1.0, 1.0), -1.5).tolist() == AND_TABLE      # OR with b lowered
    for (w1, w2, b), flipped in [((0.5, 0.5, -0.7), [1, 1, 1, 0]), ((1.0, 1.0, -0.5), [1, 0, 0, 0])]:
        assert perceptron(INPUTS, (-w1, -w2), -b).tolist() == flipped      # AND -> NAND, OR -> NOR
    values = np.linspace(-2, 2, 41)                                        # XOR: at most three rows
    triples = np.array(list(itertools.product(values, repeat=3)))
    outputs = (triples[:, 2:3] + triples[:, :2] @ INPUTS.T > 0).astype(int)
    assert (outputs == GATE_TABLES["XOR"]).sum(axis=1).max() == 3
    assert_stated("At most three.")


def test_the_gallery_answers_hold():
    first = find_perceptron_params(AND_TABLE)
    np.testing.assert_allclose(first, (0.1, 0.1, -0.2))
    assert find_perceptron_params(GATE_TABLES["XOR"]) is None and find_perceptron_params(GATE_TABLES["XNOR"]) is None
    net = net_inputs(0.5, 0.5, -0.7)
    assert perceptron(INPUTS, (0.5, 0.5), -0.7).tolist() == AND_TABLE and np.abs(net).min() == pytest.approx(0.2)
    assert 201 ** 3 == 8120601
    assert_stated("$(0.1, 0.1, -0.2)$", "$x_1 + x_2 = 2$", f"net inputs\n${listed(net)}$",
                  "at least $0.2$ away", "$201^3 = 8120601$", "XOR and XNOR have no line")


def test_and_count_grid_and_why_integers():
    values = [-2, -1, 0, 1, 2]
    assert len(list(itertools.product(values, repeat=3))) == 125
    assert_stated("`values = [-2, -1, 0, 1, 2]`", "$5^3 = 125$")
    # on the default grid, rounding decides: the float count differs from the exact (tenths) count
    grid = np.array(list(itertools.product(np.linspace(-1, 1, 21), repeat=3)))
    tenths = np.array(list(itertools.product(range(-10, 11), repeat=3)))
    float_count = ((grid[:, 2:3] + grid[:, :2] @ INPUTS.T > 0).astype(int) == AND_TABLE).all(axis=1).sum()
    exact_count = ((tenths[:, 2:3] + tenths[:, :2] @ INPUTS.T > 0).astype(int) == AND_TABLE).all(axis=1).sum()
    assert float_count != exact_count


def test_graded_answers_are_not_given_away_in_the_answers():
    answers = "\n".join(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells
                        if c.cell_type == "markdown" and "<details><summary>Hint" not in c.source)
    values = np.array(list(itertools.product([-2, -1, 0, 1, 2], repeat=3)), dtype=float)
    count = int(((values[:, 2:3] + values[:, :2] @ INPUTS.T > 0).astype(int) == AND_TABLE).all(axis=1).sum())
    assert f"AND_COUNT = {count}" not in answers and f"{count} of the 125" not in answers
    assert 'SLIDE_AND = "' not in answers
