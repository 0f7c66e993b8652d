"""`python -m grader export --lms canvas|moodle|csv` and the roster's LMS columns.

Fast tests: a small gradebook built with nbgrader's API in a temporary course (no kernels), every
bad input of the issue (an unknown --lms, students the LMS cannot identify, an assignment nobody
submitted, a cell waiting for manual grading). Slow tests: the files the graded sample class
(``graded_class``) produces, column by column against the formats grader/export.py documents.
"""

import csv
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.preprocessors import AssignLatePenalties
from traitlets.config.loader import PyFileConfigLoader

import samples
from conftest import ROOT, grader_command
from grader.cli import main

CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_HEADER = ["First name", "Last name", "ID number", "Email address"]


def read(path):
    with open(path, newline="") as file:
        return list(csv.reader(file))


@pytest.fixture
def small_course(small_course_template, tmp_path):
    """A fresh copy of ``small_course_template`` for one test."""
    return shutil.copytree(small_course_template, tmp_path / "course")


@pytest.fixture(scope="module")
def small_course_template(tmp_path_factory):
    """A course folder whose gradebook has a1 (test_f 4 + test_g 6 points, due 2026-12-01 23:59
    UTC), a2 (test_h, 5 points) and a3 (nobody submitted), and four students:

    - ada: names, e-mail, lms_user_id 101, a roster_lms.csv row; a1 10 on time, a2 5;
    - ben: names, e-mail, a roster_lms.csv row with a sis_id only; a1 7 handed in 26 h late
      (2 days: nbgrader's AssignLatePenalties with the course config takes 20 %: 5.6);
    - cy: only an id (made from a folder name); a1 with test_g waiting for manual grading;
    - dee: an e-mail only; nothing handed in."""
    course = tmp_path_factory.mktemp("small") / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db_url) as gradebook:
        gradebook.add_assignment("a1", duedate="2026-12-01 23:59:00 UTC")
        gradebook.add_notebook("nb", "a1")
        gradebook.add_grade_cell("test_f", "nb", "a1", max_score=4, cell_type="code")
        gradebook.add_grade_cell("test_g", "nb", "a1", max_score=6, cell_type="code")
        gradebook.add_assignment("a2")
        gradebook.add_notebook("nb2", "a2")
        gradebook.add_grade_cell("test_h", "nb2", "a2", max_score=5, cell_type="code")
        gradebook.add_assignment("a3")
        gradebook.add_notebook("nb3", "a3")
        gradebook.add_grade_cell("test_i", "nb3", "a3", max_score=3, cell_type="code")
        gradebook.add_student("ada", first_name="Ada", last_name="Lovelace", email="ada@example.org",
                              lms_user_id="101")
        gradebook.add_student("ben", first_name="Ben", last_name="Byte", email="ben@example.org")
        gradebook.add_student("cy")
        gradebook.add_student("dee", email="dee@example.org")
        scores = {("a1", "ada"): {"test_f": 4, "test_g": 6}, ("a1", "ben"): {"test_f": 4, "test_g": 3},
                  ("a1", "cy"): {"test_f": 4, "test_g": None}, ("a2", "ada"): {"test_h": 5}}
        stamps = {"ada": "2026-12-01 20:00:00 UTC", "ben": "2026-12-03 01:59:00 UTC", "cy": None}
        for (assignment, student), cells in scores.items():
            submission = gradebook.add_submission(assignment, student, timestamp=stamps[student])
            for grade in submission.notebooks[0].grades:
                grade.auto_score = cells[grade.name]
        gradebook.db.commit()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    AssignLatePenalties(config=config).preprocess(nbformat.v4.new_notebook(), {"nbgrader": {
        "notebook": "nb", "assignment": "a1", "student": "ben", "db_url": db_url}})
    (course / "roster_lms.csv").write_text("id,sis_id,login_id,section\nada,S1,ada.l,Sec A\nben,S2,,\n")
    return course


def export(course, capsys, *args):
    main(["--course", str(course), "export", *args])
    return capsys.readouterr().out


def test_canvas_file_has_canvas_columns_the_late_penalty_and_blanks_for_waiting_cells(small_course, capsys):
    before = (small_course / "gradebook.db").read_bytes()
    out = export(small_course, capsys, "--lms", "canvas", "--canvas-id", "a1=555")
    rows = read(small_course / "exports" / "canvas_grades.csv")
    assert rows[0] == [*CANVAS_HEADER, "a1 (555)", "a2"]
    assert rows[1] == ["Points Possible", "", "", "", "", "10", "5"]
    assert rows[2:] == [["Lovelace, Ada", "101", "S1", "ada.l", "Sec A", "10", "5"],
                        ["Byte, Ben", "", "S2", "", "", "5.6", "0"],
                        ["cy", "", "", "", "", "", "0"],
                        ["dee", "", "", "", "", "0", "0"]]
    lines = out.splitlines()
    assert "a3: nobody has submitted it yet, so it is left out (`python -m grader export ... a3` exports it: 0 for everyone)." in lines
    assert "a1: no submission from dee: 0 for them." in lines
    assert "a2: no submission from ben, cy, dee: 0 for them." in lines
    assert "a1, cy: test_g waiting for manual grading (formgrader): the score is left blank." in lines
    assert any(line.startswith("No lms_user_id, sis_id or login_id for cy, dee: written, but Canvas can only "
                               "match them by name.") for line in lines)
    assert "exports/canvas_grades.csv" in lines[-1] and "personal data" in lines[-1]
    assert (small_course / "gradebook.db").read_bytes() == before, "an export never writes the gradebook"


