"""The instructor's cycle end to end with the real nbgrader CLI and the course's own commands.

Two students go through a temporary exchange: roster, generate, release, fetch, submit, collect,
grade (autograde, feedback, grades.csv), release and fetch feedback. Then the sample class
(`python -m grader demo`, the shared ``graded_class``) is graded and reported on.
"""

import csv
import shutil

import nbformat
import pytest

import samples
from conftest import ROOT, grader_command, nbgrader, notebook_path
from notebooks import fill_in, reference_answers

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("bubblewrap", "kernel")]
ASSIGNMENT = "01_perceptron"
FULL_MARKS = float(sum(samples.points(ASSIGNMENT).values()))


def new_course(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source")
    return course


def as_student(student, tmp_path, at_exchange):
    """nbgrader flags for acting as one student, with a cache of their own (not ~/.local)."""
    return ["--course", "nn-basics", f"--student={student}", *at_exchange,
            f"--Exchange.cache={tmp_path / 'cache' / student}"]


def grades(course):
    with open(course / "grades.csv") as file:
        return {(row["assignment"], row["student_id"]): float(row["score"]) for row in csv.DictReader(file)}


def test_two_students_through_the_exchange(tmp_path):
    course, exchange = new_course(tmp_path), tmp_path / "exchange"
    exchange.mkdir()
    at_exchange = [f"--Exchange.root={exchange}"]
    (tmp_path / "roster.csv").write_text("id,first_name,last_name,email\n"
                                         "alice,Alice,Ada,alice@example.org\nbob,Bob,Byte,bob@example.org\n")
    grader_command("roster", str(tmp_path / "roster.csv"), cwd=course)
    for step in (["generate_assignment", ASSIGNMENT], ["release_assignment", ASSIGNMENT, *at_exchange]):
        done = nbgrader(*step, cwd=course)
        assert done.returncode == 0, done.stderr

    reference = reference_answers(ASSIGNMENT)
    step_mistake = {"step_function": "def step_function(x):\n    return (np.asarray(x) >= 0).astype(int)\n"}
    for student, answers in {"alice": reference, "bob": {**reference, **step_mistake}}.items():
        home = tmp_path / student
        home.mkdir()
        student_flags = as_student(student, tmp_path, at_exchange)
        done = nbgrader("fetch_assignment", ASSIGNMENT, *student_flags, cwd=home)
        assert done.returncode == 0, done.stderr
        fetched = notebook_path(home, ASSIGNMENT)
        nbformat.write(fill_in(nbformat.read(fetched, as_version=4), answers), fetched)
        done = nbgrader("submit", ASSIGNMENT, *student_flags, cwd=home)
        assert done.returncode == 0, done.stderr

    done = nbgrader("collect", ASSIGNMENT, *at_exchange, cwd=course)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["alice", "bob"]
    grader_command("grade", cwd=course)
    assert grades(course) == {(ASSIGNMENT, "alice"): FULL_MARKS, (ASSIGNMENT, "bob"): FULL_MARKS - 2}

    done = nbgrader("release_feedback", ASSIGNMENT, *at_exchange, cwd=course)
    assert done.returncode == 0, done.stderr
    for student in ("alice", "bob"):
        done = nbgrader("fetch_feedback", ASSIGNMENT, *as_student(student, tmp_path, at_exchange),
                        cwd=tmp_path / student)
        assert done.returncode == 0, done.stderr
    (feedback,) = (tmp_path / "bob" / ASSIGNMENT / "feedback").glob("*/perceptron.html")
    page = feedback.read_text()
    assert "use `x &gt; 0`, not `x &gt;= 0`" in page, "bob's feedback names his mistake"
    assert "BEGIN HIDDEN TESTS" not in page and "default_rng" not in page, "hidden tests stay hidden"
    assert "hidden tests ran here" in page

    # with a roster, a folder name that is not on it is reported, not made a new student
    shutil.copytree(course / "submitted" / "alice", course / "submitted" / "alcie")
    done = grader_command("grade", cwd=course, succeeds=False)
    assert "'alcie' is not a student in the gradebook" in done.stdout + done.stderr
    assert "python -m grader roster" in done.stdout + done.stderr
    assert grades(course) == {(ASSIGNMENT, "alice"): FULL_MARKS, (ASSIGNMENT, "bob"): FULL_MARKS - 2}


def test_without_a_roster_every_submission_folder_is_a_student_run_after_run(tmp_path):
    course = new_course(tmp_path)
    for student in ("ann", "late"):
        shutil.copytree(ROOT / "tests" / "samples" / "good" / "ada" / ASSIGNMENT,
                        course / "submitted" / student / ASSIGNMENT)
        grader_command("grade", ASSIGNMENT, cwd=course)
    assert grades(course) == {(ASSIGNMENT, "ann"): FULL_MARKS, (ASSIGNMENT, "late"): FULL_MARKS}


def test_demo_grades_every_sample_student_exactly(graded_class):
    scores = grades(graded_class)
    for assignment in samples.sampled_assignments():
        points = samples.points(assignment)
        for student, (_, lost) in samples.sample_class(assignment).items():
            expected = sum(points.values()) - sum(points[item] for item in lost)
            assert scores[(assignment, student)] == expected, f"{student} in {assignment}"


def test_demo_writes_a_class_report_naming_the_hard_exercises(graded_class):
    page = (graded_class / "reports" / "class_report.html").read_text()
    assert page.count("<img") == 2
    assert "Students who need help" in page
    assert "<td style='padding:2px 8px'>cy</td>" in page, "cy handed in nothing"
    help_section, review_section = page.split("Students who need help")[1].split("Review by hand")
    assert "<td style='padding:2px 8px'>ada</td>" not in help_section
    assert "<td style='padding:2px 8px'>monkeypatch-numpy</td>" in review_section
    assert "replaces np.allclose" in review_section
    assert "<td style='padding:2px 8px'>ada</td>" not in review_section
