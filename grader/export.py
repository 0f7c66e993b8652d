"""Grades for an LMS: `python -m grader export --lms canvas|moodle|csv`.

Reads the gradebook (never writes it) and writes one CSV into ``exports/`` (git-ignored: it holds
names, e-mails and grades). Each assignment's score is nbgrader's: the points of its graded cells
minus the late penalty nbgrader stored during autograde (grader/late.py), never below 0, as in
nbgrader's own ``grades.csv``. What an export cannot do well is said in one line each and the
file is still written for everyone else:

- a student with no submission of an exported assignment gets 0 (nbgrader's ``grades.csv`` does
  the same);
- an assignment nobody has submitted is left out unless named on the command line (then everyone
  gets 0): a column of zeros for work not yet due would overwrite the LMS's blanks;
- a graded cell that neither autograding nor a grader scored (``auto_score`` and
  ``manual_score`` both None: waiting for manual grading) leaves that cell, and its assignment's
  total, blank; nbgrader itself would count it as 0;
- a student the LMS cannot identify (no ``roster_lms.csv`` row, see below) is named.

The LMS's identifiers. nbgrader's student table holds ``id``, names, ``email`` and
``lms_user_id``; `nbgrader db student import` drops every other column. `python -m grader roster`
therefore keeps the columns ``sis_id``, ``login_id`` and ``section`` of the roster CSV in one file
next to the gradebook, ``roster_lms.csv`` (columns ``id,sis_id,login_id,section``, git-ignored),
and hands ``lms_user_id`` (Canvas's numeric user id) to nbgrader.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

LMS_FORMATS = ("canvas", "moodle", "csv")
ROSTER_LMS = "roster_lms.csv"
LMS_COLUMNS = ("sis_id", "login_id", "section")
EXPORTS = "exports"


@dataclass
class Result:
    """One student's one assignment, as the gradebook has it."""
    submitted: bool = False
    raw: float = 0.0              # the graded cells' points
    penalty: float = 0.0          # nbgrader's late penalty
    seconds_late: float = 0.0
    items: dict = field(default_factory=dict)   # item column -> points, None while waiting
    waiting: list = field(default_factory=list)  # graded cells waiting for manual grading

    @property
    def score(self):
        """What the LMS gets: blank (None) while a cell waits for a grader, else nbgrader's score."""
        if self.waiting:
            return None
        return max(0.0, self.raw - self.penalty) if self.submitted else 0.0


@dataclass
class Grades:
    students: list          # dicts: id, first_name, last_name, email, lms_user_id
    assignments: dict       # assignment -> {"max_score": float, "items": [item column, ...]}
    results: dict           # (assignment, student) -> Result
    messages: list          # one line per thing the instructor should know


def read_grades(db_url, assignments=()):
    """Everything an export writes, from the gradebook at ``db_url``.

    ``assignments``: the ones to export (default: every assignment someone has submitted)."""
    messages = []
    with Gradebook(db_url) as gradebook:
        students = [{"id": s.id, "first_name": s.first_name or "", "last_name": s.last_name or "",
                     "email": s.email or "", "lms_user_id": s.lms_user_id or ""}
                    for s in sorted(gradebook.students, key=lambda s: s.id)]
        known = {a.name: a for a in gradebook.assignments}
        chosen = []
        for name in assignments:
            if name in known:
                chosen.append(known[name])
            else:
                messages.append(f"{name}: not in the gradebook (known: {', '.join(sorted(known)) or 'none'}); "
                                "left out. Check the name, or run `nbgrader generate_assignment` first.")
        if not assignments:
            for assignment in sorted(known.values(), key=lambda a: a.name):
                if assignment.submissions:
                    chosen.append(assignment)
                else:
                    messages.append(f"{assignment.name}: nobody has submitted it yet, so it is left out "
                                    f"(`python -m grader export ... {assignment.name}` exports it: 0 for everyone).")
        table, results = {}, {}
        for assignment in chosen:
            several = len(assignment.notebooks) > 1
            table[assignment.name] = {"max_score": assignment.max_score, "items": [
                _item(assignment.name, notebook.name, cell.name, several)
                for notebook in assignment.notebooks for cell in notebook.grade_cells]}
            missing = []
            for student in students:
                try:
                    submission = gradebook.find_submission(assignment.name, student["id"])
                except MissingEntry:
                    missing.append(student["id"])
                    results[assignment.name, student["id"]] = Result()
                    continue
                results[assignment.name, student["id"]] = _result(assignment.name, submission, several)
            if len(missing) == len(students) and students:
                messages.append(f"{assignment.name}: nobody has submitted it: 0 for everyone.")
            elif missing:
                messages.append(f"{assignment.name}: no submission from {', '.join(missing)}: 0 for them.")
    for (assignment, student), result in sorted(results.items()):
        if result.waiting:
            messages.append(f"{assignment}, {student}: {', '.join(result.waiting)} waiting for manual "
                            "grading (formgrader): the score is left blank.")
    return Grades(students, table, results, messages)


