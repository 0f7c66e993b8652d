"""Code to review by hand: every cheat of the bad samples that reaches into the interpreter is
listed, no honest answer of the course is, and the scan reads code without running it."""

import shutil

import pytest

import samples
from bad_samples import ASSIGNMENT, BAD_SAMPLES
from conftest import ASSIGNMENTS, ROOT
from grader.suspicious import scan_course, scan_source, scan_submission

# bad sample -> what the scan must name (the rest break the grader without such code: the
# sandbox and the executor answer them)
FLAGGED = {
    "displayhook-cheat": "sys.displayhook",
    "fork-bomb": "os.fork",
    "monkeypatch-checks": "replaces course.checks.check",
    "monkeypatch-numpy": "replaces np.allclose",
    "network": "import socket",
    "numpy-shadow": "replaces _real.allclose",
    "os-exit": "os._exit",
    "patch-while-tested": "replaces np.allclose",
    "segfault": "import ctypes",
    "silence-errors": "get_ipython",
    "silence-while-tested": "get_ipython",
    "sys-exit": "sys.exit",
}


@pytest.mark.parametrize("code, what", [
    ("import sys\nframe = sys._getframe(1)", "sys._getframe"),
    ("def f(): pass\nf.__code__ = (lambda: 1).__code__", "writes .__code__"),
    ("import gc\ngc.get_objects()", "import gc"),
    ("import builtins\nbuiltins.print = None", "import builtins"),
    ("exec('x = 1')", "exec"),
    ("y = eval('1')", "eval"),
    ("code = compile('1', 'f', 'eval')", "compile"),
    ("np = __import__('numpy')", "__import__"),
    ("globals()['check'] = print", "globals"),
    ("import threading\nthreading.Thread(target=print).start()", "import threading"),
    ("from concurrent.futures import ThreadPoolExecutor", "from concurrent.futures import "),
    ("class A: pass\nA.__eq__ = lambda a, b: True", "writes .__eq__"),
    ("get_ipython().run_cell('x')", "get_ipython"),
    ("%load_ext autoreload", "IPython magic %load_ext"),
    ("import numpy as n\nn.isclose = None", "replaces n.isclose"),
])
def test_each_kind_of_suspicious_code_is_named_with_its_line(code, what):
    found = scan_source(code)
    assert any(name.startswith(what) for _, name in found), found
    assert all(line >= 1 for line, _ in found)


def test_ordinary_code_and_harmless_magics_are_not_flagged():
    code = "%timeit relu(np.ones(10))\nimport numpy as np\nout = np.maximum(0, x)\nself_x = obj.value\n"
    assert scan_source(code) == []
    assert scan_source("def broken(:\n") == []   # cannot parse: cannot run, nothing to flag


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_honest_answer_of_the_course_is_flagged(assignment):
    for case, (answers, _) in samples.cases(assignment).items():
        for item, code in answers.items():
            assert scan_source(code) == [], f"{assignment} {case} {item}: {scan_source(code)}"


def test_every_cheat_of_the_bad_samples_is_listed_and_the_rest_are_not(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "release" / ASSIGNMENT, course / "release" / ASSIGNMENT)
    for student in [p.name for p in BAD_SAMPLES.iterdir()]:
        shutil.copytree(BAD_SAMPLES / student / ASSIGNMENT, course / "autograded" / student / ASSIGNMENT)
    shutil.copytree(ROOT / "tests" / "samples" / "good" / "ben" / ASSIGNMENT, course / "autograded" / "ben" / ASSIGNMENT)
    findings = scan_course(course)
    listed = {f.student for f in findings}
    assert listed == set(FLAGGED), sorted(listed ^ set(FLAGGED))
    for student, what in FLAGGED.items():
        assert any(f.student == student and f.what.startswith(what) for f in findings), student
    segfault = next(f for f in findings if f.student == "segfault")
    assert (segfault.file, segfault.cell, segfault.line) == ("perceptron.ipynb", "step_function", 1)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_cells_a_release_gives_are_not_flagged(assignment):
    assert scan_submission(ROOT / "release" / assignment, "untouched", assignment) == []
