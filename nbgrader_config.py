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

# A cell that runs longer than this is stopped and counts as failed (e.g. an endless loop).
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# Student code is untrusted: autograde kernels run in a bubblewrap sandbox (grader/sandbox.py:
# no network, no view of source/, gradebook.db or other students, memory, CPU and process
# limits), and a cell that kills or hangs the kernel costs only that cell (grader/execute.py).
# Without bubblewrap installed (Debian: apt-get install bubblewrap) grading stops with a message
# saying so; `c.SandboxedKernelManager.enabled = False` grades unconfined instead.
from grader.execute import RobustExecute  # noqa: E402
from nbgrader.converters.autograde import Autograde  # noqa: E402
from nbgrader.preprocessors import Execute  # noqa: E402

c.Execute.kernel_manager_class = "grader.sandbox.SandboxedKernelManager"
c.SandboxedKernelManager.enabled = True
c.Autograde.autograde_preprocessors = [
    RobustExecute if step is Execute else step
    for step in Autograde.class_traits()["autograde_preprocessors"].default()
]
# A deleted test cell is put back (from the gradebook) and run, not skipped.
c.OverwriteCells.add_missing_cells = True

# Feedback names each failed check and its message but never shows hidden tests' code, so the
# tests can be reused next term. NBGRADER_FULL_FEEDBACK=1 restores nbgrader's own feedback.
if os.environ.get("NBGRADER_FULL_FEEDBACK") != "1":
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "grader.feedback.HideHiddenTests",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
