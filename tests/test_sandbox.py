"""Bad submissions under the real `nbgrader autograde`, with the course's sandbox and executor.

The submissions are tests/samples/bad/ (built by tests/bad_samples.py): the reference answers
plus one hostile or broken cell each. Each must get exactly the score its bad cell earns (the
items it breaks score 0, the rest full marks), with the reason written into that cell; the
honest students graded in the same run must score as usual, the host must be untouched, and a
second run must change nothing. The cheats are also graded with the defence turned off, to show
that they really cheat.
"""

import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from nbconvert.filters.markdown_mistune import markdown2html_mistune

from bad_samples import ASSIGNMENT, BAD_SAMPLES, CANARY, LISTENER_PORT, Listener, bad_cases, build, load
from conftest import SHORT_TIMEOUTS, copy_course, gradebook_row_counts, grader_command, nbgrader
from grader.environment import course_env
from grader.gradebook import cell_grades
from grader.sandbox import SandboxUnavailable, private_folder
from grader.sanitize import hazards
from notebooks import fill_in, grade_id


release_path, RELEASE, REFERENCE = load()
BAD = bad_cases(REFERENCE)
POINTS = {grade_id(c).removeprefix("test_"): c.metadata["nbgrader"]["points"]
          for c in RELEASE.cells if c.metadata.get("nbgrader", {}).get("grade")}
HONEST = {"reference": (REFERENCE, []), "untouched": ({}, list(POINTS))}

# student -> (cell, error name, words in its message) that the grader must record
RECORDED = {
    "infinite-loop": ("relu", "CellTimeoutError", "ran longer than 10 s and was interrupted"),
    "unstoppable-loop": ("relu", "CellTimeoutError", "did not stop when interrupted; the grader restarted"),
    "sys-exit": ("sigmoid", "SystemExit", "giving up"),
    "os-exit": ("tanh", "KernelDied", "exited with status 1"),
    "exit-call": ("relu", "KernelDied", "shut the kernel down (exit() or quit())"),
    "segfault": ("step_function", "KernelDied", "segmentation fault"),
    "memory-hog": ("relu", "MemoryError", "Unable to allocate 16.0 GiB"),
    "fork-bomb": ("perceptron", "BlockingIOError", "Resource temporarily unavailable"),
    "network": ("sigmoid", "ConnectionRefusedError", "Connection refused"),
    "write-outside": ("tanh", "PermissionError", "written-by-a-student.txt"),
    "read-solutions": ("relu", "FileNotFoundError", "source/01_perceptron"),
    "numpy-shadow": ("test_relu", "AssertionError", "That is the absolute value"),
    "edited-test": ("test_relu", "AssertionError", "That is the absolute value"),
    "deleted-test": ("test_sigmoid", "AssertionError", "should be 0.5, got 0"),
    "monkeypatch-numpy": ("test_sigmoid", "AssertionError", "should be 0.5, got 0"),
    "monkeypatch-checks": ("test_tanh", "AssertionError", "should be 0.761594"),
    "patch-while-tested": ("test_sigmoid", "AssertionError", "should be 0.5, got 0"),
    "silence-errors": ("test_sigmoid", "AssertionError", "should be 0.5, got 0"),
    "silence-while-tested": ("test_sigmoid", "AssertionError", "should be 0.5, got 0"),
    "wrong-sigmoid": ("test_sigmoid", "AssertionError", "should be 0.5, got 0"),
    "read-the-checks-frames": ("test_sigmoid", "AssertionError", "should be 0.5, got 0"),
    "rewrite-check-code": ("test_sigmoid", "AssertionError", "should be 0.5, got 0"),
    "shadow-grader-names": ("test_sigmoid", "AssertionError", "should be 0.5, got 0"),
    "forge-the-bridge": ("test_sigmoid", "AssertionError", "should be 0.880797, got 0.5"),
    "huge-result": ("test_sigmoid", "AssertionError", "more than the 64 MB the grader reads"),
    "break-the-bridge": ("test_tanh", "StudentSideError", "gave no answer"),
    "setup-unmarked": ("test_sigmoid", "AssertionError", "should be 0.5, got 0"),
    "test-above-setup": ("test_sigmoid", "AssertionError", "should be 0.5, got 0"),
}
CANARY_TEXT = "the grader must neither write nor chmod this file\n"
# The checks in the student's own kernel, as plain nbgrader runs them (sandbox kept)
PLAIN_NBGRADER_CHECKS = """
from nbgrader.converters.autograde import Autograde
c.Autograde.autograde_preprocessors = Autograde.class_traits()["autograde_preprocessors"].default()
"""
# the cheats that work against checks in the student's process
CHEATS = ["monkeypatch-numpy", "monkeypatch-checks", "silence-errors", "read-the-checks-frames",
          "rewrite-check-code"]
