"""Shared fixtures: the course generated once, the sample class graded once, and what the tests
need from the machine (bubblewrap, a kernel, Chromium, PostgreSQL).

Two tiers: `make check` runs the tests not marked ``slow`` (minutes); `make test` runs them all.
A missing tool skips the tests that need it, saying what to install; under CI (CI=true) it
fails them instead, so a CI machine can never pass without running everything.
"""

import os
import shutil
import sqlite3
import subprocess
import sys

import nbformat
import pytest

import samples
from bad_samples import LISTENER_PORT, Listener
from grader.environment import BIN, course_env
from notebooks import ROOT, fill_in, notebook_path  # noqa: F401 (shared with the test modules)

# nbgrader's gradebook starts `alembic` by name, in this process too (test_report.py)
os.environ["PATH"] = course_env()["PATH"]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())
# Short limits keep grading runs short: a cell times out after 10 s, and an interrupted kernel
# that does not answer within 3 s is restarted.
SHORT_TIMEOUTS = """
c.Execute.timeout = 10
c.RobustExecute.interrupt_grace = 3
"""


def in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(available, message):
    """Skip the test when ``available`` is false (fail it under CI), with ``message``: what is
    missing and how to install it."""
    if not available:
        (pytest.fail if in_ci() else pytest.skip)(message)


def nbgrader(*args, cwd):
    """Run the real nbgrader CLI in ``cwd``; return the completed process (output as text)."""
    return subprocess.run([str(BIN / "nbgrader"), *args], cwd=cwd, env=course_env(),
                          capture_output=True, text=True, timeout=900)


def grader_command(*args, cwd, succeeds=True, **env_vars):
    """Run the course's own `python -m grader ...` in ``cwd``; it must succeed (or fail)."""
    done = subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, env=course_env(**env_vars),
                          capture_output=True, text=True, timeout=1800)
    assert (done.returncode == 0) == succeeds, done.stdout[-5000:] + done.stderr[-5000:]
    return done


@pytest.fixture(scope="session")
def bubblewrap():
    """Grading runs kernels in bubblewrap's sandbox."""
    require(shutil.which("bwrap"), "bubblewrap is missing, and grading confines kernels with it: "
                                   "`sudo apt-get install -y bubblewrap` (Debian/Ubuntu)")


@pytest.fixture(scope="session")
def kernel():
    """A Jupyter kernel for Python, which running a notebook needs."""
    from jupyter_client.kernelspec import KernelSpecManager
    require("python3" in KernelSpecManager().find_kernel_specs(),
            "no python3 Jupyter kernel: `make setup` installs ipykernel into .venv")


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A copy of the course (config and source/) in which every assignment has been generated:
    release/ and a gradebook that knows every assignment. Copy it (``copy_course``) to change it."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "source", root / "source")
    for assignment in ASSIGNMENTS:
        done = nbgrader("generate_assignment", assignment, cwd=root)
        assert done.returncode == 0, done.stdout + done.stderr
    return root


def gradebook_row_counts(root):
    """Rows per table of a course's sqlite gradebook: what a second run must leave as it is."""
    with sqlite3.connect(root / "gradebook.db") as db:
        return {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("student", "submitted_assignment", "submitted_notebook", "grade")}


def copy_course(course, target, config=""):
    """A copy of the generated ``course`` in ``target``, with ``config`` added to its nbgrader_config.py."""
    shutil.copytree(course, target)
    with open(target / "nbgrader_config.py", "a") as config_file:
        config_file.write(config)
    return target


@pytest.fixture(scope="session")
def graded_class(bubblewrap, kernel, course, tmp_path_factory):
    """The one grading of every sample submission, shared by the tests that read it.

    `python -m grader demo` (what `make demo` runs) on the sample class of tests/samples (six
    students per assignment, and the bad samples of 01_perceptron), with every other case of
    tests/submissions handed in by a student of its own (``samples.other_students``): each case
    is graded exactly once. Short timeouts. Returns the course folder."""
    root = copy_course(course, tmp_path_factory.mktemp("class") / "course", SHORT_TIMEOUTS)
    shutil.copytree(ROOT / "tests" / "samples", root / "tests" / "samples")
    for assignment in ASSIGNMENTS:
        release_path = notebook_path(root / "release", assignment)
        release = nbformat.read(release_path, as_version=4)
        named = samples.cases(assignment)
        for student, case in samples.other_students(assignment).items():
            target = root / "submitted" / student / assignment / release_path.name
            target.parent.mkdir(parents=True)
            nbformat.write(fill_in(release, named[case][0]), target)
    listener = Listener(LISTENER_PORT)   # the `network` sample tries to reach it: nobody may
    try:
        grader_command("demo", cwd=root)
    finally:
        listener.close()
    assert listener.connections == [], "a sandboxed kernel reached the host's network"
    return root
