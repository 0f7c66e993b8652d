"""The digit viewer of 07_digits, driven directly with synthetic images and a reference network."""

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from course.widgets import digit_viewer
from course.widgets.digits import MISTAKES, RIGHT_COLOUR
from demo_checks import assert_plot_shown, sweep_every_slider


# Reference answers live here, in the tests, never in course/.
def forward_softmax(X, params):
    X = np.asarray(X, dtype=float)
    Z1 = X @ params["W1"] + params["b1"]
    A1 = 1 / (1 + np.exp(-Z1))
    Z2 = A1 @ params["W2"] + params["b2"]
    E = np.exp(Z2 - Z2.max(axis=-1, keepdims=True))
    return {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": E / E.sum(axis=-1, keepdims=True)}


def unwritten(*args):
    raise NotImplementedError("Replace this line with your code")


rng = np.random.default_rng(7)
PARAMS = {"W1": rng.normal(size=(64, 8)), "b1": np.zeros(8), "W2": 3 * rng.normal(size=(8, 10)), "b2": np.zeros(10)}
IMAGES = rng.uniform(size=(30, 64))
PROBS = forward_softmax(IMAGES, PARAMS)["A2"]
PREDICTED = PROBS.argmax(axis=1)
LABELS = np.where(np.arange(30) % 3 == 0, (PREDICTED + 1) % 10, PREDICTED)   # every third one wrong


def test_viewer_shows_the_image_and_the_learners_probabilities():
    demo = digit_viewer(forward_softmax, PARAMS, IMAGES, LABELS)
    demo.controls["index"].value = 4
    assert demo.shown == 4
    np.testing.assert_allclose([bar.get_height() for bar in demo.bars], PROBS[4])
    np.testing.assert_allclose(demo.picture.get_array(), IMAGES[4].reshape(8, 8))
    assert demo.ax_bars.get_title().startswith(f"predicted {PREDICTED[4]} (p = {PROBS[4].max():.2f}): right")
    assert demo.bars[LABELS[4]].get_facecolor()[:3] == pytest.approx(to_rgb(RIGHT_COLOUR)), "the true digit is green"
    assert "20 of 30 right (66.7%); 10 mistakes" in demo.table.value
    assert_plot_shown(demo)


def test_mistakes_only_browses_the_wrong_predictions():
    demo = digit_viewer(forward_softmax, PARAMS, IMAGES, LABELS)
    demo.controls["show"].value = MISTAKES
    seen = set()
    for index in range(12):
        demo.controls["index"].value = index
        assert LABELS[demo.shown] != PREDICTED[demo.shown]
        assert ": wrong" in demo.ax_bars.get_title()
        seen.add(demo.shown)
    assert seen == set(range(0, 30, 3)), "the index wraps around the 10 mistakes"


def test_viewer_with_no_mistakes_says_so():
    demo = digit_viewer(forward_softmax, PARAMS, IMAGES, PREDICTED)
    demo.controls["show"].value = MISTAKES
    assert demo.problem.startswith("No mistakes")


def test_viewer_says_what_to_do_first():
    assert digit_viewer(forward_softmax, None, IMAGES, LABELS).problem.startswith("Train the network first")
    demo = digit_viewer(unwritten, PARAMS, IMAGES, LABELS)
    assert demo.problem.startswith("Implement unwritten first")
    assert demo.image.layout.display == "none"


def test_viewer_explains_a_forward_that_returns_the_wrong_shape():
    demo = digit_viewer(lambda X, params: {"A1": np.zeros((30, 8)), "A2": np.zeros(10)}, PARAMS, IMAGES, LABELS)
    assert "returned shape (10,) where (30, 10)" in demo.problem


def test_viewer_rejects_images_that_are_not_8_by_8_rows():
    with pytest.raises(ValueError, match="rows of 64 pixels"):
        digit_viewer(forward_softmax, PARAMS, IMAGES.reshape(30, 8, 8), LABELS)


@pytest.mark.parametrize("show", ["all test images", MISTAKES])
def test_viewer_survives_slider_extremes(show):
    demo = digit_viewer(forward_softmax, PARAMS, IMAGES, LABELS)
    demo.controls["show"].value = show
    sweep_every_slider(demo)
