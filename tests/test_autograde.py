"""Every sample case, graded for real (the shared ``graded_class``: `python -m grader demo`).

Per assignment: the reference answers and answers written another way score full marks, the
untouched release scores 0, and each classic mistake loses exactly the items it breaks.
"""

import pytest

import samples
from conftest import ASSIGNMENTS
from grader.gradebook import cell_grades

pytestmark = pytest.mark.slow


def students_of(assignment):
    """case -> the student of the graded class who handed it in."""
    by_case = {case: student for student, case in samples.other_students(assignment).items()}
    for student, case in samples.sample_students(assignment).items():
        by_case.setdefault(case, student)
    return by_case


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_case_scores_exactly_as_expected(graded_class, assignment):
    grades = [g for g in cell_grades(f"sqlite:///{graded_class / 'gradebook.db'}") if g.assignment == assignment]
    cases, students = samples.cases(assignment), students_of(assignment)
    assert set(students) == set(cases)
    tests = {f"test_{item}" for item in cases["untouched"][1]}
    for case, (_, broken) in cases.items():
        scores = {g.cell: (g.score, g.max_score) for g in grades if g.student == students[case]}
        assert set(scores) == tests, f"{case}: graded cells {sorted(scores)}"
        expected = {cell: (0.0 if cell.removeprefix("test_") in broken else max_score, max_score)
                    for cell, (_, max_score) in scores.items()}
        assert scores == expected, f"{case} ({students[case]}): got {scores}"
    total = {case: sum(g.score for g in grades if g.student == students[case]) for case in cases}
    assert total["reference"] == sum(g.max_score for g in grades if g.student == students["reference"]) > 0
    assert total["untouched"] == 0
