"""Real `nbgrader autograde` of sample submissions built from the release notebook.

Per assignment: the reference answers and answers written another way score full marks, the
untouched release scores 0, and each classic mistake loses exactly the items it breaks.
"""

import nbformat
import pytest
from nbgrader.api import Gradebook

import samples
from conftest import ASSIGNMENTS, nbgrader, notebook_path
from notebooks import fill_in


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, course):
    """Autograde every sample submission of one assignment; return its cases and gradebook."""
    assignment = request.param
    release = nbformat.read(notebook_path(course / "release", assignment), as_version=4)
    cases = samples.cases(assignment)
    for student, (answers, _) in cases.items():
        target = course / "submitted" / student / assignment / notebook_path(course / "release", assignment).name
        target.parent.mkdir(parents=True)
        nbformat.write(fill_in(release, answers), target)
    done = nbgrader("autograde", assignment, "--create", cwd=course)
    assert done.returncode == 0, done.stdout + done.stderr
    return assignment, cases, f"sqlite:///{course / 'gradebook.db'}"


def cell_scores(db_url, assignment, student):
    with Gradebook(db_url) as gradebook:
        (notebook,) = gradebook.find_submission(assignment, student).notebooks
        return {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}


def test_every_case_scores_exactly_as_expected(graded):
    assignment, cases, db_url = graded
    tests = {f"test_{item}" for item in cases["untouched"][1]}
    for student, (_, broken) in cases.items():
        scores = cell_scores(db_url, assignment, student)
        assert set(scores) == tests, f"{student}: graded cells {sorted(scores)}"
        expected = {cell: (0.0 if cell.removeprefix("test_") in broken else max_score, max_score)
                    for cell, (_, max_score) in scores.items()}
        assert scores == expected, f"{student}: got {scores}"


def test_reference_scores_full_marks_and_untouched_zero(graded):
    assignment, _, db_url = graded
    with Gradebook(db_url) as gradebook:
        full = gradebook.find_submission(assignment, "reference")
        empty = gradebook.find_submission(assignment, "untouched")
        assert full.score == full.max_score > 0
        assert empty.score == 0