def _item(assignment, notebook, cell, several):
    return f"{assignment}/{notebook}/{cell}" if several else f"{assignment}/{cell}"


def _result(assignment, submission, several):
    result = Result(submitted=True, raw=submission.score, penalty=submission.late_submission_penalty or 0.0,
                    seconds_late=submission.total_seconds_late)
    for notebook in submission.notebooks:
        for grade in notebook.grades:
            column = _item(assignment, notebook.name, grade.name, several)
            # nbgrader's Grade.score is 0.0 when nobody scored the cell; both scores None is "waiting"
            if grade.auto_score is None and grade.manual_score is None:
                result.items[column] = None
                result.waiting.append(grade.name)
            else:
                result.items[column] = grade.score
    return result


def read_lms_roster(course):
    """student id -> {sis_id, login_id, section} from the course's roster_lms.csv (may be absent)."""
    path = Path(course) / ROSTER_LMS
    if not path.exists():
        return {}
    with open(path, newline="") as file:
        return {row["id"]: {key: row.get(key) or "" for key in LMS_COLUMNS} for row in csv.DictReader(file)}


def save_lms_roster(course, roster_csv):
    """Merge the LMS columns of an instructor's roster CSV into roster_lms.csv (add or update by
    id, like `nbgrader db student import`). Returns how many students it holds LMS columns for,
    or None when the roster has none of those columns (the file is then left as it is)."""
    with open(roster_csv, newline="") as file:
        reader = csv.DictReader(file)
        header = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        rows = list(reader)
    present = [key for key in LMS_COLUMNS if key in header]
    if not present or "id" not in header:
        return None
    merged = read_lms_roster(course)
    for row in rows:
        entry = merged.setdefault(row["id"], {key: "" for key in LMS_COLUMNS})
        entry.update({key: (row.get(key) or "").strip() for key in present})
    with open(Path(course) / ROSTER_LMS, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", *LMS_COLUMNS])
        writer.writerows([student, *(merged[student][key] for key in LMS_COLUMNS)] for student in sorted(merged))
    return len(merged)


def export(course, db_url, lms, assignments=(), canvas_ids=None, out_dir=EXPORTS):
    """Write the ``lms`` file into ``course/out_dir``; return (path, messages)."""
    if lms not in LMS_FORMATS:
        raise SystemExit(f"Unknown --lms {lms!r}: choose canvas, moodle or csv (a plain table for "
                         "spreadsheets). Nothing was written.")
    grades = read_grades(db_url, assignments)
    folder = Path(course) / out_dir
    folder.mkdir(parents=True, exist_ok=True)
    if lms == "canvas":
        path, messages = write_canvas(grades, read_lms_roster(course), folder / "canvas_grades.csv", canvas_ids or {})
    elif lms == "moodle":
        path, messages = write_moodle(grades, read_lms_roster(course), folder / "moodle_grades.csv")
    else:
        path, messages = write_wide(grades, folder / "grades_wide.csv")
    return path, grades.messages + messages


def number(value):
    """A score as the LMS reads it: '9.8', '14', or '' (blank) for None."""
    return "" if value is None else f"{round(value, 4):g}"


def write_canvas(grades, roster, path, canvas_ids):
    """Canvas's gradebook import file, laid out as Canvas's own gradebook export.

    Format (Canvas guide "How do I import grades in the Gradebook?",
    https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807,
    and Canvas's importer, canvas-lms ``GradebookImporter``, app/models/gradebook_importer.rb):
    the header starts ``Student, ID, SIS User ID, SIS Login ID, Section`` (the importer checks
    /Student/, /ID/, /SIS User ID/ then /SIS Login ID/, and that the last student column is
    /Section/); every further column is an assignment. An assignment header ``Name (id)``
    updates the Canvas assignment with that id; a bare ``Name`` updates the assignment with
    exactly that title, or creates a new one (``--canvas-id 01_perceptron=1234`` adds the id).
    We write the optional second row, ``Points Possible`` (first cell matched by
    /Points Possible/; the importer then sets each assignment's points possible, which a new
    assignment needs), with each assignment's maximum score. A student row is matched by ``ID``
    (Canvas user id, nbgrader's ``lms_user_id``), then ``SIS User ID``, then ``SIS Login ID``,
    then by name (``Student``: "Last, First", Canvas's sortable name); ``Section`` may be blank.
    """
    messages = []
    names = list(grades.assignments)
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
              *(f"{name} ({canvas_ids[name]})" if name in canvas_ids else name for name in names)]
    unknown_ids = sorted(set(canvas_ids) - set(names))
    if unknown_ids:
        messages.append(f"--canvas-id for {', '.join(unknown_ids)}: not an exported assignment, ignored.")
    rows = [header, ["Points Possible", "", "", "", "", *(number(grades.assignments[n]["max_score"]) for n in names)]]
    by_name_only = []
    for student in grades.students:
        lms = roster.get(student["id"], dict.fromkeys(LMS_COLUMNS, ""))
        if not (student["lms_user_id"] or lms["sis_id"] or lms["login_id"]):
            by_name_only.append(student["id"])
        rows.append([_sortable_name(student), student["lms_user_id"], lms["sis_id"], lms["login_id"],
                     lms["section"], *(number(grades.results[n, student["id"]].score) for n in names)])
    if by_name_only:
        messages.append(f"No lms_user_id, sis_id or login_id for {', '.join(by_name_only)}: written, but Canvas "
                        "can only match them by name. Add the columns to the roster CSV and run "
                        "`python -m grader roster students.csv` again.")
    _write(path, rows)
    return path, messages


