"""The grader's half that runs in the student's kernel: call a student function, hand back data.

Not imported by the grader: its source is sent to each grading kernel at start (grader/execute.py)
and run there, where the student's code can read and replace it. That is fine by design: all it
can change is the student's own results, and everything it hands back is plain data (JSON and
NumPy's .npy without pickles) that the trusted side (grader/trusted.py) reads with care and
compares itself. Nothing that the trusted side knows comes here except a test's inputs.

One request per file in the exchange folder (written by the trusted side, a pickle: trusted side
to student side only), one reply per request:
    request-<n>.pkl   {"call": name, "args": [...], "kwargs": {...}}  or  {"describe": [names]}
    reply-<n>.json    the encoded result (see `Encoder`), the arguments the call changed and what
                      it printed, plus reply-<n>-<k>.npy for each array
"""

import contextlib
import copy
import io
import json
import os
import pickle
import traceback
import warnings

import numpy as np

MAX_DEPTH = 40
REPR_LIMIT = 300


def make_server(folder, namespace):
    """The function the grader calls (by sequence number) in this kernel."""

    class Unpickler(pickle.Unpickler):
        def persistent_load(self, reference):   # a stand-in for one of the student's functions
            kind, name = reference
            if kind != "student" or name not in namespace:
                raise NameError(f"name {name!r} is not defined")
            return namespace[name]

    def serve(seq):
        with open(os.path.join(folder, f"request-{seq}.pkl"), "rb") as file:
            request = Unpickler(file).load()
        if "describe" in request:
            encoder = Encoder(folder, seq, (), namespace)
            reply = {"names": {name: encoder.describe(name) for name in request["describe"]}}
        else:
            hidden = {name: namespace.pop(name) for name in request.get("hide", ()) if name in namespace}
            try:   # a test that deleted one of the student's names (`del squares`) runs without it
                reply = call(namespace[request["call"]], request["args"], request["kwargs"], folder, seq, namespace)
            finally:
                namespace.update(hidden)
        with open(os.path.join(folder, f"reply-{seq}.json"), "w") as file:
            json.dump(reply, file)

    return serve


def call(func, args, kwargs, folder, seq, namespace):
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
    encoder = Encoder(folder, seq, args, namespace)
    if "value" in outcome:
        outcome["value"] = encoder.encode(outcome["value"])
    outcome["changed"] = {i: encoder.encode(arg, identity=False)
                          for i, (arg, old) in enumerate(zip(args, before)) if not same(arg, old)}
    outcome["stdout"], outcome["stderr"] = out.getvalue(), err.getvalue()
    return outcome


def same(a, b):
    """Whether an argument is as it was before the call (only changed ones are sent back)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    try:
        return bool(a == b)
    except Exception:   # noqa: BLE001
        return False


class Encoder:
    """Values as JSON: numbers, strings, None and booleans as themselves, everything else tagged:
    {"list": [...]}, {"tuple": [...]}, {"dict": [[key, value], ...]}, {"array": file},
    {"scalar": file} (a NumPy scalar), {"arg": [i, key]} (the very object passed as argument i),
    {"function": name} (one of the student's functions), {"unencodable": type, "repr": text}."""

    def __init__(self, folder, seq, args, namespace):
        self.folder, self.seq, self.args, self.namespace = folder, seq, args, namespace
        self.files = 0

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
        if type(value) in (list, tuple):
            return {type(value).__name__: [self.encode(v, identity, depth + 1) for v in value]}
        if type(value) is dict:
            return {"dict": [[self.encode(k, False, depth + 1), self.encode(v, identity, depth + 1)]
                             for k, v in value.items()]}
        if callable(value):
            name = next((n for n, v in self.namespace.items() if v is value and not n.startswith("_")), None)
            if name is not None:
                return {"function": name}
        return self._unencodable(value)

    def _argument_path(self, value):
        if not isinstance(value, np.ndarray | list | dict):
            return None
        for i, arg in enumerate(self.args):
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
            return self._unencodable(value)
        self.files += 1
        name = f"reply-{self.seq}-{self.files}.npy"
        np.save(os.path.join(self.folder, name), array, allow_pickle=False)
        return {"array" if isinstance(value, np.ndarray) else "scalar": name}

    @staticmethod
    def _unencodable(value):
        try:
            text = repr(value)[:REPR_LIMIT]
        except Exception:   # noqa: BLE001 (a student's __repr__ may fail)
            text = f"<{type(value).__name__} object>"
        return {"unencodable": type(value).__name__, "repr": text}
