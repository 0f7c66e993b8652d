"""The trusted side of grading: a process that runs the test cells and never the student's code.

    python -m grader.trusted      (started by grader/execute.py, once per grading process)

The instructor's test cells and locked set-up cells run here, in an IPython shell of their own,
with the real `check`, the expected values and the hidden tests. Each name a test cell uses that
the student defined (and this side did not) is fetched from the student's kernel before the
cell: a function becomes a `StudentFunction` stand-in, a constant (GATE_PARAMS, ...) its value
as plain data. Calling a stand-in runs the student's function in the student's kernel (through
the grader, which owns that kernel and its timeouts) and brings back the result, the arguments
as the call left them and what it printed (grader/student_side.py encodes them). So whatever the
student's code does to its own process, the comparison that decides the score runs here.

The grader talks to this process with one JSON object per line on stdin and stdout:
    {"op": "reset", "exchange": folder, "language": code}
                                              a new notebook (or a restarted kernel), in the
                                              notebook's language (its check messages')
    {"op": "setup", "source": code}           a locked set-up cell (run on both sides)
    {"op": "test", "source": code}            a test cell; while it runs this side may ask
        {"op": "student", "seq": n}           "run request n in the student's kernel", answered
        {"status": "ok" | "timeout" | "failed", "message": text}
    each op is answered with {"op": "done", "outputs": [...], "execution_count": n}: the cell's
    outputs in nbformat, as a kernel would have sent them.
"""

import ast
import builtins
import contextlib
import io
import json
import os
import re
import stat
import sys

import cloudpickle
import numpy as np
from IPython.core.display_trap import DisplayTrap
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell

from course.i18n import set_language

MAX_DEPTH = 64
MAX_ARRAY_BYTES = 256 * 1024 ** 2
REPLY_FILE = re.compile(r"reply-\d+-\d+\.npy")


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
        self.channel, self.folder, self.seq = channel, None, 0
        self.deleted = lambda: []   # the student's names a test deleted (`del squares`)

    def describe(self, names):
        found = {}
        with self._ask({"describe": sorted(names)}) as reply:
            for name, node in reply.get("names", {}).items():
                if name in names and not (isinstance(node, dict) and node.get("missing")):
                    found[name] = self.decode(node, ())
        return found

    def call(self, name, args, kwargs):
        request = {"call": name, "args": list(args), "kwargs": kwargs, "hide": self.deleted()}
        with self._ask(request) as reply:
            sys.stdout.write(str(reply.get("stdout", "")))
            sys.stderr.write(str(reply.get("stderr", "")))
            changed = reply.get("changed", {})
            for index, arg in enumerate(args):
                if str(index) in changed:
                    reflect(arg, self.decode(changed[str(index)], ()))
            if "raised" in reply:
                raise rebuild_exception(reply["raised"])
            return self.decode(reply.get("value"), args)

    @contextlib.contextmanager
    def _ask(self, request):
        """Have the student's kernel answer ``request``; the reply's files last until the block ends."""
        self.seq += 1
        seq, folder = self.seq, self.folder
        with open(os.path.join(folder, f"request-{seq}.pkl"), "wb") as file:
            Pickler(file).dump(request)
        try:
            answer = self.channel.ask({"op": "student", "seq": seq})
            if answer.get("status") == "timeout":
                raise CellTimeoutError(answer.get("message", ""))
            if answer.get("status") != "ok":
                raise StudentSideError(f"the grader could not run this in your kernel: {answer.get('message')}")
            try:
                reply = read_json(os.path.join(folder, f"reply-{seq}.json"))
            except (OSError, ValueError, RecursionError) as exc:
                raise StudentSideError(f"the grader could not read your kernel's answer: {exc}") from None
            yield reply if type(reply) is dict else {}
        finally:
            for name in os.listdir(folder):
                if name.startswith((f"request-{seq}.", f"reply-{seq}.", f"reply-{seq}-")):
                    os.unlink(os.path.join(folder, name))

    def decode(self, node, args, depth=0):
        """A value from the student's reply; anything malformed reads as an unencodable value."""
        try:
            return self._decode(node, args, depth)
        except (ValueError, TypeError, KeyError, IndexError, OSError, RecursionError) as exc:
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
            array = load_array(self.folder, body)
            return array if tag == "array" else array[()]
        if tag == "arg":
            value = args[body[0]]
            return value if len(body) == 1 else value[body[1]]
        if tag == "function" and type(body) is str and body.isidentifier():
            return StudentFunction(self, body)
        raise ValueError(f"unknown tag {tag!r}")


class Pickler(cloudpickle.Pickler):
    """Test inputs for the student's kernel; a stand-in goes by name, resolved over there."""

    def persistent_id(self, obj):
        return ("student", obj.__name__) if isinstance(obj, StudentFunction) else None


def read_json(path):
    with open_plain_file(path) as file:
        return json.load(file)


def load_array(folder, name):
    if type(name) is not str or not REPLY_FILE.fullmatch(name):
        raise ValueError(f"not a reply file: {name!r}")
    with open_plain_file(os.path.join(folder, name)) as file:
        return np.load(file, allow_pickle=False)


def open_plain_file(path):
    """Open a regular file the student's kernel wrote, never following a link it planted."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ARRAY_BYTES:
        os.close(descriptor)
        raise ValueError(f"{os.path.basename(path)} is not a regular file of at most {MAX_ARRAY_BYTES} bytes")
    return os.fdopen(descriptor, "rb")


def reflect(trusted, after):
    """Change an argument in place as the student's function changed its copy, so the checks
    that an argument was left alone see what a normal run would have shown them. Returns what
    the argument's place holds now: ``trusted`` itself wherever it could be changed in place."""
    if isinstance(trusted, np.ndarray) and isinstance(after, np.ndarray) and trusted.shape == after.shape:
        if not np.array_equal(trusted, after, equal_nan=True):
            trusted[...] = after
        return trusted
    if type(trusted) is list and type(after) is list:
        trusted[:] = [reflect(t, a) for t, a in zip(trusted, after)] + after[len(trusted):]
        return trusted
    if type(trusted) is dict and type(after) is dict:
        merged = {key: reflect(trusted[key], value) if key in trusted else value for key, value in after.items()}
        trusted.clear()
        trusted.update(merged)
        return trusted
    return after


def rebuild_exception(raised):
    """The student's exception, by class name and message (NotImplementedError as itself)."""
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
        self.setup_names, self.borrowed = set(), {}

    def reset(self, exchange, language):
        set_language(language)
        self.shell.reset(new_session=False)
        self.bridge.folder, self.setup_names, self.borrowed = exchange, set(), {}
        return []

    def setup(self, source):
        self.setup_names |= names_used(source)   # what the given helpers may call, for every test
        return self.shell.run(source)

    def test(self, source):
        for name, value in self.borrowed.items():    # fetched afresh for every test
            if self.shell.user_ns.get(name) is value:
                del self.shell.user_ns[name]
        wanted = (self.setup_names | names_used(source)) - set(self.shell.user_ns) - set(dir(builtins))
        self.borrowed = self.bridge.describe(wanted) if wanted else {}
        self.shell.user_ns.update(self.borrowed)
        return self.shell.run(source)


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
    channel = Channel()
    side = TrustedSide(channel)
    while True:
        request = channel.receive()
        op = request["op"]
        if op == "reset":
            outputs = side.reset(request["exchange"], request["language"])
        else:
            outputs = getattr(side, op)(request["source"])
        channel.send({"op": "done", "outputs": outputs, "execution_count": side.shell.execution_count - 1})


if __name__ == "__main__":
    main()
