"""The trusted side of grading: a process that runs the test cells and never the student's code.

    python -m grader.trusted MEMORY_LIMIT FOLDER    (started by grader/execute.py, once per grading
                                              process, in FOLDER, which it removes when it ends)

The instructor's test cells and the set-up cells of the assignment as released run here, in an
IPython shell of their own, with the real `check`, the expected values and the hidden tests.
Nothing about them comes from the submission: the set-up cells are the release's, run in the
release's order before the first test that follows them there, and each test cell starts from
the state the set-up left (what an earlier test did is gone). The only names taken from the
student are those the release's answer cells define (the graded interface), fetched afresh
before each test: a function becomes a `StudentFunction` stand-in, a constant (GATE_PARAMS, ...)
its value as plain data. Calling a stand-in runs the student's function in the student's kernel
(through the grader, which owns that kernel and its timeouts) with copies of the arguments, and
brings back the result, which arguments the call changed (reported to the checks, never copied
into this side's objects) and what it printed. So whatever the student's code does to its own
process, the comparison that decides the score runs here, on data this side made.

The grader talks to this process with one JSON object per line on stdin and stdout:
    {"op": "reset", "language": code, "setup": [[position, source], ...], "interface": [names]}
                                              a new notebook (or a restarted kernel): its
                                              language (the check messages'), the release's
                                              set-up cells and the names of its answer cells
    {"op": "prepare", "source": code, "position": n}  before a test cell at position n of the
                                              release (null: after every set-up cell): the set-up
                                              state restored, the set-up cells due run, the
                                              student's names the test uses fetched
    {"op": "test", "source": code}            the test cell; while it (or prepare) runs this
                                              side may ask
        {"op": "student", "request": base64 pickle}    "run this in the student's kernel",
        answered {"status": "ok", "reply": JSON text} or {"status": "timeout" | "failed", "message": text}
    each op is answered with {"op": "done", "outputs": [...], "execution_count": n}: the cell's
    outputs in nbformat, as a kernel would have sent them.
"""

import ast
import base64
import builtins
import copy
import decimal
import fractions
import io
import json
import os
import resource
import shutil
import sys

import cloudpickle
import numpy as np
from IPython.core.display_trap import DisplayTrap
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell

import course.checks
from course.i18n import set_language

MAX_DEPTH = 64


class CellTimeoutError(BaseException):
    """The student's function ran past the cell's time (a BaseException: no check catches it)."""


class StudentSideError(Exception):
    """The grader's half in the student's kernel did not answer (the notebook broke it)."""


class Unencodable:
    """A value the student's function returned that is not plain data: shown, never a number."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


class StudentFunction:
    """Stands in for a function the student defined: calling it runs the student's function in
    the student's kernel. Passed to another student function, it goes as a reference."""

    def __init__(self, bridge, name):
        self._bridge, self.__name__, self.__qualname__ = bridge, name, name

    def __call__(self, *args, **kwargs):
        return self._bridge.call(self.__name__, args, kwargs)

    def __repr__(self):
        return f"<your function {self.__name__}>"

    def __deepcopy__(self, memo):
        return self


