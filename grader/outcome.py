"""What happened to each submission in a grading batch: the status values, the table, the CSV."""

import csv
import sys
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    GRADED = "graded"
    SKIPPED = "skipped"                    # graded before (--force re-grades)
    BAD_SUBMISSION = "bad-submission"      # recorded as zero and flagged for review
    NO_SUBMISSION = "no-submission"        # a --student without a folder
    UNKNOWN_STUDENT = "unknown-student"    # not in the gradebook, and not created
    GRADEBOOK_LOCKED = "gradebook-locked"  # by another program, for too long
    FAILED = "failed"


# Outcomes that leave a submission's grade recorded (or, for a skipped one, already recorded);
# a --student without a folder has nothing to record.
RECORDED = {Status.GRADED, Status.SKIPPED, Status.BAD_SUBMISSION, Status.NO_SUBMISSION}


@dataclass
class Outcome:
    """What happened to one student's submission of one assignment."""
    assignment: str
    student: str
    status: Status
    message: str = ""
    score: float | None = None
    max_score: float | None = None
    workers: set = field(default_factory=set)


def report(outcomes, out=sys.stdout):
    """A table of outcomes, one line per submission."""
    width = max([len(o.student) for o in outcomes] + [7])
    for o in outcomes:
        score = f"{o.score:g}/{o.max_score:g}" if o.score is not None else "-"
        print(f"{o.assignment}  {o.student:<{width}}  {o.status:<16}  {score:>7}  {o.message}",
              file=out)


def write_csv(outcomes, path):
    """The outcomes as a CSV file, one row per submission."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["assignment", "student", "status", "score", "max_score", "message",
                         "workers"])
        for o in outcomes:
            writer.writerow([o.assignment, o.student, o.status, o.score, o.max_score,
                             o.message, " ".join(sorted(o.workers))])
