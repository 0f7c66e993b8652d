"""Calling a learner's own functions from a demo without ever showing a traceback.

A widget redraws with the learner's function each time a slider moves. When that function is
not written yet, raises, or returns something unusable, the demo shows one plain sentence instead.
"""

import traceback
import warnings

import numpy as np


class StudentCodeProblem(Exception):
    """A learner's function could not produce what the demo needs; str() says what to do."""


def call_student(func, *args, shape=None):
    """Return ``np.asarray(func(*args))`` as floats, or raise StudentCodeProblem with a sentence.

    shape -- the shape the result must have (None: any shape).
    """
    name = getattr(func, "__name__", "your function")
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = func(*args)
    except NotImplementedError as exc:
        missing = _innermost_function(exc) or name
        raise StudentCodeProblem(
            f"Implement {missing} first (its exercise is above), run that cell, then move a slider."
        ) from None
    except Exception as exc:
        raise StudentCodeProblem(
            f"Your {name} raised {type(exc).__name__}: {exc}. Fix it and run its check cell."
        ) from None
    try:
        values = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        raise StudentCodeProblem(f"Your {name} returned {result!r}, not numbers.") from None
    if shape is not None and values.shape != tuple(shape):
        raise StudentCodeProblem(
            f"Your {name} returned shape {values.shape} where {tuple(shape)} was expected: "
            "it must work on whole arrays, element by element."
        )
    return values


def _innermost_function(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    return frames[-1].name if frames else None
