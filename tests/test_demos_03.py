"""The demo of 03_learning_rule, driven directly: steps, epochs, training, the table of updates,
cycling on XOR, messages for unwritten code, slider extremes."""

import inspect
import re
from fractions import Fraction

import nbformat
import numpy as np
import pytest

from conftest import ROOT
from course.widgets import learning_stepper
from course.widgets.learning import MAX_EPOCHS, STEPPER_GATES
from demo_checks import assert_plot_shown, sweep_every_slider


# Reference answers live here, in the tests, never in course/.
def perceptron(x, w, b):
    return (b + np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) > 0).astype(int)


def perceptron_update(w, b, x, y, eta):
    o = perceptron(x, w, b)
    return np.asarray(w, dtype=float) + eta * (y - o) * np.asarray(x, dtype=float), b + eta * (y - o)


def press(demo, button, times=1):
    for _ in range(times):
        demo.controls[button].click()


def test_steps_on_or_from_the_slides_start():
    demo = learning_stepper(perceptron_update, perceptron, gate="OR", eta=0.05)
    assert "sample 1 of 4: x = (0, 0), y = 0, o = 0: right" in demo.status.value
    press(demo, "step", 2)
    assert len(demo.rows) == 2
    first, second = demo.rows
    assert first[:4] == (1, "(0, 0)", 0, 0) and first[4:7] == (0, 0, 0)
    assert second[:4] == (1, "(0, 1)", 1, 0)
    np.testing.assert_allclose(second[4:], [0.0, 0.05, 0.05, 0.55, 0.60, -0.60], atol=1e-12)
    assert "a mistake: w ← w + 0.05·(1 − 0)·x = (0.60, 0.60), b ← b + 0.05·(1 − 0) = -0.55" in demo.status.value
    assert demo.ring.get_data() == ([1.0], [0.0])          # the next sample is (1, 0)
    assert "0.05" in demo.table.value and "<td" in demo.table.value
    assert_plot_shown(demo)


def test_an_epoch_then_training_reach_the_seeds_numbers():
    demo = learning_stepper(perceptron_update, perceptron, gate="OR", eta=0.05)
    press(demo, "epoch")
    assert demo.errors == [2] and demo.epoch == 2 and demo.index == 0
    press(demo, "train")
    assert demo.errors == [2, 0] and demo.converged
    np.testing.assert_allclose([*demo.w, demo.b], [0.60, 0.60, -0.55], atol=1e-12)
    assert "Converged" in demo.status.value and "epoch 2 made no mistake" in demo.status.value
    np.testing.assert_array_equal(demo.curve.get_xdata(), [1, 2])
    np.testing.assert_array_equal(demo.curve.get_ydata(), [2, 0])
    assert "OR: w = (0.60, 0.60), b = -0.55" == demo.ax.get_title()
    assert_plot_shown(demo)


def test_and_from_the_slides_start_needs_no_update():
    demo = learning_stepper(perceptron_update, perceptron, gate="AND", eta=0.05)
    press(demo, "train")
    assert demo.errors == [0]
    assert all(row[4:7] == (0, 0, 0) for row in demo.rows)


def test_train_finishes_a_started_epoch_first():
    demo = learning_stepper(perceptron_update, perceptron, gate="OR")
    press(demo, "step", 3)
    press(demo, "train")
    assert demo.errors == [2, 0] and len(demo.history) == 8


@pytest.mark.parametrize("gate, eta, epochs", [("NAND", 0.04, 28), ("NAND", 0.5, 8), ("OR", 0.5, 2), ("OR", 1.0, 4)])
def test_the_epoch_counts_the_notebook_quotes(gate, eta, epochs):
    demo = learning_stepper(perceptron_update, perceptron, gate=gate, eta=eta)
    press(demo, "train")
    assert demo.converged and len(demo.errors) == epochs


def test_a_tiny_eta_on_nor_does_not_finish_in_max_epochs():
    demo = learning_stepper(perceptron_update, perceptron, gate="NOR", eta=0.01)
    press(demo, "train")
    assert len(demo.errors) == MAX_EPOCHS and not demo.converged
    assert f"No epoch without mistakes after {MAX_EPOCHS} epochs" in demo.status.value


def test_xor_cycles_and_never_converges():
    demo = learning_stepper(perceptron_update, perceptron, gate="XOR", eta=0.04)
    press(demo, "train")
    assert len(demo.errors) == MAX_EPOCHS and min(demo.errors) > 0
    assert demo.cycle == (47, 48)
    assert "Cycling:</b> epoch 48 starts with exactly the weights epoch 47 started with" in demo.status.value
    assert_plot_shown(demo)


