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


# ---- every number the notebook's text states, computed here with reference code ----
import nbformat  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

from conftest import ROOT  # noqa: E402
from course.widgets.digits import confusion_counts, confusion_viewer  # noqa: E402


def notebook_text():
    notebook = nbformat.read(ROOT / "source" / "07_digits" / "digits.ipynb", as_version=4)
    return " ".join(" ".join(c.source for c in notebook.cells if c.cell_type == "markdown").split())


def split_digits():
    digits = load_digits()
    X_all, labels_all = digits.data / 16.0, digits.target
    order = np.random.default_rng(0).permutation(len(X_all))
    return X_all[order[360:]], labels_all[order[360:]], X_all[order[:360]], labels_all[order[:360]]


def init_params(n_in=64, n_hidden=32, n_out=10, seed=0):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(scale=1 / np.sqrt(n_in), size=(n_in, n_hidden)), "b1": np.zeros(n_hidden),
            "W2": rng.normal(scale=1 / np.sqrt(n_hidden), size=(n_hidden, n_out)), "b2": np.zeros(n_out)}


def forward(X, params, activation="sigmoid"):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(Z1, 0.0) if activation == "relu" else 1 / (1 + np.exp(-Z1))
    Z2 = A1 @ params["W2"] + params["b2"]
    E = np.exp(Z2 - Z2.max(axis=-1, keepdims=True))
    return Z1, A1, E / E.sum(axis=-1, keepdims=True)


def train(X, labels, params, eta, epochs, batch_size, seed=1, activation="sigmoid"):
    Y, rng, losses = np.eye(10)[labels], np.random.default_rng(seed), []
    for _ in range(epochs):
        losses.append(-np.sum(Y * np.log(forward(X, params, activation)[2] + 1e-7)) / len(X))
        order = rng.permutation(len(X))
        for i in range(0, len(X), batch_size):
            rows = order[i:i + batch_size]
            Z1, A1, A2 = forward(X[rows], params, activation)
            Delta2 = A2 - Y[rows]
            slope = (Z1 > 0).astype(float) if activation == "relu" else A1 * (1 - A1)
            Delta1 = (Delta2 @ params["W2"].T) * slope
            grads = {"W1": X[rows].T @ Delta1, "b1": Delta1.sum(axis=0), "W2": A1.T @ Delta2, "b2": Delta2.sum(axis=0)}
            params = {key: params[key] - eta * grads[key] / len(rows) for key in params}
    return params, losses


X_TRAIN, LABELS_TRAIN, X_TEST, LABELS_TEST = split_digits()


def test_the_data_shapes_the_notebook_states():
    text = notebook_text()
    assert X_TRAIN.shape == (1437, 64) and X_TEST.shape == (360, 64)
    assert "`(1437, 64)` and `(360, 64)`" in text and "1 797 − 360 = 1 437" in text


def test_the_untrained_network_numbers():
    text = notebook_text()
    first = forward(X_TEST[:100], init_params())[2][0]
    assert f"between {first.min():.3f} and {first.max():.3f}" in text
    right = int(np.sum(forward(X_TEST, init_params())[2].argmax(axis=1) == LABELS_TEST))
    assert f"{right / 360:.1%}".replace("%", " %") + f" ({right} of 360)" in text
    assert f"{np.log(10):.3f}" in text


def test_the_trained_network_numbers():
    text = notebook_text()
    params, losses = train(X_TRAIN, LABELS_TRAIN, init_params(seed=1), 0.5, 30, 32)
    assert "Every 5 epochs it reads " + ", ".join(f"{x:.3f}" for x in losses[::5]) in text
    assert f"starts at {losses[0]:.3f}" in text
    train_acc = np.mean(forward(X_TRAIN, params)[2].argmax(axis=1) == LABELS_TRAIN)
    test_acc = np.mean(forward(X_TEST, params)[2].argmax(axis=1) == LABELS_TEST)
    assert f"gets {train_acc:.1%} of the training images and {test_acc:.1%} of the test".replace("%", " %") \
        in text
    probs = forward(X_TEST, params)[2]
    wrong = np.flatnonzero(probs.argmax(axis=1) != LABELS_TEST)
    second = sum(np.argsort(probs[i])[-2] == LABELS_TEST[i] for i in wrong)
    tall = probs[wrong].max(axis=1)
    answers = text
    assert f"{len(wrong)} mistakes ({360 - len(wrong)} of 360 right, {test_acc:.1%})".replace("%", " %") in answers
    assert f"In {second} of the {len(wrong)} the right digit is the second tallest" in answers
    assert f"in only {np.sum(tall > 0.9)} of the {len(wrong)} mistakes" in answers
    assert f"and in {np.sum(tall < 0.7)} it is below 0.7" in answers
    off = confusion_counts(probs.argmax(axis=1), LABELS_TEST)
    np.fill_diagonal(off, 0)
    assert off.max() == 1 and f"makes {len(wrong)} mistakes, and no cell off the diagonal holds more than 1" in answers


def test_the_bad_hyperparameter_numbers():
    text = notebook_text()
    slow, losses = train(X_TRAIN, LABELS_TRAIN, init_params(seed=1), 0.05, 30, 32)
    slow_acc = np.mean(forward(X_TEST, slow)[2].argmax(axis=1) == LABELS_TEST)
    full, _ = train(X_TRAIN, LABELS_TRAIN, init_params(seed=1), 0.5, 30, 1437)
    full_acc = np.mean(forward(X_TEST, full)[2].argmax(axis=1) == LABELS_TEST)
    assert f"reaches {slow_acc:.1%}".replace("%", " %") in text and f"its final loss ({losses[-1]:.3f})" in text
    assert f"far worse, {full_acc:.1%}".replace("%", " %") in text
    assert "(`eta = 0.05`, " + f"{slow_acc:.1%} right)".replace("%", " %") in text


def test_the_confusion_matrix_answers():
    text = notebook_text()
    slow, _ = train(X_TRAIN, LABELS_TRAIN, init_params(seed=1), 0.05, 30, 32)
    counts = confusion_counts(forward(X_TEST, slow)[2].argmax(axis=1), LABELS_TEST)
    errors = counts.sum(axis=1) - np.diag(counts)
    assert errors.argmax() == 8
    assert f"only {counts[8, 8]} of the {counts[8].sum()} eights are right; {counts[8, 1]} are read as 1, " \
           f"{counts[8, 7]} as 7, {counts[8, 2]} as 2 and {counts[8, 9]} as 9" in text
    off = counts.copy()
    np.fill_diagonal(off, 0)
    assert np.unravel_index(off.argmax(), off.shape) == (1, 9) and np.sum(off == off.max()) == 1
    assert f"{counts[1, 9]} of the {counts[1].sum()} ones are read as nines" in text


def test_the_confusion_viewer_counts_and_names_the_worst_mistake():
    demo = confusion_viewer(forward_softmax, PARAMS, IMAGES, LABELS)
    want = confusion_counts(PREDICTED, LABELS)
    np.testing.assert_array_equal(demo.counts, want)
    assert demo.summary[2] == 10 and "10 mistakes" in demo.ax.get_title()
    assert_plot_shown(demo)
    demo.controls["mistakes_only"].value = True
    assert_plot_shown(demo)
    assert confusion_viewer(forward_softmax, None, IMAGES, LABELS).problem.startswith("Train the network first")
