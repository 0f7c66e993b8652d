"""Code to review by hand: every cheat of the bad samples that reaches into the interpreter is
listed, no honest answer of the course is, and the scan reads code without running it."""

import shutil

import nbformat
import pytest

import samples
from bad_samples import ASSIGNMENT, BAD_SAMPLES
from conftest import ASSIGNMENTS, ROOT, notebook_path
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
    "read-the-checks-frames": "sys._getframe",
    "rewrite-check-code": "writes .__code__",
    "shadow-grader-names": "__import__",
    "forge-the-bridge": "get_ipython",
    "break-the-bridge": "get_ipython",
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
    ("from course import checks\nchecks.check = print", "replaces checks.check"),
    ("from numpy import testing\ntesting.assert_allclose = print", "replaces testing.assert_allclose"),
    ("from os import _exit", "from os import _exit"),
    ("import os as o\no._exit(0)", "o._exit"),
    ("vars(np)['allclose'] = print", "vars"),
    ("!pip install numpy", "shell command (!)"),
    ("from importlib import reload", "from importlib import reload"),
])
def test_each_kind_of_suspicious_code_is_named_with_its_line(code, what):
    found = scan_source(code)
    assert any(name == what or name.startswith(what) and what.endswith(" ") for _, name in found), found
    assert all(line >= 1 for line, _ in found)


def test_ordinary_code_and_harmless_magics_are_not_flagged():
    code = "%timeit relu(np.ones(10))\nimport numpy as np\nout = np.maximum(0, x)\nself_x = obj.value\n"
    assert scan_source(code) == []
    assert scan_source("def broken(:\n") == []   # cannot parse: cannot run, nothing to flag


def test_code_too_deep_to_parse_is_listed_not_a_crash(tmp_path):
    assert scan_source("x = np" + ".a" * 5000)[0][1].startswith("code the scan cannot read")
    folder = tmp_path / "sub"
    (folder / "notes.py").mkdir(parents=True)   # a folder whose name ends in .py
    (folder / "deep.py").write_text("y = " + "-" * 200000 + "1\n")
    assert [f.what.startswith("code the scan cannot read") for f in scan_submission(folder, "s", "a")] == [True]


def test_cell_metadata_cannot_hide_code_from_the_scan(tmp_path):
    release = nbformat.read(notebook_path(ROOT / "release", ASSIGNMENT), as_version=4)
    notebook = nbformat.from_dict(release)
    hidden = nbformat.v4.new_code_cell("import ctypes", metadata={"nbgrader": {"locked": True}})
    fake_test = nbformat.v4.new_code_cell("import os\nos._exit(0)", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": "test_mine", "points": 1}})
    notebook.cells += [hidden, fake_test]
    (tmp_path / "s").mkdir()
    nbformat.write(notebook, tmp_path / "s" / "perceptron.ipynb")
    found = {f.what for f in scan_submission(tmp_path / "s", "s", ASSIGNMENT, ROOT / "release" / ASSIGNMENT)}
    assert found == {"import ctypes", "os._exit"}


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
def test_no_notebook_of_the_sample_class_is_flagged(assignment):
    for folder in sorted((ROOT / "tests" / "samples" / "good").glob(f"*/{assignment}")):
        assert scan_submission(folder, folder.parent.name, assignment, ROOT / "release" / assignment) == []
