"""The demo of 03_learning_rule, driven directly: steps, epochs, training, the table of updates,
cycling on XOR, messages for unwritten code, slider extremes."""

import numpy as np
import pytest

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


@pytest.mark.parametrize("gate, eta, epochs", [("NAND", 0.05, 22), ("NAND", 0.5, 8), ("OR", 0.5, 2), ("OR", 1.0, 4)])
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
    demo = learning_stepper(perceptron_update, perceptron, gate="XOR", eta=0.05)
    press(demo, "train")
    assert len(demo.errors) == MAX_EPOCHS and min(demo.errors) > 0
    assert demo.cycle == (40, 41)
    assert "Cycling:</b> epoch 41 starts with exactly the weights epoch 40 started with" in demo.status.value
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
