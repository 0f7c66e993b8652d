"""The fast tier's one real grading: `python -m grader grade` on 01_perceptron (sandboxed kernels,
parallel workers, real nbgrader and gradebook, feedback, grades.csv, the list of code to review
by hand) for three sample students and two bad samples. The full tier grades every sample (test_autograde.py, test_sandbox.py)."""

import csv
import shutil

import nbformat

import samples
from bad_samples import bad_cases
from conftest import ROOT, SHORT_TIMEOUTS, copy_course, grader_command
from notebooks import grade_id, reference_answers

ASSIGNMENT = "01_perceptron"
STUDENTS = ["ada", "cy", "eli"]          # full marks, nothing answered, a classic mistake
BAD = {"os-exit": "KernelDied", "edited-test": "AssertionError"}   # kills its kernel; rewrites a test


def test_a_small_class_with_bad_submissions_grades_exactly(bubblewrap, kernel, course, tmp_path):
    root = copy_course(course, tmp_path / "course", SHORT_TIMEOUTS)
    for group, students in (("good", STUDENTS), ("bad", BAD)):
        for student in students:
            shutil.copytree(ROOT / "tests" / "samples" / group / student / ASSIGNMENT,
                            root / "submitted" / student / ASSIGNMENT)
    done = grader_command("grade", ASSIGNMENT, cwd=root)
    review = done.stdout[done.stdout.index("Review by hand"):]
    assert "os-exit  perceptron.ipynb  tanh, line 2: os._exit" in review, done.stdout
    assert not any(student in review for student in STUDENTS), "honest answers are not listed"

    points = samples.points(ASSIGNMENT)
    lost = {student: broken for student, (_, broken) in samples.sample_class(ASSIGNMENT).items()}
    lost.update({student: broken for student, (_, broken, _) in bad_cases(reference_answers(ASSIGNMENT)).items()})
    with open(root / "grades.csv") as file:
        got = {row["student_id"]: float(row["score"]) for row in csv.DictReader(file)
               if row["assignment"] == ASSIGNMENT}
    assert got == {student: sum(points.values()) - sum(points[item] for item in lost[student])
                   for student in [*STUDENTS, *BAD]}
    assert 0 < got["eli"] < got["ada"] and got["cy"] == 0

    for student, error in BAD.items():
        graded = nbformat.read(root / "autograded" / student / ASSIGNMENT / "perceptron.ipynb", as_version=4)
        errors = {grade_id(c): o.ename for c in graded.cells if c.cell_type == "code"
                  for o in c.outputs if o.output_type == "error"}
        assert error in errors.values(), f"{student}: the grader says why in the cell: {errors}"
    for student in [*STUDENTS, *BAD]:
        assert (root / "feedback" / student / ASSIGNMENT / "perceptron.html").exists(), student
