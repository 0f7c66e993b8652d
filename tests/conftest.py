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
from packaging.version import Version

import samples
from bad_samples import LISTENER_PORT, Listener
from grader.environment import BIN, course_env
from notebooks import ROOT, fill_in, in_korean, notebook_path  # noqa: F401 (shared with the test modules)

# nbgrader's gradebook starts `alembic` by name, in this process too (test_report.py)
os.environ["PATH"] = course_env()["PATH"]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())
# Short limits keep grading runs short: a cell times out after 10 s, and an interrupted kernel
# that does not answer within 3 s is restarted.
SHORT_TIMEOUTS = """
c.Execute.timeout = 10
c.RobustExecute.interrupt_grace = 3
"""


# `make test` runs the tests on two pytest-xdist workers (--dist loadgroup), and each worker has
# its own session and module fixtures. The tests that share an expensive one run on one worker, so
# it is made once: the graded class, the sandbox's grading of the bad samples, the JupyterLab of
# the browser tests, and test_parallel's two gradings.
ONE_WORKER_PER_FIXTURE = {"graded_class": "sample_class", "graded": "bad_samples", "lab": "browser",
                          "serial": "parallel", "local": "parallel"}


def pytest_itemcollected(item):   # marked as collected: xdist reads the marks afterwards
    groups = {ONE_WORKER_PER_FIXTURE.get(name) for name in getattr(item, "fixturenames", ())} - {None}
    assert len(groups) <= 1, f"{item.nodeid} needs fixtures of two worker groups {groups}: merge the groups"
    for group in groups:
        item.add_marker(pytest.mark.xdist_group(group))


def pytest_configure(config):
    """pytest 9.2 broke xdist's --dist loadgroup (pytest-dev/pytest-xdist#1386): tests are no longer
    grouped, so the graded class would be graded once on each worker."""
    if config.getoption("dist", "no") == "loadgroup" and Version(pytest.__version__) >= Version("9.2"):
        raise pytest.UsageError(f"pytest {pytest.__version__} does not group tests for `--dist loadgroup`: "
                                "install the versions of requirements.txt (`make setup`)")


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


KOREAN_SUFFIX = "-ko"   # the sample student ada hands in the Korean edition as ada-ko


def korean_student(student):
    return f"{student}{KOREAN_SUFFIX}"


@pytest.fixture(scope="session")
def graded_class(bubblewrap, kernel, course, tmp_path_factory):
    """The one grading of every sample submission, in both editions, shared by the tests that read it.

    `python -m grader demo` (what `make demo` runs) on the sample class of tests/samples (six
    students per assignment, and the bad samples of 01_perceptron), with every other case of
    tests/submissions handed in by a student of its own (``samples.other_students``), and the six
    sample students' notebooks handed in again as the Korean edition's (student ``ada-ko`` and so
    on: the same code cells, ko/source's markdown). One gradebook grades both editions, as in a
    class. Short timeouts. Returns the course folder."""
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
    for submitted in sorted((ROOT / "tests" / "samples" / "good").glob("*/*/*.ipynb")):
        student, assignment = submitted.parent.parent.name, submitted.parent.name
        target = root / "submitted" / korean_student(student) / assignment / submitted.name
        target.parent.mkdir(parents=True)
        nbformat.write(in_korean(nbformat.read(submitted, as_version=4), assignment), target)
    listener = Listener(LISTENER_PORT)   # the `network` sample tries to reach it: nobody may
    try:
        grader_command("demo", cwd=root)
    finally:
        listener.close()
    assert listener.connections == [], "a sandboxed kernel reached the host's network"
    return root