def write_moodle(grades, roster, path):
    """Moodle's grade import file (Grades > Import > CSV file).

    Moodle's CSV import (moodle/moodle grade/import/csv, ``gradeimport_csv_load_data``) maps each
    row to a user through one column the teacher picks ("Map from") matched against user id,
    username, ID number or e-mail address ("Map to": userid, username, useridnumber, useremail),
    and each other column to a grade item (existing or new) picked on the same page; a row whose
    user is not found aborts the whole import. So: ``First name``, ``Last name``, ``ID number``
    (the roster's ``sis_id``), ``Email address`` (the headers of Moodle's own grade export), then
    one column per assignment with its score. A student with neither an e-mail nor an ID number
    cannot be mapped and is left out (named in the output)."""
    messages, names = [], list(grades.assignments)
    rows = [["First name", "Last name", "ID number", "Email address", *names]]
    left_out, no_email, no_number = [], [], []
    for student in grades.students:
        sis_id = roster.get(student["id"], {}).get("sis_id", "")
        if not (student["email"] or sis_id):
            left_out.append(student["id"])
            continue
        (no_email if not student["email"] else no_number if not sis_id else []).append(student["id"])
        rows.append([student["first_name"], student["last_name"], sis_id, student["email"],
                     *(number(grades.results[n, student["id"]].score) for n in names)])
    if left_out:
        messages.append(f"No e-mail and no sis_id for {', '.join(left_out)}: left out of the Moodle file (Moodle "
                        "stops the whole import at a row it cannot map). Add them to the roster CSV and run "
                        "`python -m grader roster students.csv` again.")
    if no_email:
        messages.append(f"No e-mail for {', '.join(no_email)}: map by ID number, not e-mail.")
    if no_number:
        messages.append(f"No sis_id (ID number) for {', '.join(no_number)}: map by e-mail address, not ID number.")
    _write(path, rows)
    return path, messages


def write_wide(grades, path):
    """One row per student: ``student_id, first_name, last_name, email``, then per assignment its
    score (after the late penalty; blank while waiting for manual grading), ``<assignment> late
    penalty`` and one column per graded item, ``<assignment>/<item>`` (``<assignment>/<notebook>/
    <item>`` for assignments of several notebooks), holding that cell's points (blank while
    waiting, or when the student has no submission)."""
    header = ["student_id", "first_name", "last_name", "email"]
    for name, info in grades.assignments.items():
        header += [name, f"{name} late penalty", *info["items"]]
    rows = [header]
    for student in grades.students:
        row = [student["id"], student["first_name"], student["last_name"], student["email"]]
        for name, info in grades.assignments.items():
            result = grades.results[name, student["id"]]
            row += [number(result.score), number(result.penalty),
                    *(number(result.items.get(item)) for item in info["items"])]
        rows.append(row)
    _write(path, rows)
    return path, []


def _sortable_name(student):
    if student["last_name"] and student["first_name"]:
        return f"{student['last_name']}, {student['first_name']}"
    return student["last_name"] or student["first_name"] or student["id"]


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
