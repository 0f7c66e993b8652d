"""Self-checks for the graded exercises.

`check` calls a learner's function on one input and compares the result with the expected
value. When something is off it raises an AssertionError whose message says what was expected,
what came back and why, and names the classic mistake when the output gives it away.
The expected values always come from the notebook's own test cell: this module knows no answers.

Warnings raised by the learner's code (an overflow in np.exp, say) are silenced here on purpose:
nbgrader scores a test cell 0 when it writes anything to stderr, and a harmless warning from a
correct answer must not cost points.
"""

import copy
import warnings

import numpy as np

from .i18n import tr, translatable

__all__ = ["as_number", "check", "check_dict"]



def _nothing_changes_elsewhere():
    return lambda obj: False


# Where the learner's functions run in another process (the grader's trusted side calls them in
# the student's kernel), an argument they change in place is changed over there only. The grader
# sets this to a function that starts watching and returns ``changed(obj)``: whether a call since
# then changed ``obj``, so the check still names the mistake.
watch_changes_elsewhere = _nothing_changes_elsewhere

# Fragments of exception messages that reveal a well-known slip, and what to do about it.
_EXCEPTION_HINTS = (
    ("truth value of an array",
     translatable("an `if`, `and`, `or` or built-in max/min was applied to a whole array; use operations "
                  "that work element by element (comparisons, np.where, np.maximum)")),
    ("instances of 'list'",
     translatable("the input was a Python list; start with `x = np.asarray(x)` so lists behave like arrays")),
    ("'list' object",
     translatable("the input was a Python list; start with `x = np.asarray(x)` so lists behave like arrays")),
    ("can't multiply sequence",
     translatable("the input was a Python list; start with `x = np.asarray(x)` so lists behave like arrays")),
    ("bad operand type for unary -: 'list'",
     translatable("the input was a Python list, which has no minus sign; start with `x = np.asarray(x, dtype=float)` "
                  "so lists behave like arrays")),
)


def check(func, *args, expect, why, mistakes=(), returns="float", atol=1e-9, rtol=1e-7):
    """Call ``func(*args)`` and raise AssertionError with a teaching message if it is wrong.

    expect   -- the correct output (scalar or array-like).
    why      -- the rule the output follows, shown with any failure.
    mistakes -- pairs ``(wrong_output, explanation)``: if the result equals a wrong output
                (NaN matching NaN), the explanation names that mistake.
    returns  -- "int" when the result must hold integers, "float" for any real number.
    """
    call, got = _run(func, args)
    input_shape = np.shape(args[0]) if args and not callable(args[0]) else None
    _check_result(call, got, np.asarray(expect), why, mistakes, returns, atol, rtol, input_shape)


def check_dict(func, *args, expect, why, mistakes=None, returns="float", atol=1e-9, rtol=1e-7):
    """check() for a function that returns a dict of arrays (a cache, gradients, parameters).

    expect   -- key -> correct value; the result must hold these keys, each is checked in turn.
    why      -- the rule shown with any failure: one string, or key -> string.
    mistakes -- key -> pairs ``(wrong_output, explanation)``, as for check().
    """
    call, got = _run(func, args)
    keys = ", ".join(repr(key) for key in expect)
    if not isinstance(got, dict):
        raise AssertionError(tr("{call} returned {kind}, expected a dict with the keys {keys}.",
                                call=call, kind=type(got).__name__, keys=keys))
    missing = [key for key in expect if key not in got]
    if missing:
        raise AssertionError(tr("{call} returned a dict without {missing}: it must hold the keys {keys}.",
                                call=call, missing=", ".join(map(repr, missing)), keys=keys))
    for key, want in expect.items():
        want, part = np.asarray(want), f"{call}[{key!r}]"
        rule = why[key] if isinstance(why, dict) else why
        _check_result(part, got[key], want, rule, (mistakes or {}).get(key, ()), returns, atol, rtol)


def as_number(value, name, whole=False):
    """``value`` as a float (an int when ``whole``), or AssertionError saying the form it must take.

    For the questions answered with a number: a Python or NumPy number and a 0-d array are all
    fine, and a whole number may come as a float such as 45.0 (np.ceil returns one)."""
    kind = tr("a whole number, such as 10") if whole else tr("one number, such as 0.25")
    number = None
    if not isinstance(value, (str, bytes, bool, np.bool_)) and np.ndim(value) == 0:
        try:
            number = float(value)
        except (TypeError, ValueError):
            pass
    if number is None or not np.isfinite(number) or (whole and not number.is_integer()):
        raise AssertionError(tr("{name} must be {kind}; it is {value!r}", name=name, kind=kind, value=value))
    return int(number) if whole else number