KERNEL_KILLERS = ["segfault", "os-exit", "exit-call", "unstoppable-loop", "fork-bomb"]


def make_course(course, root, students, config=SHORT_TIMEOUTS):
    """A copy of the generated ``course`` in ``root`` with ``students`` submitted to 01_perceptron."""
    copy_course(course, root, config)
    for student in students:
        target = root / "submitted" / student / ASSIGNMENT
        if student in HONEST:
            target.mkdir(parents=True)
            nbformat.write(fill_in(RELEASE, HONEST[student][0]), target / release_path.name)
        else:
            shutil.copytree(BAD_SAMPLES / student / ASSIGNMENT, target)
    return root


def scores(root):
    """student -> {item: score}, from the gradebook (each student has one notebook)."""
    items, notebooks = {}, {}
    for grade in cell_grades(f"sqlite:///{root / 'gradebook.db'}"):
        if grade.assignment == ASSIGNMENT:
            items.setdefault(grade.student, {})[grade.cell.removeprefix("test_")] = grade.score
            notebooks.setdefault(grade.student, set()).add(grade.notebook)
    assert all(names == {"perceptron"} for names in notebooks.values()), notebooks
    return items


def gradebook_rows(root):
    """Counts that a second run must leave as they are."""
    grades = cell_grades(f"sqlite:///{root / 'gradebook.db'}")
    return {**gradebook_row_counts(root), "manual": sum(g.needs_manual_grade for g in grades)}


def expected(lost):
    return {item: 0.0 if item in lost else float(points) for item, points in POINTS.items()}


def outputs(root, student):
    """grade_id -> the outputs of that cell in the student's autograded notebook."""
    path = root / "autograded" / student / ASSIGNMENT / release_path.name
    return {grade_id(c): c.outputs for c in nbformat.read(path, as_version=4).cells
            if c.cell_type == "code" and grade_id(c)}


def printed(root, student, cell):
    """What a cell printed (its stream outputs)."""
    return "".join(o.text for o in outputs(root, student)[cell] if o.output_type == "stream")