def test_reset_and_a_new_gate_go_back_to_the_start():
    demo = learning_stepper(perceptron_update, perceptron, gate="OR")
    press(demo, "train")
    press(demo, "reset")
    assert demo.errors == [] and demo.history == [] and demo.table.value.count("<tr>") == 1
    np.testing.assert_allclose([*demo.w, demo.b], [0.55, 0.55, -0.65])
    press(demo, "epoch")
    demo.controls["gate"].value = "NAND"
    assert demo.errors == [] and demo.epoch == 1 and demo.index == 0
    assert "NAND" in demo.ax.get_title()


def test_eta_applies_from_the_next_step():
    demo = learning_stepper(perceptron_update, perceptron, gate="OR", eta=0.05)
    press(demo, "step")
    demo.controls["eta"].value = 0.5
    press(demo, "step")
    np.testing.assert_allclose(demo.rows[-1][4:7], [0.0, 0.5, 0.5])


def test_an_in_place_update_by_the_learner_does_not_corrupt_the_demo():
    def perceptron_update_in_place(w, b, x, y, eta):
        o = perceptron(x, w, b)
        w += eta * (y - o) * x                  # a learner's in-place update
        return w, b + eta * (y - o)
    demo = learning_stepper(perceptron_update_in_place, perceptron, gate="OR")
    press(demo, "step", 2)
    np.testing.assert_allclose(demo.rows[-1][4:], [0.0, 0.05, 0.05, 0.55, 0.60, -0.60], atol=1e-12)


def test_unwritten_code_gets_one_sentence():
    def perceptron_update(w, b, x, y, eta):
        raise NotImplementedError("Replace this line with your code")
    demo = learning_stepper(perceptron_update, perceptron)
    assert demo.problem.startswith("Implement perceptron_update first")
    press(demo, "step")
    assert demo.problem.startswith("Implement perceptron_update first")
    assert demo.image.layout.display == "none" and demo.history == []


@pytest.mark.parametrize("result, says", [(None, "did you forget `return new_w, new_b`"),
                                          ((1.0, 2.0, 3.0), "it must return a pair (new w, new b)"),
                                          (([1.0], 0.0), "expected w like the input w")])
def test_a_bad_result_is_explained(result, says):
    demo = learning_stepper(lambda w, b, x, y, eta: result, perceptron)
    assert says in demo.problem


def test_rejects_an_unknown_gate():
    with pytest.raises(ValueError, match="gate must be one of"):
        learning_stepper(perceptron_update, perceptron, gate="XNOR")


@pytest.mark.parametrize("gate", STEPPER_GATES)
def test_survives_slider_extremes_after_training(gate):
    demo = learning_stepper(perceptron_update, perceptron, gate=gate)
    press(demo, "train")
    sweep_every_slider(demo)
    press(demo, "epoch")
    assert_plot_shown(demo)


# ---- the numbers the notebook's text states, computed here -----------------------------------------------
TRUTH = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
GATES = {"NAND": [1, 1, 1, 0], "OR": [0, 1, 1, 1], "NOR": [1, 0, 0, 0], "XOR": [0, 1, 1, 0]}
START = (np.array([0.55, 0.55]), -0.65)          # the slide's start, also the stepper's


def markdown():
    """All markdown of the source notebook, with − as - and every run of whitespace as one space."""
    notebook = nbformat.read(ROOT / "source" / "03_learning_rule" / "learning_rule.ipynb", as_version=4)
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return re.sub(r"\s+", " ", text.replace("−", "-"))


