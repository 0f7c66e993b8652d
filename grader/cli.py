"""The instructor's commands, on top of the real nbgrader CLI.

    python -m grader roster students.csv     add or update students (id,first_name,last_name,email;
                                             optional lms_user_id, and sis_id,login_id,section kept
                                             in roster_lms.csv for the LMS exports)
    python -m grader due ASSIGNMENT "2026-12-10 23:59:00 UTC"
                                             set an assignment's due date (late penalties: grader/late.py)
    python -m grader grade [ASSIGNMENT ...] [-j N | --scheduler tcp://HOST:PORT]
                                             autograde everything in submitted/ (in parallel),
                                             feedback, grades.csv
    python -m grader report                  reports/class_report.html from the gradebook
    python -m grader export --lms canvas|moodle|csv [ASSIGNMENT ...]
                                             the grades as an LMS import file, in exports/
    python -m grader demo                    the sample class (tests/samples) through grade + report

Run them from the course folder (the one holding nbgrader_config.py).
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nbgrader.api import Gradebook

from grader.environment import BIN, course_env
from grader.export import LMS_COLUMNS, LMS_FORMATS, ROSTER_LMS, export, save_lms_roster
from grader.late import set_due_date
from grader.parallel import check_can_grade
from grader.report import summarise, write_report
from grader.suspicious import scan_course, summary


def nbgrader(*args, course, **env_vars):
    done = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env={**os.environ, **env_vars})
    if done.returncode:
        raise SystemExit(f"`nbgrader {' '.join(args)}` failed (exit {done.returncode}); see its log above.")


def submitted_assignments(course):
    return sorted({p.name for p in (course / "submitted").glob("*/*") if p.is_dir()})


def grade(course, assignments, full_feedback=False, workers=()):
    """Autograde (in parallel, grader.parallel), then feedback and grades.csv for everyone.

    A submission that cannot be graded is reported and recorded; the others still get their
    feedback and grades, and the command then exits non-zero so the instructor looks. Students
    are created from the submission folders' names only while the gradebook has no roster: with
    one, a folder name not on it (a typo?) is reported instead."""
    assignments = assignments or submitted_assignments(course)
    if not assignments:
        raise SystemExit(f"Nothing to grade: {course / 'submitted'} has no <student>/<assignment>/ folders.")
    for assignment in assignments:
        ensure_in_gradebook(course, assignment)
    with Gradebook(db_url(course)) as gradebook:
        # students made from folder names have no name or email; a roster's have
        roster = any(s.first_name or s.last_name or s.email for s in gradebook.students)
    create = "--no-create" if roster else "--create"
    autograded = subprocess.run([sys.executable, "-m", "grader.parallel", *assignments, create,
                                 "--course", str(course), *workers], cwd=course)
    # one nbgrader process per assignment, as many at once as there are cores: they only read
    # the gradebook, and each writes feedback/*/<its assignment>/
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(lambda assignment: nbgrader(
            "generate_feedback", assignment, "--force", course=course,
            NBGRADER_FULL_FEEDBACK="1" if full_feedback else "0"), assignments))
    nbgrader("export", "--to", "grades.csv", course=course)
    for line in summary(scan_course(course, assignments)):
        print(line)
    print(f"Grades: {course / 'grades.csv'}   Feedback: {course / 'feedback'}/<student>/<assignment>/")
    if autograded.returncode:
        raise SystemExit("Some submissions could not be graded: see the autograde table above.")


def ensure_in_gradebook(course, assignment):
    """Record an assignment's graded cells (generate_assignment) unless the gradebook has them.

    Safe: an assignment missing from the gradebook has no graded submissions to conflict with,
    and regenerating release/ from the same source/ writes the same notebooks."""
    with Gradebook(db_url(course)) as gradebook:
        known = {a.name for a in gradebook.assignments if a.notebooks}
    if assignment not in known:
        nbgrader("generate_assignment", assignment, "--force", course=course)


def db_url(course):
    """The gradebook nbgrader_config.py chooses: NBGRADER_DB_URL, else the course's gradebook.db."""
    return os.environ.get("NBGRADER_DB_URL", f"sqlite:///{course / 'gradebook.db'}")


def report(course, out):
    path = write_report(summarise(db_url(course)), course / out, scan_course(course))
    print(f"Class report: {path}")


