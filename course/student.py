"""Calling a learner's own functions from a demo without ever showing a traceback.

A widget redraws with the learner's function each time a slider moves. When that function is
not written yet, raises, or returns something unusable, the demo shows one plain sentence instead.
"""

import traceback
import warnings

import numpy as np

from course.i18n import tr


class StudentCodeProblem(Exception):
    """A learner's function could not produce what the demo needs; str() says what to do."""


def call_student(func, *args, shape=None):
    """Return ``np.asarray(func(*args))`` as floats, or raise StudentCodeProblem with a sentence.

    shape -- the shape the result must have (None: any shape).
    """
    name = function_name(func)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = func(*args)
    except NotImplementedError as exc:
        missing = _innermost_function(exc) or name
        raise StudentCodeProblem(tr(
            "Implement {name} first (its exercise is above), run that cell, then move a slider.", name=missing
        )) from None
    except Exception as exc:
        raise StudentCodeProblem(tr(
            "Your {name} raised {error}: {message}. Fix it and run its check cell.",
            name=name, error=type(exc).__name__, message=exc,
        )) from None
    try:
        values = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        raise StudentCodeProblem(tr("Your {name} returned {result!r}, not numbers.",
                                    name=name, result=result)) from None
    if shape is not None and values.shape != tuple(shape):
        raise StudentCodeProblem(tr(
            "Your {name} returned shape {shape} where {expected} was expected: "
            "it must work on whole arrays, element by element.",
            name=name, shape=values.shape, expected=tuple(shape),
        ))
    return values


def function_name(func):
    """The learner's name for ``func`` in a message: its ``__name__``, else "your function"."""
    try:
        return func.__name__
    except AttributeError:
        return tr("your function")


def _innermost_function(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    return frames[-1].name if frames else None
