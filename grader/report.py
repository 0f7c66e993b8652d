"""The class report: which exercises the class finds hard, and who needs help.

`summarise` reads nbgrader's gradebook into plain numbers; `write_report` turns them into one
self-contained HTML page with matplotlib plots, and lists the code to review by hand.
"""

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from nbgrader.api import Gradebook, MissingEntry

from grader.late import days_late, describe_lateness

HELP_THRESHOLD = 0.5  # students below this fraction of the points so far are flagged


@dataclass
class Exercise:
    assignment: str
    name: str
    max_score: float
    scores: list = field(default_factory=list)

    @property
    def mean(self):
        return float(np.mean(self.scores)) if self.scores else float("nan")

    @property
    def failure_rate(self):
        """Fraction of submissions that did not get full marks on this exercise."""
        return float(np.mean([s < self.max_score for s in self.scores])) if self.scores else float("nan")


@dataclass
class ClassSummary:
    assignments: dict   # assignment -> {"max_score": float, "scores": {student: score or None}}
    exercises: list     # Exercise, in notebook order
    students: dict      # student -> {"score": float, "max_score": float, "missing": [assignment]}
    late: dict = field(default_factory=dict)  # (assignment, student) -> (seconds late, penalty), late ones only

    def needing_help(self):
        return sorted(
            s for s, info in self.students.items()
            if info["missing"] or info["score"] < HELP_THRESHOLD * info["max_score"]
        )


def summarise(db_url):
    with Gradebook(db_url) as gradebook:
        student_ids = [s.id for s in gradebook.students]
        assignments, exercises, late = {}, [], {}
        students = {s: {"score": 0.0, "max_score": 0.0, "missing": []} for s in student_ids}
        for assignment in gradebook.assignments:
            if not assignment.submissions:  # generated or released, nothing handed in yet
                continue
            by_cell = {}
            for notebook in assignment.notebooks:
                for cell in notebook.grade_cells:
                    by_cell[(notebook.name, cell.name)] = Exercise(assignment.name, cell.name, cell.max_score)
            scores = {}
            for student in student_ids:
                try:
                    submission = gradebook.find_submission(assignment.name, student)
                except MissingEntry:
                    scores[student] = None
                    students[student]["missing"].append(assignment.name)
                    students[student]["max_score"] += assignment.max_score
                    continue
                scores[student] = submission.score
                if submission.total_seconds_late > 0:  # nbgrader: timestamp after the due date
                    late[assignment.name, student] = (submission.total_seconds_late,
                                                      submission.late_submission_penalty or 0.0)
                students[student]["score"] += submission.score
                students[student]["max_score"] += assignment.max_score
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        by_cell[(notebook.name, grade.name)].scores.append(grade.score)
            assignments[assignment.name] = {"max_score": assignment.max_score, "scores": scores}
            exercises.extend(by_cell.values())
    return ClassSummary(assignments, exercises, students, late)


def write_report(summary, path, findings=()):
    """The report as one HTML page at ``path``; ``findings``: suspicious code (grader.suspicious)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    hard = sorted((e for e in summary.exercises if e.scores), key=lambda e: -e.failure_rate)
    parts = [
        "<h1>Neural Network Basics: class report</h1>",
        f"<p>{len(summary.students)} students, {len(summary.assignments)} assignments.</p>",
        "<h2>Score distribution per assignment</h2>",
        _image(_score_histograms(summary)),
        "<h2>Exercises, hardest first</h2>",
        _image(_failure_bars(hard)),
        _table(["assignment", "exercise", "mean", "max", "failure rate", "graded"],
               [(e.assignment, e.name, f"{e.mean:.2f}", f"{e.max_score:g}",
                 f"{100 * e.failure_rate:.0f} %", len(e.scores)) for e in hard]),
        f"<h2>Students who need help</h2><p>Below {100 * HELP_THRESHOLD:.0f} % of the points, "
        "or an assignment not submitted.</p>",
        _table(["student", "score", "out of", "not submitted"],
               [(s, f"{summary.students[s]['score']:g}", f"{summary.students[s]['max_score']:g}",
                 ", ".join(summary.students[s]["missing"]) or "-") for s in summary.needing_help()]),
        "<h2>Late submissions</h2><p>Handed in after the due date (`python -m grader due`); the "
        "penalty is the one nbgrader computed (nbgrader_config.py), the scores above are before it.</p>",
        _table(["assignment", "student", "late by", "days counted", "penalty (points)"],
               [(a, s, describe_lateness(seconds), days_late(seconds), f"{penalty:g}")
                for (a, s), (seconds, penalty) in sorted(summary.late.items())])
        if summary.late else "<p>Nobody was late.</p>",
        "<h2>Review by hand</h2><p>Code that honest answers never need (reaching into the "
        "interpreter, the grader or the operating system). The scores are unchanged: look, then "
        "decide.</p>",
        _table(["assignment", "student", "file", "cell", "line", "what"],
               [(f.assignment, f.student, f.file, f.cell, f.line, f.what) for f in findings])
        if findings else "<p>Nothing to review.</p>",
    ]
    path.write_text("<!doctype html><meta charset='utf-8'><title>Class report</title>"
                    "<body style='font-family:sans-serif;max-width:60em;margin:auto'>"
                    + "\n".join(parts) + "</body>")
    return path


def _score_histograms(summary):
    names = list(summary.assignments)
    figure = Figure(figsize=(4 * max(1, len(names)), 3), dpi=80, layout="constrained")
    for ax, name in zip(np.atleast_1d(figure.subplots(1, max(1, len(names)))), names):
        info = summary.assignments[name]
        scores = [s for s in info["scores"].values() if s is not None]
        ax.hist(scores, bins=np.linspace(0, info["max_score"] or 1, 11), color="#4e79a7", edgecolor="white")
        ax.set(title=name, xlabel=f"score (of {info['max_score']:g})", ylabel="students")
    return figure


def _failure_bars(exercises):
    figure = Figure(figsize=(7, 0.35 * len(exercises) + 1), dpi=80, layout="constrained")
    ax = figure.subplots()
    labels = [f"{e.assignment} · {e.name}" for e in exercises]
    ax.barh(labels[::-1], [100 * e.failure_rate for e in exercises][::-1], color="#e15759")
    ax.set(xlabel="% of submissions without full marks", xlim=(0, 100))
    return figure


def _image(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return f"<img alt='plot' src='data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}'>"


def _table(headers, rows):
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td style='padding:2px 8px'>{html.escape(str(v))}</td>" for v in row)
                   + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"
