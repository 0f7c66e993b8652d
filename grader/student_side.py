"""The grader's half that runs in the student's kernel: call a student function, hand back data.

Not imported by the grader: its source is sent to each grading kernel at start (grader/execute.py)
and run there, where the student's code can read and replace it. That is fine by design: all it
can change is the student's own results, and everything it hands back is plain data (JSON, with
arrays as NumPy's .npy without pickles) that the trusted side (grader/trusted.py) reads with care
and compares itself. Nothing that the trusted side knows comes here except a test's inputs.

No file is involved: the grader sends each request as a comm message (the kernel's own
messaging) to a target it registered at the kernel's start, and ``serve(request)`` answers it on
the same comm. The request is a pickle made by the trusted side (trusted side to student side
only), in base64:
    request   {"call": name, "args": [...], "kwargs": {...}, "hide": [...]}  or  {"describe": [names]}
    reply     JSON text: the encoded result (see `Encoder`), the positions of the arguments the
              call changed and what it printed, or {"names": {name: encoded value}}
"""

import base64
import contextlib
import copy
import decimal
import fractions
import io
import json
import pickle
import traceback
import warnings

import numpy as np

MAX_DEPTH = 40
REPR_LIMIT = 300


def make_server(namespace):
    """The function that answers the grader's requests in this kernel: request in, JSON text out."""

    class Unpickler(pickle.Unpickler):
        def persistent_load(self, reference):   # a stand-in for one of the student's functions
            kind, name = reference
            if kind != "student" or name not in namespace:
                raise NameError(f"name {name!r} is not defined")
            return namespace[name]

    def serve(encoded_request):
        request = Unpickler(io.BytesIO(base64.b64decode(encoded_request))).load()
        if "describe" in request:
            encoder = Encoder((), namespace)
            answer = {"names": {name: encoder.describe(name) for name in request["describe"]}}
        else:
            hidden = {name: namespace.pop(name) for name in request.get("hide", ()) if name in namespace}
            try:   # a test that deleted one of the student's names (`del squares`) runs without it
                answer = call(namespace[request["call"]], request["args"], request["kwargs"], namespace)
            finally:
                namespace.update(hidden)
        return json.dumps(answer)

    return serve


def call(func, args, kwargs, namespace):
    """Run the student's function with warnings silenced (as the checks do); encode what happened."""
    out, err = io.StringIO(), io.StringIO()
    before = copy.deepcopy(args)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            outcome = {"value": func(*args, **kwargs)}
        except BaseException as exc:   # noqa: BLE001 (a KeyboardInterrupt is the grader's timeout)
            outcome = {"raised": {"type": type(exc).__name__, "message": str(exc)[:4000],
                                  "traceback": "".join(traceback.format_exception(exc)[1:])[-4000:]}}
    changed = [i for i, (arg, old) in enumerate(zip(args, before)) if not same(arg, old)]
    # an argument the call changed comes back by value, never as "the argument you passed"
    encoder = Encoder([None if i in changed else arg for i, arg in enumerate(args)], namespace)
    if "value" in outcome:
        outcome["value"] = encoder.encode(outcome["value"])
    outcome["changed"] = changed
    outcome["stdout"], outcome["stderr"] = out.getvalue(), err.getvalue()
    return outcome


def same(a, b):
    """Whether an argument is as it was before the call."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    try:
        return bool(a == b) or (a != a and b != b)   # NaN is as it was
    except Exception:   # noqa: BLE001
        return False


class Encoder:
    """Values as JSON: numbers, strings, None and booleans as themselves, everything else tagged:
    {"list": [...]}, {"tuple": [...]}, {"dict": [[key, value], ...]} (subclasses such as
    defaultdict and namedtuple as the plain value they stand for), {"array": npy} and
    {"scalar": npy} (a NumPy array or scalar as base64 .npy), {"complex": [re, im]},
    {"range": [start, stop, step]}, {"fraction": [numerator, denominator]}, {"decimal": text},
    {"arg": [i, key]} (the very object passed as argument i, unchanged), {"function": name}
    (one of the student's functions), {"unencodable": type, "repr": text}."""

    def __init__(self, args, namespace):
        self.args, self.namespace = args, namespace

    def describe(self, name):
        if name not in self.namespace:
            return {"missing": True}
        return self.encode(self.namespace[name], identity=False)

    def encode(self, value, identity=True, depth=0):
        if identity and (path := self._argument_path(value)) is not None:
            return {"arg": path}
        if depth > MAX_DEPTH:
            return self._unencodable(value)
        if value is None or type(value) in (bool, int, float, str):
            return value
        if isinstance(value, np.ndarray | np.generic):
            return self._array(value)
        for plain in (int, float, str):   # their subclasses (IntEnum, ...) as the plain value
            if isinstance(value, plain):
                return plain(value)
        if isinstance(value, complex):
            return {"complex": [value.real, value.imag]}
        if isinstance(value, range):
            return {"range": [value.start, value.stop, value.step]}
        if isinstance(value, list | tuple):
            kind = "tuple" if isinstance(value, tuple) else "list"
            return {kind: [self.encode(v, identity, depth + 1) for v in value]}
        if isinstance(value, dict):
            return {"dict": [[self.encode(k, False, depth + 1), self.encode(v, identity, depth + 1)]
                             for k, v in value.items()]}
        if isinstance(value, fractions.Fraction):
            return {"fraction": [value.numerator, value.denominator]}
        if isinstance(value, decimal.Decimal):
            return {"decimal": str(value)}
        if callable(value):
            name = next((n for n, v in self.namespace.items() if v is value and not n.startswith("_")), None)
            if name is not None:
                return {"function": name}
        return self._unencodable(value)

    def _argument_path(self, value):
        if not isinstance(value, np.ndarray | list | dict):
            return None
        for i, arg in enumerate(self.args):
            if arg is None:
                continue
            if value is arg:
                return [i]
            members = arg.items() if isinstance(arg, dict) else enumerate(arg) if isinstance(arg, list) else ()
            for key, member in members:
                if value is member and type(key) in (str, int):
                    return [i, key]
        return None

    def _array(self, value):
        array = np.asarray(value)
        if array.dtype.kind not in "biufc":
            if array.dtype.kind == "U" and array.ndim == 0:   # np.str_
                return str(array)
            return self._unencodable(value)
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        return {"array" if isinstance(value, np.ndarray) else "scalar": base64.b64encode(buffer.getvalue()).decode()}

    @staticmethod
    def _unencodable(value):
        try:
            text = repr(value)[:REPR_LIMIT]
        except Exception:   # noqa: BLE001 (a student's __repr__ may fail)
            text = f"<{type(value).__name__} object>"
        return {"unencodable": type(value).__name__, "repr": text}
