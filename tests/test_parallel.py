"""`python -m grader.parallel`: the real command, real nbgrader, real kernels, real Dask.

Scores must equal plain serial `nbgrader autograde` of the same submissions, cell by cell, on a
local cluster (the default) and on a `dask scheduler` with two `dask worker` processes; a re-run
changes nothing; bad submissions get their own result and the others grade normally.
"""

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time

import nbformat
import pytest

from conftest import copy_course, gradebook_row_counts, nbgrader, notebook_path
from grader.environment import BIN, course_env
from grader.gradebook import cell_grades
from grader.gradebook import cell_scores as scores_of
from notebooks import fill_in
from samples import cases, points

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("bubblewrap", "kernel")]
ASSIGNMENT = "01_perceptron"  # the machinery is the same for every notebook: one is enough
CASES = cases(ASSIGNMENT)
# a sample of the cases keeps the run time modest: full marks, zero, partial ones
STUDENTS = ["reference", "written-another-way", "untouched",
            *[s for s in CASES if s.startswith("mistake-")][:3]]
ENV = course_env()


def course_with(course, target, students):
    """A copy of the generated ``course`` with the sample submissions of ``students`` in submitted/."""
    copy_course(course, target)
    release_path = notebook_path(target / "release", ASSIGNMENT)
    release = nbformat.read(release_path, as_version=4)
    for student in students:
        path = target / "submitted" / student / ASSIGNMENT / release_path.name
        path.parent.mkdir(parents=True)
        nbformat.write(fill_in(release, CASES[student][0]), path)
    return target


def parallel(root, *args, timeout=600):
    """Run the command; return (exit code, {student: outcome row}, output)."""
    results = root / "results.csv"
    results.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-m", "grader.parallel", ASSIGNMENT, "--course", str(root),
                           "--results", str(results), "--no-progress", *args],
                          env=ENV, capture_output=True, text=True, timeout=timeout)
    rows = {}
    if results.exists():
        with open(results, newline="") as f:
            rows = {row["student"]: row for row in csv.DictReader(f)}
    return done.returncode, rows, done.stdout + done.stderr


def gradebook_state(root):
    """Everything autograde records: every graded cell of every submission, with its notebook's
    flag and its submission's timestamp."""
    return cell_grades(f"sqlite:///{root / 'gradebook.db'}")


def cell_scores(root):
    """student -> {test cell: score}."""
    return scores_of(f"sqlite:///{root / 'gradebook.db'}", ASSIGNMENT)


