"""Same grades as plain nbgrader on a course no one here wrote: nbgrader's own user-guide problem
set (ps1, students bitdiddle and hacker, as the nbgrader package installs it), graded by plain
`nbgrader autograde` with nbgrader's defaults and by `python -m grader grade` with the course's
grading settings (grader/config.py), must agree on every grade."""

import shutil
from pathlib import Path

import nbgrader
import pytest

from conftest import grader_command, nbgrader as nbgrader_cli
from grader.gradebook import cell_grades

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("bubblewrap", "kernel")]
USER_GUIDE = Path(nbgrader.__file__).parent / "docs" / "source" / "user_guide"
PLAIN = 'c = get_config()\n'
OURS = 'c = get_config()\nfrom grader.config import grade_safely\ngrade_safely(c)\n'


def ps1_course(root, config):
    shutil.copytree(USER_GUIDE / "source" / "ps1", root / "source" / "ps1")
    shutil.copytree(USER_GUIDE / "submitted", root / "submitted")
    (root / "nbgrader_config.py").write_text(config)
    return root


def grades(root):
    return {(g.student, g.notebook, g.cell): (g.score, g.auto_score, g.max_score, g.needs_manual_grade)
            for g in cell_grades(f"sqlite:///{root / 'gradebook.db'}")}


def test_the_course_grader_gives_plain_nbgraders_grades_on_nbgraders_own_example(tmp_path):
    plain = ps1_course(tmp_path / "plain", PLAIN)
    for step in (["generate_assignment", "ps1"], ["autograde", "ps1", "--create"]):
        done = nbgrader_cli(*step, cwd=plain)
        assert done.returncode == 0, done.stdout + done.stderr
    ours = ps1_course(tmp_path / "ours", OURS)
    grader_command("grade", "ps1", cwd=ours)
    expected = grades(plain)
    assert len(expected) == 18 and {student for student, _, _ in expected} == {"bitdiddle", "hacker"}
    assert grades(ours) == expected
    # the answer bitdiddle left as it was is a 0, not a wait for a human (the stub is nbgrader's own)
    assert expected[("bitdiddle", "problem1", "sum_of_squares_application")] == (0.0, 0.0, 2.0, False)
