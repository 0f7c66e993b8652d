"""Late work: a percent-per-day penalty that nbgrader itself computes, and due dates.

nbgrader ships two late-submission penalties, ``none`` and ``zero``
(``nbgrader.plugins.LateSubmissionPlugin.penalty_method``). Most courses take a percentage off
per day late instead. ``PercentPerDay`` is that policy as nbgrader's own plugin: during autograde
nbgrader's ``AssignLatePenalties`` preprocessor (which ``python -m grader grade`` runs too, see
grader/steps.py) calls ``late_submission_penalty(student_id, score, total_seconds_late)`` once per
submitted notebook whose submission is past the due date, caps the result to [0, score], and
stores it in ``SubmittedNotebook.late_submission_penalty``. The raw score (every graded cell's
points) is left as it is: nbgrader's ``grades.csv`` writes ``raw_score``,
``late_submission_penalty`` and ``score = max(0, raw_score - penalty)``, and so does
``python -m grader export``. In nbgrader_config.py:

    c.AssignLatePenalties.plugin_class = "grader.late.PercentPerDay"
    c.PercentPerDay.percent_per_day = 10     # each day or part of a day late costs 10 % of the score

A submission is late when its ``timestamp.txt`` (written by ``nbgrader submit``/``collect``) is
after the assignment's due date (``python -m grader due ASSIGNMENT "2026-12-10 23:59:00 UTC"``).
No due date, or no timestamp: never late.
"""

import math

from nbgrader.api import Gradebook
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.utils import parse_utc
from traitlets import Float

DAY = 24 * 60 * 60


class PercentPerDay(LateSubmissionPlugin):
    """Each day late, or part of one, costs ``percent_per_day`` % of the notebook's score.

    A percentage of the score the student earned (not of the maximum), because that is what
    nbgrader hands a plugin and what its ``zero`` policy takes away in full; 10 % and 3 h late
    keeps 90 % of the points earned, 10 days late or more keeps nothing."""

    percent_per_day = Float(10.0, help="Percent of the score taken off per day late (a part of a day "
                                       "counts as a whole day).").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        days = days_late(total_seconds_late)
        penalty = min(score, score * self.percent_per_day * days / 100)
        self.log.warning("%s is %d day(s) late: %g %% of %g points off = %g",
                         student_id, days, self.percent_per_day * days, score, penalty)
        return penalty


def days_late(seconds):
    """Whole days late, a started day counting as one (1 s late is 1 day)."""
    return math.ceil(seconds / DAY) if seconds > 0 else 0


def describe_lateness(seconds):
    """'2 d 3 h 5 min' for the report and the export's messages."""
    minutes = round(seconds / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"] * bool(minutes)
    return " ".join(parts) or f"{seconds:g} s"


def set_due_date(db_url, assignment, when):
    """Record ``assignment``'s due date (a string nbgrader parses: "2026-12-10 23:59:00 UTC"),
    creating the assignment in the gradebook if it is not there yet (``generate_assignment``
    keeps the date). Returns the stored due date, in UTC, as nbgrader stores it."""
    try:
        due = parse_utc(when)
    except (ValueError, OverflowError) as error:
        raise SystemExit(f"Cannot read the due date {when!r} ({error}): write it as "
                         "\"YYYY-MM-DD HH:MM:SS TZ\", e.g. \"2026-12-10 23:59:00 UTC\".") from None
    with Gradebook(db_url) as gradebook:
        return gradebook.update_or_create_assignment(assignment, duedate=due).duedate