def test_moodle_file_maps_by_email_or_id_number_and_leaves_out_who_it_cannot_map(small_course, capsys):
    out = export(small_course, capsys, "--lms", "moodle")
    rows = read(small_course / "exports" / "moodle_grades.csv")
    assert rows == [[*MOODLE_HEADER, "a1", "a2"],
                    ["Ada", "Lovelace", "S1", "ada@example.org", "10", "5"],
                    ["Ben", "Byte", "S2", "ben@example.org", "5.6", "0"],
                    ["", "", "", "dee@example.org", "0", "0"]]
    assert "No e-mail and no sis_id for cy: left out of the Moodle file" in out
    assert "No sis_id (ID number) for dee: map by e-mail address, not ID number." in out


def test_wide_csv_has_a_column_per_assignment_penalty_and_graded_item(small_course, capsys):
    export(small_course, capsys, "--lms", "csv")
    rows = read(small_course / "exports" / "grades_wide.csv")
    assert rows[0] == ["student_id", "first_name", "last_name", "email",
                       "a1", "a1 late penalty", "a1/test_f", "a1/test_g",
                       "a2", "a2 late penalty", "a2/test_h"]
    assert rows[1:] == [["ada", "Ada", "Lovelace", "ada@example.org", "10", "0", "4", "6", "5", "0", "5"],
                        ["ben", "Ben", "Byte", "ben@example.org", "5.6", "1.4", "4", "3", "0", "0", ""],
                        ["cy", "", "", "", "", "0", "4", "", "0", "0", ""],
                        ["dee", "", "", "dee@example.org", "0", "0", "", "", "0", "0", ""]]


def test_named_assignments_are_exported_even_when_nobody_submitted_them(small_course, capsys):
    out = export(small_course, capsys, "--lms", "csv", "a3", "a9")
    rows = read(small_course / "exports" / "grades_wide.csv")
    assert rows[0][4:] == ["a3", "a3 late penalty", "a3/test_i"]
    assert [row[4] for row in rows[1:]] == ["0", "0", "0", "0"]
    assert "a3: nobody has submitted it: 0 for everyone." in out
    assert "a9: not in the gradebook (known: a1, a2, a3); left out." in out


def test_an_unknown_lms_says_which_ones_exist_and_writes_nothing(small_course, capsys):
    with pytest.raises(SystemExit, match="Unknown --lms 'blackboard': choose canvas, moodle or csv"):
        export(small_course, capsys, "--lms", "blackboard")
    with pytest.raises(SystemExit, match="--canvas-id takes ASSIGNMENT=CANVAS_ID"):
        export(small_course, capsys, "--lms", "canvas", "--canvas-id", "a1")
    assert not (small_course / "exports").exists()


