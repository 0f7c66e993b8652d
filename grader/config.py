"""How the course grades, as nbgrader settings any nbgrader course can use in its
nbgrader_config.py:

    from grader.config import grade_safely
    grade_safely(c)

None of them changes a grade that plain nbgrader gives an honest notebook (tests/test_ps1.py
grades nbgrader's own example problem set both ways); they change what a hostile or broken one
can do.
"""

import os

from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import Execute

from grader.execute import RobustExecute
from grader.sanitize import ShowNotRun


def grade_safely(c):
    """Set the grading settings on nbgrader's config object ``c``."""
    # A cell that runs longer than this is stopped and counts as failed (e.g. an endless loop).
    c.Execute.timeout = 60
    c.Execute.interrupt_on_timeout = True

    # Student code is untrusted: autograde kernels run in a bubblewrap sandbox (grader/sandbox.py:
    # no network, no view of source/, gradebook.db or other students, memory, CPU and process
    # limits), and a cell that kills or hangs the kernel costs only that cell (grader/execute.py).
    # Without bubblewrap installed (Debian: apt-get install bubblewrap) grading stops with a
    # message saying so; `c.SandboxedKernelManager.enabled = False` grades unconfined instead.
    c.Execute.kernel_manager_class = "grader.sandbox.SandboxedKernelManager"
    c.SandboxedKernelManager.enabled = True
    # The autograded notebook, which formgrader and feedback show the instructor, holds no HTML or
    # output that would run in the instructor's browser (grader/sanitize.py).
    c.Autograde.autograde_preprocessors = [
        RobustExecute if step is Execute else step
        for step in Autograde.class_traits()["autograde_preprocessors"].default()
    ] + [ShowNotRun]
    # A deleted test cell is put back (from the gradebook) and run, not skipped.
    c.OverwriteCells.add_missing_cells = True

    # Feedback names each failed check and its message but never shows hidden tests' code, so
    # the tests can be reused next term. NBGRADER_FULL_FEEDBACK=1 restores nbgrader's own feedback.
    if os.environ.get("NBGRADER_FULL_FEEDBACK") != "1":
        c.GenerateFeedback.preprocessors = [
            "nbgrader.preprocessors.GetGrades",
            "grader.feedback.HideHiddenTests",
            "grader.sanitize.ShowNotRun",
            "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
        ]
