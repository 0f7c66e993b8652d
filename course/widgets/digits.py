"""Digit viewer: one test image and the ten probabilities the learner's network gives it."""

import ipywidgets as widgets
import numpy as np

from course.i18n import tr, translatable
from course.plots import ONE_COLOUR, new_figure
from course.student import StudentCodeProblem
from course.widgets.backprop import call_for_dict
from course.widgets.base import Demo

ALL, MISTAKES = translatable("all test images"), translatable("mistakes only")   # the menu's values; tr() shows them
RIGHT_COLOUR, OTHER_COLOUR = "#59a14f", "#bab0ac"


def digit_viewer(forward_softmax, params, images, labels):
    """Browse ``images`` (rows of 64 pixels) with the probabilities of ``forward_softmax(image, params)``.

    ``params`` may be None (the network is not trained yet): the viewer then says so.
    """
    return DigitViewer(forward_softmax, params, images, labels)


class DigitViewer(Demo):
    def __init__(self, forward_softmax, params, images, labels):
        self._take_network_and_images(forward_softmax, params, images, labels)
        self.controls = {
            "show": widgets.Dropdown(options=[(tr(ALL), ALL), (tr(MISTAKES), MISTAKES)], value=ALL,
                                     description=tr("show")),
            "index": widgets.IntSlider(value=0, min=0, max=len(self.images) - 1, description=tr("image")),
        }
        self.figure = new_figure(7.0, 3.0)
        self.figure.subplots_adjust(left=0.03, right=0.97, bottom=0.17, top=0.85, wspace=0.5)
        self.ax_image = self.figure.add_subplot(1, 3, 1)
        self.ax_bars = self.figure.add_subplot(1, 3, (2, 3))
        self.picture = self.ax_image.imshow(np.zeros((8, 8)), cmap="gray_r", vmin=0, vmax=1)
        self.ax_image.set(xticks=[], yticks=[])
        self.bars = self.ax_bars.bar(range(10), np.zeros(10), color=OTHER_COLOUR)
        self.ax_bars.set(xticks=range(10), ylim=(0, 1.05), xlabel=tr("digit"), ylabel=tr("probability"))
        self._assemble()

    def _take_network_and_images(self, forward_softmax, params, images, labels):
        self.forward_softmax, self.params = forward_softmax, params
        self.images = np.asarray(images, dtype=float)
        self.labels = np.asarray(labels, dtype=int)
        if self.images.ndim != 2 or self.images.shape[1] != 64 or len(self.labels) != len(self.images):
            raise ValueError("images must be rows of 64 pixels (8×8), with one label per row")
        self._predictions = None

    def predictions(self):
        """Probabilities for every image (computed once with the learner's function)."""
        if self._predictions is None:
            if self.params is None:
                raise StudentCodeProblem(tr("Train the network first: run the training cell above "
                                            "(it needs your functions above)."))
            n_hidden = np.shape(self.params["W1"])[1]
            shapes = {"A1": (len(self.images), n_hidden), "A2": (len(self.images), 10)}
            probabilities = call_for_dict(self.forward_softmax, self.images.copy(),
                                          {k: np.array(v, dtype=float) for k, v in self.params.items()},
                                          shapes=shapes)["A2"]
            self._predictions = probabilities
        return self._predictions

    def draw(self):
        probabilities = self.predictions()
        predicted = probabilities.argmax(axis=1)
        chosen = np.arange(len(self.images))
        if self.controls["show"].value == MISTAKES:
            chosen = np.flatnonzero(predicted != self.labels)
            if chosen.size == 0:
                raise StudentCodeProblem(tr("No mistakes on these images: every digit is recognised."))
        self.shown = int(chosen[self.controls["index"].value % len(chosen)])
        p, label, guess = probabilities[self.shown], self.labels[self.shown], predicted[self.shown]
        self.picture.set_data(self.images[self.shown].reshape(8, 8))
        for digit, bar in enumerate(self.bars):
            bar.set_height(p[digit])
            bar.set_color(RIGHT_COLOUR if digit == label else ONE_COLOUR if digit == guess else OTHER_COLOUR)
        self.ax_image.set_title(tr("test image {index}: a {digit}", index=self.shown, digit=label), fontsize=10)
        if guess == label:
            title = tr("predicted {guess} (p = {p:.2f}): right · green = the true digit", guess=guess, p=p[guess])
        else:
            title = tr("predicted {guess} (p = {p:.2f}): wrong · green = the true digit", guess=guess, p=p[guess])
        self.ax_bars.set_title(title, fontsize=10)
        mistakes = int(np.sum(predicted != self.labels))
        self.table.value = "<p>" + tr("{right} of {total} right ({share:.1%}); {mistakes} mistakes",
                                      right=len(self.images) - mistakes, total=len(self.images),
                                      share=1 - mistakes / len(self.images), mistakes=mistakes) + "</p>"
        self.summary = (guess, label, mistakes)


def confusion_viewer(forward_softmax, params, images, labels):
    """The 10×10 confusion matrix of ``forward_softmax(images, params)`` on ``images``: row = the true
    digit, column = the predicted one. A toggle hides the diagonal so the mistakes stand out."""
    return ConfusionViewer(forward_softmax, params, images, labels)


def confusion_counts(predicted, labels, n_classes=10):
    """counts[true, predicted]: how many images of each true digit got each prediction."""
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (np.asarray(labels, dtype=int), np.asarray(predicted, dtype=int)), 1)
    return counts


class ConfusionViewer(DigitViewer):
    def __init__(self, forward_softmax, params, images, labels):
        self._take_network_and_images(forward_softmax, params, images, labels)
        self.controls = {"mistakes_only": widgets.Checkbox(value=False, description=tr("hide the diagonal"))}
        self.figure = new_figure(4.6, 4.2)
        self.figure.subplots_adjust(left=0.14, right=0.97, bottom=0.13, top=0.9)
        self.ax = self.figure.add_subplot(1, 1, 1)
        self.picture = self.ax.imshow(np.zeros((10, 10)), cmap="Blues", vmin=0, vmax=1)
        self.ax.set(xticks=range(10), yticks=range(10), xlabel=tr("predicted digit"), ylabel=tr("true digit"))
        self.numbers = [[self.ax.text(col, row, "", ha="center", va="center", fontsize=8)
                         for col in range(10)] for row in range(10)]
        self._assemble()

    def draw(self):
        predicted = self.predictions().argmax(axis=1)
        self.counts = confusion_counts(predicted, self.labels)
        shown = self.counts.copy()
        if self.controls["mistakes_only"].value:
            np.fill_diagonal(shown, 0)
        top = max(int(shown.max()), 1)
        self.picture.set_data(shown / top)
        for row in range(10):
            for col in range(10):
                count = shown[row, col]
                text = self.numbers[row][col]
                text.set_text(str(count) if count else "")
                text.set_color("white" if count > top / 2 else "black")
        mistakes = self.counts.sum() - np.trace(self.counts)
        self.ax.set_title(tr("{right} of {total} right; {mistakes} mistakes off the diagonal",
                             right=len(self.labels) - mistakes, total=len(self.labels), mistakes=mistakes), fontsize=10)
        off = self.counts - np.diag(np.diag(self.counts))
        true, guess = np.unravel_index(np.argmax(off), off.shape)
        if off.any():
            self.table.value = "<p>" + tr("most frequent mistake: a {true} read as a {guess} ({count} times)",
                                          true=true, guess=guess, count=off[true, guess]) + "</p>"
        else:
            self.table.value = "<p>" + tr("no mistakes") + "</p>"
        self.summary = (int(true), int(guess), int(mistakes))
