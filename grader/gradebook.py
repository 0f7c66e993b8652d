"""What an nbgrader gradebook recorded, as plain values: one reader for the tools and the tests."""

from dataclasses import dataclass

from nbgrader.api import Gradebook


@dataclass(frozen=True, order=True)
class CellGrade:
    """One graded cell of one submitted notebook."""
    assignment: str
    student: str
    notebook: str
    cell: str
    score: float
    max_score: float
    auto_score: float | None
    needs_manual_grade: bool
    flagged: bool        # the notebook is flagged for review
    timestamp: str       # the submission's


def cell_grades(db_url):
    """Every graded cell of every submission in the gradebook at ``db_url``, sorted."""
    with Gradebook(db_url) as gradebook:
        return sorted(
            CellGrade(submission.assignment.name, submission.student.id, notebook.name, grade.name,
                      grade.score, grade.max_score, grade.auto_score, grade.needs_manual_grade,
                      notebook.flagged, str(submission.timestamp))
            for assignment in gradebook.assignments for submission in assignment.submissions
            for notebook in submission.notebooks for grade in notebook.grades)


def cell_scores(db_url, assignment):
    """student -> {graded cell: score} for one assignment."""
    scores = {}
    for grade in cell_grades(db_url):
        if grade.assignment == assignment:
            scores.setdefault(grade.student, {})[grade.cell] = grade.score
    return scores