def demo(course, samples):
    """Copy every sample student (tests/samples/<group>/<student>/<assignment>/) into submitted/,
    and set the due dates the late samples are late for (tests/samples/*/due_dates.csv)."""
    target = course / "submitted"
    for student in sorted(p for p in samples.glob("*/*") if p.is_dir()):
        shutil.copytree(student, target / student.name, dirs_exist_ok=True)
    print(f"Copied the sample class from {samples} into {target}.")
    for due_dates in sorted(samples.glob("*/due_dates.csv")):
        with open(due_dates, newline="") as file:
            for row in csv.DictReader(file):
                due(course, row["assignment"], row["duedate"])


def roster(course, path):
    """nbgrader's student import (id, names, email, lms_user_id), then the LMS columns nbgrader
    drops (sis_id, login_id, section) into roster_lms.csv next to the gradebook."""
    if not path.exists():
        raise SystemExit(f"No roster at {path}: a CSV with columns id,first_name,last_name,email "
                         f"(optional: lms_user_id, {','.join(LMS_COLUMNS)}).")
    nbgrader("db", "student", "import", str(path.resolve()), course=course)
    kept = save_lms_roster(course, path)
    if kept is not None:
        print(f"LMS columns for {kept} students: {course / ROSTER_LMS} (personal data: keep it out of git).")


def due(course, assignment, when):
    stored = set_due_date(db_url(course), assignment, when)
    print(f"{assignment} is due {stored:%Y-%m-%d %H:%M:%S} UTC: later submissions get the late penalty "
          "of nbgrader_config.py when graded.")


def export_grades(course, lms, assignments, canvas_ids):
    pairs = dict(item.partition("=")[::2] for item in canvas_ids)
    if any(not value for value in pairs.values()):
        raise SystemExit("--canvas-id takes ASSIGNMENT=CANVAS_ID, e.g. --canvas-id 01_perceptron=12345.")
    path, messages = export(course, db_url(course), lms, assignments, pairs)
    for line in messages:
        print(line)
    print(f"{lms} export: {path} (names and grades: personal data, keep it out of git)")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="course folder (default: here)")
    commands = parser.add_subparsers(dest="command", required=True)
    students = commands.add_parser("roster", help="add or update students from a CSV file")
    students.add_argument("csv", type=Path)
    due_date = commands.add_parser("due", help="set an assignment's due date")
    due_date.add_argument("assignment")
    due_date.add_argument("when", help='e.g. "2026-12-10 23:59:00 UTC" (a time zone name or offset)')
    exporting = commands.add_parser("export", help="grades as an LMS import file (exports/)")
    exporting.add_argument("--lms", required=True, help=f"one of: {', '.join(LMS_FORMATS)}")
    exporting.add_argument("assignments", nargs="*", help="default: every assignment someone submitted")
    exporting.add_argument("--canvas-id", action="append", default=[], metavar="ASSIGNMENT=ID",
                           help="the Canvas assignment id, for a header `Name (id)`")
    grading = commands.add_parser("grade", help="autograde, feedback and grades.csv")
    grading.add_argument("assignments", nargs="*")
    grading.add_argument("-j", "--jobs", help="grading processes on this machine (default: one per core)")
    grading.add_argument("--scheduler", help="grade on an existing Dask cluster, tcp://HOST:PORT")
    grading.add_argument("--full-feedback", action="store_true",
                         help="nbgrader's own feedback, which shows the hidden tests' code")
    reporting = commands.add_parser("report", help="the class report (HTML)")
    reporting.add_argument("--out", default="reports/class_report.html")
    sample = commands.add_parser("demo", help="grade the sample class shipped under tests/samples")
    sample.add_argument("--samples", type=Path, default=Path("tests/samples"))
    args = parser.parse_args(argv)
    os.environ["PATH"] = course_env()["PATH"]  # in-process gradebooks start alembic too
    course = args.course.resolve()
    if not (course / "nbgrader_config.py").exists():
        raise SystemExit(f"{course} is not a course folder (no nbgrader_config.py): use --course.")
    if args.command == "demo" or args.command == "grade" and not args.scheduler:
        check_can_grade(course)  # before anything is copied or added to the gradebook
    if args.command == "roster":
        roster(course, args.csv)
    elif args.command == "due":
        due(course, args.assignment, args.when)
    elif args.command == "export":
        export_grades(course, args.lms, args.assignments, args.canvas_id)
    elif args.command == "grade":
        workers = [*(["-j", args.jobs] if args.jobs else []),
                   *(["--scheduler", args.scheduler] if args.scheduler else [])]
        grade(course, args.assignments, args.full_feedback, workers)
    elif args.command == "report":
        report(course, args.out)
    elif args.command == "demo":
        demo(course, (course / args.samples) if not args.samples.is_absolute() else args.samples)
        grade(course, [])
        report(course, "reports/class_report.html")