class Bridge:
    """This side's end of the exchange with the student's kernel."""

    def __init__(self, channel):
        self.channel = channel
        self.deleted = lambda: []   # the student's names a test deleted (`del squares`)
        self.changed = []           # this side's objects a student call changed (its own copies)

    def describe(self, names):
        reply = self._ask({"describe": sorted(names)})
        found = {}
        for name, node in (reply.get("names") or {}).items() if isinstance(reply.get("names"), dict) else ():
            if name in names and not (isinstance(node, dict) and node.get("missing")):
                found[name] = self.decode(node, ())
        return found

    def call(self, name, args, kwargs):
        reply = self._ask({"call": name, "args": list(args), "kwargs": kwargs, "hide": self.deleted()})
        sys.stdout.write(str(reply.get("stdout", "")))
        sys.stderr.write(str(reply.get("stderr", "")))
        changed = reply.get("changed") if isinstance(reply.get("changed"), list) else []
        self.changed += [arg for index, arg in enumerate(args) if index in changed]
        if "raised" in reply:
            raise rebuild_exception(reply["raised"])
        return self.decode(reply.get("value"), [None if index in changed else arg for index, arg in enumerate(args)])

    def watch(self):
        """``changed(obj)``: whether a student call from now on changed ``obj`` (course.checks asks)."""
        start = len(self.changed)
        return lambda obj: any(obj is changed for changed in self.changed[start:])

    def _ask(self, request):
        """What the student's kernel answered to ``request`` (a dict), or StudentSideError."""
        buffer = io.BytesIO()
        Pickler(buffer).dump(request)
        answer = self.channel.ask({"op": "student", "request": base64.b64encode(buffer.getvalue()).decode()})
        if answer.get("status") == "timeout":
            raise CellTimeoutError(answer.get("message", ""))
        if answer.get("status") != "ok":
            raise StudentSideError(f"the grader could not run this in your kernel: {answer.get('message')}")
        try:
            reply = json.loads(answer.get("reply", ""))
        except (ValueError, TypeError, RecursionError) as exc:
            raise StudentSideError(f"the grader could not read your kernel's answer: {exc}") from None
        if type(reply) is not dict:
            raise StudentSideError("your kernel's answer is not one the grader sends")
        return reply

    def decode(self, node, args, depth=0):
        """A value from the student's reply; anything malformed reads as an unencodable value."""
        try:
            return self._decode(node, args, depth)
        except (ValueError, TypeError, KeyError, IndexError, ArithmeticError, EOFError, RecursionError) as exc:
            return Unencodable(f"<a value the grader could not read: {exc}>")

    def _decode(self, node, args, depth):
        if depth > MAX_DEPTH:
            raise ValueError("nested too deeply")
        if node is None or type(node) in (bool, int, float, str):
            return node
        if type(node) is dict and "unencodable" in node:   # the student's type name, and its repr
            kind = str(node["unencodable"])[:80]
            return type(kind if kind.isidentifier() else "object", (Unencodable,), {})(str(node.get("repr"))[:300])
        if type(node) is not dict or len(node) != 1:
            raise ValueError("not an encoded value")
        (tag, body), = node.items()
        if tag in ("list", "tuple"):
            items = [self._decode(item, args, depth + 1) for item in body]
            return items if tag == "list" else tuple(items)
        if tag == "dict":
            return {self._decode(k, args, depth + 1): self._decode(v, args, depth + 1) for k, v in body}
        if tag in ("array", "scalar"):
            array = np.load(io.BytesIO(base64.b64decode(body, validate=True)), allow_pickle=False)
            return array if tag == "array" else array[()]
        if tag == "complex":
            return complex(*map(plain_number, body))
        if tag == "range":
            return range(*map(plain_int, body))
        if tag == "fraction":
            return fractions.Fraction(*map(plain_int, body))
        if tag == "decimal" and type(body) is str and len(body) <= 1000:
            return decimal.Decimal(body)
        if tag == "arg":
            value = args[plain_int(body[0])]
            if value is None:
                raise ValueError("an argument the call changed came back as itself")
            return value if len(body) == 1 else value[body[1]]
        if tag == "function" and type(body) is str and body.isidentifier():
            return StudentFunction(self, body)
        raise ValueError(f"unknown tag {tag!r}")


def plain_int(value):
    if type(value) is not int:
        raise ValueError(f"not an integer: {value!r}")
    return value


def plain_number(value):
    if type(value) not in (int, float):
        raise ValueError(f"not a number: {value!r}")
    return value


class Pickler(cloudpickle.Pickler):
    """Test inputs for the student's kernel; a stand-in goes by name, resolved over there."""

    def persistent_id(self, obj):
        return ("student", obj.__name__) if isinstance(obj, StudentFunction) else None


def rebuild_exception(raised):
    """The student's exception, by class name and message (NotImplementedError as itself)."""
    if type(raised) is not dict:
        raised = {}
    name, message = str(raised.get("type", "Exception")), str(raised.get("message", ""))
    known = getattr(builtins, name, None)
    if isinstance(known, type) and issubclass(known, Exception):
        try:
            exc = known(message)
        except TypeError:
            exc = type(name, (Exception,), {})(message)
    else:
        exc = type(name if name.isidentifier() else "Exception", (Exception,), {})(message)
    if raised.get("traceback"):
        exc.add_note("In your code:\n" + str(raised["traceback"]))
    return exc


# -- running cells ------------------------------------------------------------------------

class Outputs(list):
    """A cell's outputs in nbformat, as a kernel would have sent them."""

    def stream(self, name, text):
        if not text:
            return
        if self and self[-1]["output_type"] == "stream" and self[-1]["name"] == name:
            self[-1]["text"] += text
        else:
            self.append({"output_type": "stream", "name": name, "text": text})


class StreamCapture(io.TextIOBase):
    def __init__(self, shell, name):
        self.shell, self.name = shell, name

    def write(self, text):
        self.shell.outputs.stream(self.name, str(text))
        return len(text)

    def writable(self):
        return True


class CapturingDisplayHook(DisplayHook):
    """A cell's value (e.g. nbgrader's partial credit) becomes its execute_result."""

    def start_displayhook(self):
        pass

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self.shell.outputs.append({"output_type": "execute_result", "data": format_dict,
                                   "metadata": md_dict or {}, "execution_count": self.prompt_count})

    def finish_displayhook(self):
        pass


class CapturingPublisher(DisplayPublisher):
    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
        self.shell.outputs.append({"output_type": "display_data", "data": data, "metadata": metadata or {}})


class TrustedShell(InteractiveShell):
    outputs = Outputs()

    def init_displayhook(self):
        self.displayhook = CapturingDisplayHook(shell=self, cache_size=self.cache_size)
        self.configurables.append(self.displayhook)
        self.display_trap = DisplayTrap(hook=self.displayhook)

    def init_display_pub(self):
        self.display_pub = CapturingPublisher(shell=self)
        self.configurables.append(self.display_pub)

    def _showtraceback(self, etype, evalue, stb):
        self.outputs.append({"output_type": "error", "ename": etype.__name__, "evalue": str(evalue),
                             "traceback": stb})

    def run(self, source):
        self.outputs = Outputs()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = StreamCapture(self, "stdout"), StreamCapture(self, "stderr")
        try:
            self.run_cell(source, store_history=True)
        finally:
            sys.stdout, sys.stderr = saved
        return list(self.outputs)