@pytest.fixture(scope="module")
def serial(course, tmp_path_factory):
    """The reference: plain serial `nbgrader autograde` of STUDENTS."""
    root = course_with(course, tmp_path_factory.mktemp("serial") / "course", STUDENTS)
    done = nbgrader("autograde", ASSIGNMENT, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    return cell_scores(root)


@pytest.fixture(scope="module")
def local(course, tmp_path_factory):
    """The same submissions through the parallel command on a local cluster of two workers."""
    root = course_with(course, tmp_path_factory.mktemp("local") / "course", STUDENTS)
    code, rows, output = parallel(root, "-j", "2")
    assert code == 0, output
    return root, rows


def test_local_cluster_scores_equal_serial_nbgrader(serial, local):
    root, rows = local
    assert set(serial) == set(STUDENTS)
    assert cell_scores(root) == serial
    assert {row["status"] for row in rows.values()} == {"graded"}
    for student in STUDENTS:
        expected = sum(serial[student].values())
        assert float(rows[student]["score"]) == expected, rows[student]
        assert (root / "autograded" / student / ASSIGNMENT / "perceptron.ipynb").exists()
    # the --results file, byte for byte as scripts that read it expect
    text = (root / "results.csv").read_bytes()
    assert text.startswith(b"assignment,student,status,score,max_score,message,workers\r\n"), text
    full = float(sum(points(ASSIGNMENT).values()))
    assert f"\r\n01_perceptron,reference,graded,{full},{full},,tcp://127.0.0.1:".encode() in text, text


def test_rerun_changes_nothing_and_force_regrades_the_same(serial, local):
    root, _ = local
    before, counts = gradebook_state(root), gradebook_row_counts(root)
    graded = root / "autograded" / "reference" / ASSIGNMENT / "perceptron.ipynb"
    mtime = graded.stat().st_mtime

    code, rows, output = parallel(root, "-j", "2")
    assert code == 0, output
    assert {row["status"] for row in rows.values()} == {"skipped"}, rows
    assert gradebook_state(root) == before and gradebook_row_counts(root) == counts
    assert graded.stat().st_mtime == mtime

    code, rows, output = parallel(root, "-j", "2", "--force", "--student", "reference",
                                  "--student", "untouched")
    assert code == 0, output
    assert {s: r["status"] for s, r in rows.items()} == {"reference": "graded", "untouched": "graded"}
    assert gradebook_state(root) == before and gradebook_row_counts(root) == counts


@pytest.fixture
def dask_cluster(tmp_path):
    """A real `dask scheduler` and two `dask worker` processes on localhost; its address."""
    scheduler_file = tmp_path / "scheduler.json"
    common = {"cwd": tmp_path, "env": ENV, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                   "--no-dashboard", "--scheduler-file", str(scheduler_file)], **common)]
    try:
        for _ in range(2):
            processes.append(subprocess.Popen(
                [str(BIN / "dask"), "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                 "--no-dashboard", "--memory-limit", "0"], **common))
        from dask.distributed import Client
        deadline = time.monotonic() + 120
        while not scheduler_file.exists():
            assert time.monotonic() < deadline, "the dask scheduler did not start"
            time.sleep(0.2)
        with Client(scheduler_file=str(scheduler_file), timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield json.loads(scheduler_file.read_text())["address"]
    finally:
        for process in processes[::-1]:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_dask_scheduler_with_two_workers_scores_equal_serial(course, serial, dask_cluster, tmp_path):
    students = ["reference", "untouched", *STUDENTS[3:5]]
    root = course_with(course, tmp_path / "course", students)
    code, rows, output = parallel(root, "--scheduler", dask_cluster)
    assert code == 0, output
    assert {row["status"] for row in rows.values()} == {"graded"}, rows
    assert cell_scores(root) == {s: serial[s] for s in students}
    workers = {w for row in rows.values() for w in row["workers"].split()}
    assert len(workers) == 2, f"the work went to {workers}"


def bad_course(course, target):
    """One good student, and each batch-level bad submission, all known to the gradebook but one."""
    root = course_with(course, target, ["reference"])
    good = root / "submitted" / "reference" / ASSIGNMENT / "perceptron.ipynb"
    folder = root / "submitted"
    (folder / "not-json" / ASSIGNMENT).mkdir(parents=True)
    (folder / "not-json" / ASSIGNMENT / "perceptron.ipynb").write_text('{"cells": [ {"cell_type": ')
    (folder / "no-notebook" / ASSIGNMENT).mkdir(parents=True)
    (folder / "no-notebook" / ASSIGNMENT / "notes.txt").write_text("I did it on paper\n")
    (folder / "renamed" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(good, folder / "renamed" / ASSIGNMENT / "perceptron (1).ipynb")
    (folder / "empty" / ASSIGNMENT).mkdir(parents=True)
    (folder / "stranger" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(good, folder / "stranger" / ASSIGNMENT / "perceptron.ipynb")
    for student in ["reference", "not-json", "no-notebook", "renamed", "empty"]:
        done = nbgrader("db", "student", "add", student, cwd=root)
        assert done.returncode == 0, done.stdout + done.stderr
    return root


def test_bad_submissions_each_get_a_result_and_the_rest_grade(course, serial, tmp_path):
    root = bad_course(course, tmp_path / "course")
    code, rows, output = parallel(root, "--no-create")  # the default: a worker per core
    assert code == 1, output  # the unknown student was not recorded
    status = {s: (r["status"], r["message"]) for s, r in rows.items()}
    assert status["reference"][0] == "graded"
    assert status["not-json"][0] == "bad-submission" and "not a readable notebook" in status["not-json"][1]
    assert status["no-notebook"] == ("bad-submission",
                                     "perceptron.ipynb is missing (the folder holds notes.txt)")
    assert status["renamed"][0] == "bad-submission" and "perceptron (1).ipynb: renamed?" in status["renamed"][1]
    assert status["empty"] == ("bad-submission", "empty submission folder")
    assert status["stranger"][0] == "unknown-student" and "not a student in the gradebook" in status["stranger"][1]

    state = gradebook_state(root)
    assert "stranger" not in {grade.student for grade in state}
    with sqlite3.connect(root / "gradebook.db") as db:
        assert db.execute("SELECT COUNT(*) FROM student WHERE id = 'stranger'").fetchone()[0] == 0
    assert cell_scores(root)["reference"] == serial["reference"]
    for student in ["not-json", "no-notebook", "renamed", "empty"]:
        cells = [grade for grade in state if grade.student == student]
        assert {grade.notebook for grade in cells} == {"perceptron"}, (student, cells)
        assert all(grade.flagged and grade.score == 0 for grade in cells), (student, cells)
        assert not (root / "autograded" / student).exists()

    code, rows_again, output = parallel(root, "--no-create")
    assert code == 1, output
    assert rows_again["reference"]["status"] == "skipped"
    assert {s: r["status"] for s, r in rows_again.items() if s != "reference"} == \
        {s: r["status"] for s, r in rows.items() if s != "reference"}
    assert gradebook_state(root) == state


def hold_lock(db_path, until):
    """Hold an exclusive lock on the sqlite gradebook until ``until()`` says stop."""
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    try:
        while not until():
            time.sleep(0.1)
    finally:
        db.execute("ROLLBACK")
        db.close()


def test_locked_gradebook_is_waited_for(course, serial, tmp_path):
    """A lock held a while by another program: the command waits, then grades everyone."""
    root = course_with(course, tmp_path / "course", ["reference", "untouched"])
    waiting = threading.Event()
    locker = threading.Thread(target=hold_lock, args=(root / "gradebook.db", waiting.is_set))
    locker.start()
    process = subprocess.Popen([sys.executable, "-m", "grader.parallel", ASSIGNMENT, "--course", str(root),
                                "-j", "2", "--no-progress", "--lock-timeout", "120"],
                               env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    try:
        for line in process.stdout:
            output.append(line)
            if "gradebook is locked" in line:
                time.sleep(1)
                waiting.set()
        assert process.wait(timeout=300) == 0, "".join(output)
    finally:
        waiting.set()
        locker.join()
        if process.poll() is None:
            process.kill()
    assert any("gradebook is locked" in line for line in output), "".join(output)
    assert cell_scores(root) == {s: serial[s] for s in ["reference", "untouched"]}


def test_gradebook_locked_throughout_gets_a_clear_result_per_student(course, tmp_path):
    root = course_with(course, tmp_path / "course", ["reference", "untouched"])
    done = threading.Event()
    locker = threading.Thread(target=hold_lock, args=(root / "gradebook.db", done.is_set))
    locker.start()
    try:
        code, rows, output = parallel(root, "-j", "1", "--lock-timeout", "1")
    finally:
        done.set()
        locker.join()
    assert code == 1, output
    assert {s: r["status"] for s, r in rows.items()} == {"reference": "gradebook-locked",
                                                         "untouched": "gradebook-locked"}
    assert all("stayed locked by another program" in r["message"] for r in rows.values())
    assert "nbgrader db upgrade" not in output and "Traceback" not in output, output
    assert not (root / "autograded" / "reference").exists()