def sandboxed_without_kernel():
    """(pid, connection file) of every sandboxed process whose kernel's connection file is gone."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            uid = int(next(line for line in (proc / "status").read_text().splitlines()
                           if line.startswith("Uid:")).split()[1])
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, StopIteration):
            continue
        files = [a.decode() for a in argv if a.endswith(b"connection.json")]
        if uid >= 200000 and files and not Path(files[0]).exists():
            found.append((proc.name, files[0]))
    return found


def orphans():
    """Sandboxed processes that outlived their kernel (a fork bomb's children). Kernels that other
    gradings run meanwhile don't count, nor one of theirs seen between its clean-up and its exit:
    an orphan is still there 3 s later."""
    found = sandboxed_without_kernel()
    if found:
        time.sleep(3)
        found = [process for process in sandboxed_without_kernel() if process in found]
    return found


@pytest.fixture(scope="module")
def graded(bubblewrap, kernel, course, tmp_path_factory):
    root = make_course(course, tmp_path_factory.mktemp("sandbox") / "course", [*HONEST, *BAD])
    Path(CANARY).write_text(CANARY_TEXT)   # what plant-links points its links at
    os.chmod(CANARY, 0o600)
    listener = Listener(LISTENER_PORT)
    try:
        done = nbgrader("autograde", ASSIGNMENT, "--create", cwd=root)
    finally:
        listener.close()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-6000:]
    return root, listener, done


def test_committed_bad_samples_are_what_the_builder_makes():
    for student, (notebook, files) in build(RELEASE, REFERENCE).items():
        folder = BAD_SAMPLES / student / ASSIGNMENT
        assert nbformat.read(folder / release_path.name, as_version=4) == notebook, student
        for name, text in files.items():
            assert (folder / name).read_text() == text
    assert sorted(p.name for p in BAD_SAMPLES.iterdir()) == sorted(BAD)


@pytest.mark.slow
def test_every_student_scores_exactly_what_the_bad_cell_costs(graded):
    root, _, _ = graded
    got = scores(root)
    wanted = {student: expected(lost) for student, (_, lost, _) in BAD.items()}
    wanted.update({student: expected(lost) for student, (_, lost) in HONEST.items()})
    assert got == wanted


@pytest.mark.slow
def test_the_parallel_grader_scores_every_bad_sample_the_same(graded_class):
    """The demo class (`python -m grader demo`) grades the bad samples too, on Dask workers
    (its fixture checks that nobody reached the host's network)."""
    got = scores(graded_class)
    assert {student: got[student] for student in BAD} == \
        {student: expected(lost) for student, (_, lost, _) in BAD.items()}
    # on a worker the kernel's folder is a temporary one, so the paths above it that these two
    # try lead nowhere either way: the serial grading above is their test
    for student, (cell, ename, words) in RECORDED.items():
        if student not in ("read-solutions", "write-outside"):
            errors = [o for o in outputs(graded_class, student)[cell] if o.output_type == "error"]
            assert any(o.ename == ename and words in o.evalue for o in errors), (student, errors)


@pytest.mark.slow
def test_each_bad_cell_says_why_in_its_output(graded):
    root, _, _ = graded
    for student, (cell, ename, words) in RECORDED.items():
        errors = [o for o in outputs(root, student)[cell] if o.output_type == "error"]
        assert any(o.ename == ename and words in o.evalue for o in errors), (student, errors)


@pytest.mark.slow
def test_the_host_is_untouched(graded):
    root, listener, _ = graded
    assert listener.connections == []
    assert not list(root.rglob("written-by-a-student.txt"))
    assert orphans() == []  # the fork bomb's children died with their kernel
    for folder in (root / "autograded").glob(f"*/{ASSIGNMENT}"):
        assert folder.stat().st_uid == os.geteuid(), folder  # handed back after grading
    assert "BEGIN SOLUTION" not in printed(root, "read-solutions", "relu")
    shadow = outputs(root, "numpy-shadow")
    assert "fake numpy in use" not in str(shadow)
    assert (root / "autograded" / "numpy-shadow" / ASSIGNMENT / "numpy.py").exists()  # it was there


@pytest.mark.slow
def test_links_and_pipes_planted_by_a_kernel_are_never_followed(graded):
    """plant-links left links to a host file, and a named pipe, in every folder its kernel could
    write, under the names the grader once used, and replaced its connection file with a link:
    the run finished (the fixture), every other student was graded, the file is untouched."""
    root, _, _ = graded
    assert scores(root)["plant-links"] == expected([])
    assert not Path(CANARY).is_symlink() and Path(CANARY).read_text() == CANARY_TEXT
    assert stat.S_IMODE(os.stat(CANARY).st_mode) == 0o600   # nbgrader chmods each file it finds
    leftovers = [p for p in (root / "autograded" / "plant-links").rglob("*") if p.is_symlink() or p.is_fifo()]
    assert leftovers == []


@pytest.mark.slow
def test_a_submission_is_shown_never_run_in_the_instructors_pages(graded):
    """Markdown and outputs that would run script in formgrader or feedback are shown as text."""
    root, _, _ = graded
    notebook = nbformat.read(root / "autograded" / "script-in-markdown" / ASSIGNMENT / release_path.name, 4)
    shown = notebook.cells[0].source
    assert shown.startswith("*This cell held HTML that would run") and "<script>" in shown
    assert not hazards(markdown2html_mistune(shown))
    data = [output.get("data", {}) for output in notebook.cells[1].outputs]
    assert data and all(set(d) == {"text/plain"} for d in data), data
    done = nbgrader("generate_feedback", ASSIGNMENT, "--student", "script-in-markdown", "--force", cwd=root)
    assert done.returncode == 0, done.stderr[-3000:]
    page = (root / "feedback" / "script-in-markdown" / ASSIGNMENT / "perceptron.html").read_text()
    live = re.compile(r"<script[^>]*>[^<]*planted|<img[^>]*onerror|href=\"javascript:", re.IGNORECASE)
    assert "This cell held HTML that would run" in page and not live.findall(page)


@pytest.mark.slow
def test_running_again_changes_nothing(graded):
    root, _, _ = graded
    before, rows = scores(root), gradebook_rows(root)
    assert rows["manual"] == 0
    again = nbgrader("autograde", ASSIGNMENT, cwd=root)  # already graded: nothing to do
    assert again.returncode == 0, again.stderr[-3000:]
    # the nondeterministic ones graded anew, in one batch of the parallel grader
    students = [arg for student in [*KERNEL_KILLERS, "reference"] for arg in ("--student", student)]
    forced = subprocess.run([sys.executable, "-m", "grader.parallel", ASSIGNMENT, "--force", *students,
                             "--no-progress"], cwd=root, env=course_env(), capture_output=True, text=True)
    assert forced.returncode == 0, forced.stdout[-3000:] + forced.stderr[-3000:]
    assert forced.stdout.count(" graded ") == len(KERNEL_KILLERS) + 1, forced.stdout
    assert scores(root) == before
    assert gradebook_rows(root) == rows


@pytest.mark.slow
@pytest.mark.usefixtures("bubblewrap", "kernel")
def test_the_cheats_work_without_the_defences(course, tmp_path):
    """Proof that the samples cheat: unconfined, or with the checks in the student's process (as
    plain nbgrader runs them), they score full marks."""
    unconfined = make_course(course, tmp_path / "unconfined", ["read-solutions"])
    in_process = make_course(course, tmp_path / "in-process", CHEATS, SHORT_TIMEOUTS + PLAIN_NBGRADER_CHECKS)
    for root, options in [(unconfined, ["--SandboxedKernelManager.enabled=False"]), (in_process, [])]:
        done = nbgrader("autograde", ASSIGNMENT, "--create", *options, cwd=root)
        assert done.returncode == 0, done.stderr[-3000:]
        assert all(got == expected([]) for got in scores(root).values()), scores(root)
    assert "BEGIN SOLUTION" in printed(unconfined, "read-solutions", "relu")


def test_a_missing_bubblewrap_is_named_with_its_remedy(course, tmp_path):
    root = make_course(course, tmp_path / "course", ["reference"])
    done = nbgrader("autograde", ASSIGNMENT, "--create", "--SandboxedKernelManager.bwrap=no-such-bwrap", cwd=root)
    assert done.returncode != 0
    assert "needs bubblewrap" in done.stderr and "apt-get install bubblewrap" in done.stderr
    assert "SandboxedKernelManager.enabled = False" in done.stderr


def test_the_course_commands_say_a_missing_bubblewrap_once_and_touch_nothing(course, tmp_path):
    root = copy_course(course, tmp_path / "course", 'c.SandboxedKernelManager.bwrap = "no-such-bwrap"\n')
    shutil.copytree(BAD_SAMPLES.parent, root / "tests" / "samples")
    gradebook = (root / "gradebook.db").read_bytes()
    for command in ("demo", "grade"):
        done = grader_command(command, cwd=root, succeeds=False)
        output = done.stdout + done.stderr
        assert output.count("needs bubblewrap") == 1 and "apt-get install bubblewrap" in output, output
        assert "Traceback" not in output, output
    assert not (root / "submitted").exists(), "nothing copied"
    assert (root / "gradebook.db").read_bytes() == gradebook, "the gradebook is unchanged"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a folder of another user takes root")
def test_the_uid_lock_folder_must_be_the_graders_own(tmp_path):
    assert private_folder(tmp_path / "mine") == tmp_path / "mine"
    assert private_folder(tmp_path / "mine") == tmp_path / "mine"   # the next kernel's check
    (tmp_path / "open").mkdir()
    (tmp_path / "open").chmod(0o777)
    foreign = tmp_path / "foreign"
    foreign.mkdir(mode=0o700)
    os.chown(foreign, os.geteuid() + 1, os.getgid())
    (tmp_path / "link").symlink_to(tmp_path / "mine")
    (tmp_path / "file").write_text("")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    for name in ("open", "foreign", "link", "file", "dangling"):
        with pytest.raises(SandboxUnavailable, match="remove it .as root. and grade again"):
            private_folder(tmp_path / name)