class TrustedSide:
    def __init__(self, channel):
        self.shell = TrustedShell.instance(colors="Linux")
        self.bridge = Bridge(channel)
        self.bridge.deleted = lambda: [name for name in self.borrowed if name not in self.shell.user_ns]
        course.checks.watch_changes_elsewhere = self.bridge.watch
        self.reset("en", [], [])

    def reset(self, language, setup, interface):
        """A new notebook: the release's set-up cells ([position, source], in order) still to run,
        and the names of its answer cells, the only ones ever taken from the student."""
        set_language(language)
        self.shell.reset(new_session=False)
        self.own_names = set(self.shell.user_ns)   # IPython's own (In, Out, exit, ...)
        self.pending = [(position, source) for position, source in setup]
        self.interface, self.setup_names = set(interface), set()
        self.state, self.borrowed, self.not_run = {}, {}, []
        return []

    def prepare(self, source, position):
        """Before a test at ``position`` (None: after every set-up cell): the namespace as the
        set-up left it, the set-up cells due by then run, the student's names it uses fetched."""
        self._restore()
        self.not_run = []
        due = [(p, cell) for p, cell in self.pending if position is None or p < position]
        wanted = self.interface & (self.setup_names | names_used(source) |
                                   {name for _, cell in due for name in names_used(cell)})
        try:
            self.borrowed = self.bridge.describe(wanted - set(self.state)) if wanted else {}
        except StudentSideError as exc:
            self.not_run = [error_output("StudentSideError", f"{exc}; this test was not run")]
            return []
        for name, value in self.borrowed.items():
            self.shell.user_ns.setdefault(name, value)
        for position_, cell in due:
            self.pending.remove((position_, cell))
            self.setup_names |= names_used(cell)   # what the given helpers may call, for every test
            for output in self.shell.run(cell):
                if output["output_type"] == "error":   # the instructor's to see, in the grader's log
                    print(f"set-up cell {position_} failed on the trusted side: {output['ename']}: "
                          f"{output['evalue']}", file=sys.stderr)
        if due:
            memo = {}   # one memo: names that shared an object still share its copy
            self.state = {name: private_copy(value, memo) for name, value in self.shell.user_ns.items()
                          if name not in self.own_names and self.borrowed.get(name, self) is not value}
        return []

    def test(self, source):
        """The test cell, in the namespace ``prepare`` made."""
        if self.not_run:   # why prepare could not make it
            return self.not_run
        self.bridge.changed = []
        return self.shell.run(source)

    def _restore(self):
        """The namespace as the set-up left it: names a test defined are gone, the set-up's are fresh."""
        user_ns = self.shell.user_ns
        for name in [name for name in user_ns if name not in self.own_names]:
            del user_ns[name]
        memo = {}
        user_ns.update({name: private_copy(value, memo) for name, value in self.state.items()})


def private_copy(value, memo):
    """A copy a test may change without changing the next test's (functions and modules as they
    are); ``memo`` shared across names keeps objects they shared shared."""
    try:
        return copy.deepcopy(value, memo)
    except Exception:   # noqa: BLE001 (modules and other objects that cannot be copied)
        return value


def error_output(ename, evalue):
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def names_used(source):
    """Names the code reads before (if ever) assigning them itself."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    seen, used = set(), set()
    for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Name)),
                       key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node.ctx, ast.Load) and node.id not in seen:
            used.add(node.id)
        seen.add(node.id)
    return used


class Channel:
    """JSON lines with the grader, on file descriptors of their own (the cells' prints go elsewhere)."""

    def __init__(self):
        self.reader = os.fdopen(os.dup(0), "r", encoding="utf-8")
        self.writer = os.fdopen(os.dup(1), "w", encoding="utf-8")
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(2, 1)   # stray output of C code goes to the grader's log, never into the channel

    def send(self, message):
        self.writer.write(json.dumps(message) + "\n")
        self.writer.flush()

    def receive(self):
        line = self.reader.readline()
        if not line:
            raise SystemExit(0)   # the grader is gone
        return json.loads(line)

    def ask(self, message):
        self.send(message)
        return self.receive()


def main():
    _, memory_limit, folder = sys.argv
    resource.setrlimit(resource.RLIMIT_AS, (int(memory_limit), int(memory_limit)))
    channel = Channel()
    side = TrustedSide(channel)
    try:
        while True:
            request = channel.receive()
            if request["op"] == "reset":
                outputs = side.reset(request["language"], request["setup"], request["interface"])
            elif request["op"] == "prepare":
                outputs = side.prepare(request["source"], request["position"])
            else:
                outputs = side.test(request["source"])
            channel.send({"op": "done", "outputs": outputs, "execution_count": side.shell.execution_count - 1})
    finally:   # the grader is gone (a Dask worker is stopped without clean-up): leave nothing behind
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
