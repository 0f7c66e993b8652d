"""Assertions shared by the demo tests: a rendered plot is a real, non-blank image."""

import io

import numpy as np
from matplotlib.image import imread

from course.live_figure import full_draw_png


def assert_plot_shown(demo):
    assert demo.problem is None, demo.problem
    assert demo.image.layout.display != "none"
    pixels = imread(io.BytesIO(demo.image.value), format="png")
    assert pixels.shape[0] > 100 and pixels.shape[1] > 100
    assert np.ptp(pixels[..., :3]) > 0.5, "the plot is blank"
    assert_same_as_full_draw(demo, pixels)


def assert_same_as_full_draw(demo, pixels):
    """The blitted frame shows what drawing the whole figure again shows."""
    full = imread(io.BytesIO(full_draw_png(demo.figure)), format="png")
    assert full.shape == pixels.shape
    differs = np.any(full != pixels, axis=-1)
    assert not differs.any(), f"{differs.sum()} pixels of the plot differ from a full redraw"


def sweep_every_slider(demo):
    """Move each slider to its minimum and maximum (then back); the plot must survive each."""
    for name, control in demo.controls.items():
        if not hasattr(control, "min"):
            continue
        start = control.value
        for value in (control.min, control.max, start):
            control.value = value
            assert_plot_shown(demo)