def _run(func, args):
    """Call the learner's function with warnings silenced; check it left its arguments alone."""
    call = _describe_call(func, args)
    originals = copy.deepcopy(args)
    changed_elsewhere = watch_changes_elsewhere()
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = _call(func, args, call)
    _check_arguments_unchanged(call, args, originals, changed_elsewhere)
    return call, got


def _call(func, args, call):
    try:
        return func(*args)
    except NotImplementedError:
        raise
    except Exception as exc:  # the learner's code failed: explain it instead of a bare traceback
        hint = next((h for fragment, h in _EXCEPTION_HINTS if fragment in str(exc)), None)
        message = tr("{call} raised {error}: {message}", call=call, error=type(exc).__name__, message=exc)
        if hint:
            message += "\n" + tr("Likely cause: {hint}.", hint=tr(hint))
        raise AssertionError(message) from exc


def _check_arguments_unchanged(call, args, originals, changed_elsewhere):
    for position, (now, before) in enumerate(zip(args, originals)):
        if not _same(now, before) or changed_elsewhere(now):
            raise AssertionError(tr(
                "{call} changed its argument number {position} in place. Compute a new array instead "
                "of writing into the input (for example `y = x * 2`, not `x *= 2`).",
                call=call, position=position + 1))


def _same(a, b):
    if isinstance(a, dict) or isinstance(b, dict):  # a network's params: compare key by key
        return (isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys()
                and all(_same(a[key], b[key]) for key in a))
    try:
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)
    except (TypeError, ValueError):
        return a is b or a == b


def _check_result(call, got, expected, why, mistakes, returns, atol, rtol, input_shape=None):
    if got is None:
        raise AssertionError(tr("{call} returned None: did you forget `return`?", call=call))
    try:
        result = np.asarray(got)
    except Exception:  # ragged or odd objects that NumPy cannot hold as one array
        result = None
    if result is None or result.dtype.kind not in "biuf":
        raise AssertionError(tr("{call} returned {value!r}, which is not a number or an array of numbers.",
                                call=call, value=got))
    _check_kind(call, result, returns)
    if result.shape == expected.shape and _close(result, expected, atol, rtol):
        return
    for wrong, explanation in mistakes:
        if np.shape(wrong) == result.shape and _close(result, np.asarray(wrong, float), atol, rtol):
            raise AssertionError(tr("{call} returned {value}.", call=call, value=_show(result))
                                 + " " + tr(explanation))
    if result.shape != expected.shape:
        message = tr("{call} returned shape {shape}, expected shape {expected}: {why}",
                     call=call, shape=result.shape, expected=expected.shape, why=tr(why))
        if input_shape == expected.shape:
            message += "\n" + tr("The output must have the shape of the input (a scalar input gives a scalar).")
        raise AssertionError(message)
    message = tr("{call} should be {expected}, got {value}: {why}",
                 call=call, expected=_show(expected), value=_show(result), why=tr(why))
    if np.isnan(result).any():
        message += "\n" + tr("The result contains nan: look for inf / inf or inf - inf (an overflow).")
    raise AssertionError(message)


def _check_kind(call, result, returns):
    kind = result.dtype.kind
    if kind == "b":
        raise AssertionError(tr(
            "{call} returned booleans (True/False); return numbers: `.astype(int)` turns them into 0/1.",
            call=call))
    if returns == "int" and kind not in "iu":
        raise AssertionError(tr(
            "{call} returned {dtype} values; this function must return integers (use `.astype(int)`).",
            call=call, dtype=result.dtype))


def _close(result, expected, atol, rtol):
    return bool(np.allclose(result.astype(float), expected.astype(float), atol=atol, rtol=rtol, equal_nan=True))


def _show(value):
    value = np.asarray(value)
    if value.ndim == 0:
        return f"{value.item():.6g}" if value.dtype.kind == "f" else repr(value.item())
    return np.array2string(value, precision=4, threshold=12, separator=", ")


def _describe_call(func, args):
    name = getattr(func, "__name__", None) or tr("the function")
    return f"{name}({', '.join(_show_argument(a) for a in args)})"


def _show_argument(arg):
    if callable(arg):   # a function passed in (an activation, the f of a derivative): its name
        return getattr(arg, "__name__", None) or tr("a function")
    if isinstance(arg, dict):
        return tr("a dict with keys {keys}", keys=", ".join(map(str, arg)))
    if isinstance(arg, (list, tuple)):
        return repr(arg) if len(repr(arg)) <= 40 else tr("a list of length {length}", length=len(arg))
    if isinstance(arg, np.ndarray) and arg.size > 8:
        return tr("an array of shape {shape}", shape=arg.shape)
    return _show(arg) if isinstance(arg, np.ndarray) else repr(arg)
