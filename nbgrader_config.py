"""nbgrader settings for the Neural Network Basics course.

Every nbgrader command run from this folder reads this file. Paths are relative to the folder
that holds it, so a copy of the course elsewhere (a test's temporary folder, an instructor's
private clone) is a complete course of its own.
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821 (injected by nbgrader)

COURSE_ROOT = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "nn-basics"
c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"

# SQLite for one grader on one machine; set NBGRADER_DB_URL (e.g. postgresql://...) for a
# gradebook shared by several graders.
c.CourseDirectory.db_url = os.environ.get(
    "NBGRADER_DB_URL", f"sqlite:///{COURSE_ROOT / 'gradebook.db'}"
)

# What students see in place of each solution.
c.ClearSolutions.code_stub = {
    "python": 'raise NotImplementedError("Replace this line with your code, then run the check below")'
}

# Late work (grader/late.py): a submission whose timestamp.txt is after its assignment's due date
# (`python -m grader due ASSIGNMENT "2026-12-10 23:59:00 UTC"`) loses percent_per_day % of its
# score per day late, a started day counting as a whole one. nbgrader computes the penalty during
# autograde and stores it beside the raw score; grades.csv and `python -m grader export` subtract it.
# nbgrader's own policies: c.LateSubmissionPlugin.penalty_method = "none" or "zero" (with
# plugin_class = "nbgrader.plugins.LateSubmissionPlugin").
c.AssignLatePenalties.plugin_class = "grader.late.PercentPerDay"
c.PercentPerDay.percent_per_day = 10

# How this course grades: sandboxed kernels, a cell that kills or hangs its kernel costing only
# that cell, deleted test cells put back, feedback without the hidden tests (grader/config.py:
# another nbgrader course can grade the same way with these two lines).
from grader.config import grade_safely  # noqa: E402

grade_safely(c)