def test_the_roster_keeps_the_lms_columns_nbgrader_drops_in_roster_lms_csv(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    (tmp_path / "students.csv").write_text(
        "id,first_name,last_name,email,lms_user_id,sis_id,login_id,section\n"
        "ada,Ada,Lovelace,ada@example.org,101,S1,ada.l,Sec A\n"
        "ben,Ben,Byte,ben@example.org,,S2,,\n")
    done = grader_command("roster", str(tmp_path / "students.csv"), cwd=course)
    assert "LMS columns for 2 students" in done.stdout
    (tmp_path / "update.csv").write_text("id,first_name,last_name,email,section\nben,Ben,Byte,ben@example.org,Sec B\n")
    grader_command("roster", str(tmp_path / "update.csv"), cwd=course)
    assert read(course / "roster_lms.csv") == [["id", "sis_id", "login_id", "section"],
                                               ["ada", "S1", "ada.l", "Sec A"], ["ben", "S2", "", "Sec B"]]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert {s.id: s.lms_user_id for s in gradebook.students} == {"ada": "101", "ben": None}


# The sample class, graded (slow) -------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(graded_class, tmp_path_factory):
    """The graded class's gradebook in a course of its own with a roster for four students
    (ada, ben, gus, hal), exported in the three formats: format -> (rows, output)."""
    course = tmp_path_factory.mktemp("exported")
    shutil.copy(graded_class / "nbgrader_config.py", course)
    shutil.copy(graded_class / "gradebook.db", course)
    roster = course / "students.csv"
    roster.write_text("id,first_name,last_name,email,lms_user_id,sis_id,login_id,section\n"
                      "ada,Ada,Lovelace,ada@example.org,101,S1,ada.l,A\n"
                      "ben,Ben,Byte,ben@example.org,102,S2,ben.b,A\n"
                      "gus,Gus,Late,gus@example.org,103,S3,gus.l,B\n"
                      "hal,Hal,Later,,,S4,,B\n")
    grader_command("roster", str(roster), cwd=course)
    before = (course / "gradebook.db").read_bytes()
    files = {"canvas": "canvas_grades.csv", "moodle": "moodle_grades.csv", "csv": "grades_wide.csv"}
    result = {}
    for lms, name in files.items():
        out = grader_command("export", "--lms", lms, cwd=course).stdout
        result[lms] = (read(course / "exports" / name), out)
    assert (course / "gradebook.db").read_bytes() == before, "exports never write the gradebook"
    return result


def expected_scores():
    """(assignment, student) -> the score each sample and late sample must get after penalties."""
    expected = {}
    for assignment in samples.sampled_assignments():
        points = samples.points(assignment)
        for student, (_, lost) in samples.sample_class(assignment).items():
            expected[assignment, student] = sum(points.values()) - sum(points[item] for item in lost)
    raw = {"gus": expected["01_perceptron", "eli"], "hal": expected["01_perceptron", "ada"]}
    expected["01_perceptron", "gus"] = raw["gus"] * 0.8   # 2 days late, 10 % a day
    expected["01_perceptron", "hal"] = raw["hal"] * 0.9   # 1 h late: one day
    expected["01_perceptron", "ivy"] = raw["hal"]         # on time
    return expected


def max_scores():
    return {assignment: sum(samples.points(assignment).values()) for assignment in samples.sampled_assignments()}


@pytest.mark.slow
def test_the_sample_class_canvas_file(exported):
    rows, out = exported["canvas"]
    assignments = samples.sampled_assignments()
    assert rows[0] == [*CANVAS_HEADER, *assignments]
    assert rows[1] == ["Points Possible", "", "", "", "", *(f"{max_scores()[a]:g}" for a in assignments)]
    by_name = {row[0]: row for row in rows[2:]}
    assert by_name["Lovelace, Ada"][:5] == ["Lovelace, Ada", "101", "S1", "ada.l", "A"]
    assert by_name["Later, Hal"][:5] == ["Later, Hal", "", "S4", "", "B"]
    names = {"ada": "Lovelace, Ada", "ben": "Byte, Ben", "gus": "Late, Gus", "hal": "Later, Hal"}
    for (assignment, student), score in expected_scores().items():
        cell = by_name[names.get(student, student)][5 + assignments.index(assignment)]
        assert float(cell) == pytest.approx(score), f"{student} in {assignment}"
    assert float(by_name["Late, Gus"][5 + assignments.index("02_logic_gates")]) == 0, "no submission: 0"
    assert "No lms_user_id, sis_id or login_id for " in out and "Canvas can only match them by name" in out


@pytest.mark.slow
def test_the_sample_class_moodle_file(exported):
    rows, out = exported["moodle"]
    assignments = samples.sampled_assignments()
    assert rows[0] == [*MOODLE_HEADER, *assignments]
    assert [row[:4] for row in rows[1:]] == [["Ada", "Lovelace", "S1", "ada@example.org"],
                                             ["Ben", "Byte", "S2", "ben@example.org"],
                                             ["Gus", "Late", "S3", "gus@example.org"],
                                             ["Hal", "Later", "S4", ""]]
    assert float(rows[3][4]) == pytest.approx(expected_scores()["01_perceptron", "gus"])
    (left_out,) = [line for line in out.splitlines() if line.startswith("No e-mail and no sis_id for ")]
    assert "cy" in left_out.split(": left out of the Moodle file")[0].removeprefix("No e-mail and no sis_id for ").split(", ")
    assert "No e-mail for hal: map by ID number, not e-mail." in out


@pytest.mark.slow
def test_the_sample_class_wide_file(exported):
    rows, _ = exported["csv"]
    header, assignments = rows[0], samples.sampled_assignments()
    expected_header = ["student_id", "first_name", "last_name", "email"]
    for assignment in assignments:
        expected_header += [assignment, f"{assignment} late penalty"]
        expected_header += sorted(f"{assignment}/test_{item}" for item in samples.points(assignment))
    assert sorted(header) == sorted(expected_header) and header[:4] == expected_header[:4]
    by_student = {row[0]: dict(zip(header, row)) for row in rows[1:]}
    for (assignment, student), score in expected_scores().items():
        assert float(by_student[student][assignment]) == pytest.approx(score), f"{student} in {assignment}"
    for assignment in assignments:
        for item, points in samples.points(assignment).items():
            assert float(by_student["ada"][f"{assignment}/test_{item}"]) == points
            assert float(by_student["cy"][f"{assignment}/test_{item}"]) == 0
    gus = by_student["gus"]
    assert float(gus["01_perceptron late penalty"]) == pytest.approx(expected_scores()["01_perceptron", "eli"] * 0.2)
    items = [f"01_perceptron/test_{item}" for item in samples.points("01_perceptron")]
    assert sum(float(gus[i]) for i in items) - float(gus["01_perceptron late penalty"]) == pytest.approx(
        float(gus["01_perceptron"])), "the items add up to the raw score, the penalty to the total"
