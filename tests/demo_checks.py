"""Assertions shared by the demo tests: a rendered plot is a real, non-blank image."""

import io

import numpy as np
from matplotlib.image import imread


def assert_plot_shown(demo):
    assert demo.problem is None, demo.problem
    assert demo.image.layout.display != "none"
    pixels = imread(io.BytesIO(demo.image.value), format="png")
    assert pixels.shape[0] > 100 and pixels.shape[1] > 100
    assert np.ptp(pixels[..., :3]) > 0.5, "the plot is blank"


def sweep_every_slider(demo):
    """Move each slider to its minimum and maximum (then back); the plot must survive each."""
    for name, control in demo.controls.items():
        if not hasattr(control, "min"):
            continue
        start = control.value
        for value in (control.min, control.max, start):
            control.value = value
            assert_plot_shown(demo)