def solution_source(grade_id):
    notebook = nbformat.read(ROOT / "source" / "03_learning_rule" / "learning_rule.ipynb", as_version=4)
    return next(c.source for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def f2(value):
    return f"{round(float(value), 9) + 0.0:.2f}"


def train(targets, eta, w=START[0], b=START[1], max_epochs=100, online=True, number=float):
    """Online (or batch) training in table order, in floating point or, with ``number=Fraction``, in
    exact arithmetic (each decimal as written); returns (w, b, mistakes per epoch, weights at each
    epoch's start, net inputs that were exactly 0)."""
    exact = number is Fraction
    w, b, eta = [number(str(v)) if exact else float(v) for v in w], number(str(b)), number(str(eta))
    errors, starts, ties = [], [], 0
    for _ in range(max_epochs):
        starts.append(tuple(round(v, 9) for v in (*w, b)))
        errors.append(0)
        dw, db = [0, 0], 0
        for x, y in zip(TRUTH.astype(int).tolist(), targets):
            a = b + (w[0] * x[0] + w[1] * x[1])   # as the perceptron computes it: b + x @ w
            ties += exact and a == 0
            o = int(a > 0)
            errors[-1] += int(o != y)
            dw, db = [d + eta * (y - o) * xi for d, xi in zip(dw, x)], db + eta * (y - o)
            if online:
                w, b, dw, db = [v + d for v, d in zip(w, dw)], b + db, [0, 0], 0
        w, b = [v + d for v, d in zip(w, dw)], b + db
        if errors[-1] == 0:
            break
    return np.array(w, dtype=float), float(b), errors, starts, ties


def exactly(targets, eta, **settings):
    """``train`` in floating point, after checking that exact arithmetic gives the same mistakes in
    every epoch and never a net input of exactly 0 (no point on the line, where rounding decides)."""
    result = train(targets, eta, **settings)
    w, b, errors, starts, ties = train(targets, eta, number=Fraction, **settings)
    assert ties == 0 and errors == result[2], \
        f"η = {eta}: {ties} net inputs exactly 0; mistakes {errors} on paper, {result[2]} in floating point"
    np.testing.assert_allclose([*result[0], result[1]], [*w, b], atol=1e-9)
    return result


def test_the_stepper_starts_where_the_notebook_says():
    defaults = inspect.signature(learning_stepper).parameters
    assert (tuple(defaults["w"].default), defaults["b"].default) == (tuple(START[0]), START[1])
    assert "$w = (0.55, 0.55)$, $b = -0.65$: the two give the same counts" in markdown()


def test_the_three_updates_of_the_slips_table():
    """The rule, the rule without eta (eta = 1) and the wrong sign, on OR's (0, 1) from the slide's start."""
    w0, b0 = START
    x, y, o = TRUTH[1], 1, 0
    rows = {"start": (w0, b0),
            "the rule, η = 0.05": (w0 + 0.05 * (y - o) * x, b0 + 0.05 * (y - o)),
            "no η (η = 1)": (w0 + 1 * (y - o) * x, b0 + 1 * (y - o)),
            "wrong sign": (w0 + 0.05 * (o - y) * x, b0 + 0.05 * (o - y))}
    text = markdown()
    for name, (w, b) in rows.items():
        row = (f"| {name} | ({f2(w[0])}, {f2(w[1])}) | {f2(b)} | "
               + ", ".join(f2(a) for a in b + TRUTH @ w) + " |")
        assert row in text, row
    a = {name: b + TRUTH @ w for name, (w, b) in rows.items()}
    assert f2(a["the rule, η = 0.05"][1] - a["start"][1]) == "0.10"
    # on paper a = 0 exactly (so o = 0); in floats it is a rounding error away from 0, either side
    assert f2(a["the rule, η = 0.05"][1]) == "0.00" and a["the rule, η = 0.05"][1] != 0
    assert "raises the net input of $(0, 1)$ by $0.10$" in text
    assert "($a = 0.00$ to two decimals: on paper the step still gives $o = 0$, in floating point the rounding decides)" in text
    assert round(1 / 0.05) == 20 and "the step is 20 times larger: $a$ jumps to $1.90$" in text
    assert a["no η (η = 1)"][0] > 0 and "$b$ becomes $0.35 > 0$, so $(0, 0)$, which was right, now fires" in text
    assert f2(a["wrong sign"][1]) == "-0.20" and "The wrong sign** lowers $a$ to $-0.20$" in text
    assert f2(a["start"][1]) == "-0.10" and "(net input $a = -0.10$)" in text


def test_the_answers_quote_the_training_results():
    text = markdown()
    w, b, errors, *_ = exactly(GATES["OR"], 0.05)
    assert (f2(w[0]), f2(w[1]), f2(b), len(errors)) == ("0.60", "0.60", "-0.55", 2)
    assert "*Train* stops at $w = (0.60, 0.60)$, $b = -0.55$ after 2 epochs" in text
    assert len(train(GATES["NOR"], 0.01)[2]) == 100                      # not within 100 epochs ...
    # NOR at 0.01 has net inputs of exactly 0 on the way, yet paper and floating point agree on the count
    nor_errors = train(GATES["NOR"], 0.01, max_epochs=200)[2]
    assert len(nor_errors) == 124 and nor_errors[-1] == 0                # ... but after 124
    assert len(train(GATES["NOR"], 0.01, max_epochs=200, number=Fraction)[2]) == 124
    assert "NOR at η = 0.01 needs 124 epochs" in text and "`max_epochs=200`" in text
    assert (len(exactly(GATES["OR"], 1.0)[2]), len(exactly(GATES["OR"], 0.5)[2])) == (4, 2)
    assert "OR at η = 1.0 needs 4 epochs against 2 at η = 0.5" in text
    first_b = START[1] + 1.0 * (1 - 0)                                    # OR's first mistake is (0, 1)
    assert f2(first_b) == "0.35" and "the very first correction sets $b = 0.35$" in text


def test_the_answers_quote_the_xor_cycle():
    *_, starts, _ = exactly(GATES["XOR"], 0.04)
    *_, exact_starts, _ = train(GATES["XOR"], 0.04, number=Fraction)
    for found in (starts, exact_starts):
        later = next(k for k in range(len(found)) if found[k] in found[:k])
        assert (found.index(found[later]) + 1, later + 1) == (47, 48)
    assert "set η = 0.04 and press *Train*" in markdown()
    assert "From the slide's start at η = 0.04, epoch 48 starts with exactly the weights epoch 47 started with" \
        in markdown()


def test_online_and_batch_differ_as_the_text_says():
    online = exactly(GATES["OR"], 0.2)
    batch = exactly(GATES["OR"], 0.2, online=False)
    assert online[2] == [1, 0] and [f2(v) for v in (*online[0], online[1])] == ["0.55", "0.75", "-0.45"]
    assert batch[2] == [2, 0] and [f2(v) for v in (*batch[0], batch[1])] == ["0.75", "0.75", "-0.25"]
    text = markdown()
    assert "Take OR from the same start with $\\eta = 0.2$" in text
    assert "($a = -0.45 + 0.55 = 0.10$, so $o = 1$, right): 1 mistake, then a clean epoch" in text
    assert "$w = (0.55, 0.75)$, $b = -0.45$" in text
    assert "it ends at $w = (0.75, 0.75)$, $b = -0.25$, after epochs of $2, 0$ mistakes" in text


def test_the_graded_examples_are_tie_free():
    """What test_train_perceptron and test_NAND_EPOCHS compare with comes out the same on paper:
    a learner who computes differently (in another order, or with fractions) gets the same answer."""
    for targets in ([0, 0, 0, 1], [1, 1, 1, 0], [0, 1, 1, 1], [1, 0, 0, 0], [0, 1, 0, 1]):
        exactly(targets, 0.1, w=(0.03, -0.02), b=0.01)
    exactly(GATES["XOR"], 0.05, b=-0.63)
    exactly(GATES["OR"], 0.2, online=False)
    for eta in (0.04, 0.5):
        exactly(GATES["NAND"], eta)
    source = solution_source("test_train_perceptron")
    assert "compare(TRUTH_INPUTS, gate_y, [0.03, -0.02], 0.01, 0.1)" in source
    assert "compare(TRUTH_INPUTS, XOR_Y, W0, -0.63)" in source
    assert "[0.0, 0.0], 0.0, 0.1" not in source


def test_the_lectures_or_and_the_learned_or_both_compute_or():
    for w, b in [((0.60, 0.60), -0.55), ((1.0, 1.0), -0.5)]:
        assert perceptron(TRUTH, w, b).tolist() == GATES["OR"]
    assert "stops at $(0.60, 0.60, -0.55)$, a different triple from the $(1.0, 1.0, -0.5)$" in markdown()


def test_nand_epochs_solution_is_what_the_stepper_measures():
    expected = tuple(len(exactly(GATES["NAND"], eta)[2]) for eta in (0.04, 0.5))
    assert expected == (28, 8)
    assert f"NAND_EPOCHS = {expected}" in solution_source("NAND_EPOCHS")
    # the text's reason for 0.04: at 0.05 paper and floating point disagree
    on_paper = train(GATES["NAND"], 0.05, number=Fraction)
    assert (len(on_paper[2]), len(train(GATES["NAND"], 0.05)[2])) == (24, 22) and on_paper[4] > 0
    assert "on paper training takes 24 epochs, in floating point 22" in markdown()
    for eta, epochs in zip((0.04, 0.5), expected):
        demo = learning_stepper(perceptron_update, perceptron, gate="NAND", eta=eta)
        press(demo, "train")
        assert demo.converged and len(demo.errors) == epochs
