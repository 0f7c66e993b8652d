"""Late work: the percent-per-day penalty as nbgrader's own late-submission plugin, due dates, and
the late samples of the sample class.

Fast tests: the plugin alone, then nbgrader's AssignLatePenalties preprocessor configured by the
course's nbgrader_config.py, on a small gradebook built with nbgrader's API (no kernels). Slow
tests: the late samples (tests/samples/late/) graded with the class (``graded_class``).
"""

import csv
import math
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.preprocessors import AssignLatePenalties
from traitlets.config.loader import PyFileConfigLoader

import samples
from conftest import ROOT
from grader.late import DAY, PercentPerDay, days_late, describe_lateness
from grader.report import summarise, write_report

DUE = "2026-12-01 23:59:00 UTC"


def test_each_started_day_costs_the_percentage_of_the_score():
    plugin = PercentPerDay(percent_per_day=10)
    assert plugin.late_submission_penalty("ada", 14.0, 1) == pytest.approx(1.4)         # 1 s: one day
    assert plugin.late_submission_penalty("ada", 14.0, DAY) == pytest.approx(1.4)
    assert plugin.late_submission_penalty("ada", 14.0, DAY + 1) == pytest.approx(2.8)   # two days
    assert plugin.late_submission_penalty("ada", 7.0, 3 * DAY) == pytest.approx(2.1)    # of the score earned
    assert plugin.late_submission_penalty("ada", 14.0, 30 * DAY) == 14.0                # never more than it
    assert days_late(0) == 0 and days_late(1) == 1 and days_late(DAY) == 1 and days_late(DAY + 1) == 2
    assert describe_lateness(DAY + 9 * 3600 + 31 * 60) == "1 d 9 h 31 min"


def gradebook_with_late_work(tmp_path):
    """One assignment of one notebook (two graded cells, 4 + 6 points) due DUE: ada on time, ben
    26 h late with 7 points, cy 1 min late with 0 points."""
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db_url) as gradebook:
        gradebook.add_assignment("a1", duedate=DUE)
        gradebook.add_notebook("nb", "a1")
        gradebook.add_grade_cell("test_f", "nb", "a1", max_score=4, cell_type="code")
        gradebook.add_grade_cell("test_g", "nb", "a1", max_score=6, cell_type="code")
        for student, stamp, points in [("ada", "2026-12-01 20:00:00 UTC", (4, 6)),
                                       ("ben", "2026-12-03 01:59:00 UTC", (4, 3)),
                                       ("cy", "2026-12-02 00:00:00 UTC", (0, 0))]:
            gradebook.add_student(student)
            submission = gradebook.add_submission("a1", student, timestamp=stamp)
            for grade, score in zip(sorted(submission.notebooks[0].grades, key=lambda g: g.name), points):
                grade.auto_score = score
        gradebook.db.commit()
    return db_url


def course_config():
    """The course's nbgrader_config.py, as nbgrader loads it."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()


def test_nbgrader_computes_the_penalty_with_the_course_config(tmp_path):
    db_url = gradebook_with_late_work(tmp_path)
    config = course_config()
    assert config.AssignLatePenalties.plugin_class == "grader.late.PercentPerDay"
    step = AssignLatePenalties(config=config)
    for student in ("ada", "ben", "cy"):
        step.preprocess(nbformat.v4.new_notebook(), {"nbgrader": {
            "notebook": "nb", "assignment": "a1", "student": student, "db_url": db_url}})
    assert isinstance(step.plugin_inst, PercentPerDay) and step.plugin_inst.percent_per_day == 10
    with Gradebook(db_url) as gradebook:
        stored = {s: (gradebook.find_submission("a1", s).score, gradebook.find_submission("a1", s).late_submission_penalty)
                  for s in ("ada", "ben", "cy")}
    # the raw score stays as graded; the penalty is stored beside it (ben: 2 days, 20 % of 7)
    assert stored == {"ada": (10.0, 0.0), "ben": (7.0, pytest.approx(1.4)), "cy": (0.0, 0.0)}
    late = summarise(db_url).late
    assert set(late) == {("a1", "ben"), ("a1", "cy")}
    assert late["a1", "ben"] == (26 * 3600, pytest.approx(1.4))


def test_the_report_lists_who_was_late_and_by_how_much(tmp_path):
    db_url = gradebook_with_late_work(tmp_path)
    AssignLatePenalties(config=course_config()).preprocess(nbformat.v4.new_notebook(), {"nbgrader": {
        "notebook": "nb", "assignment": "a1", "student": "ben", "db_url": db_url}})
    summary = summarise(db_url)
    assert summary.late == {("a1", "ben"): (26 * 3600, pytest.approx(1.4)), ("a1", "cy"): (60, 0.0)}
    late_section = write_report(summary, tmp_path / "report.html").read_text().split("Late submissions")[1]
    assert "<td style='padding:2px 8px'>ben</td><td style='padding:2px 8px'>1 d 2 h</td>" in late_section
    assert "<td style='padding:2px 8px'>ada</td>" not in late_section.split("Review by hand")[0]


def test_the_due_command_sets_a_date_nbgrader_reads(tmp_path, capsys):
    from grader.cli import main
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    main(["--course", str(tmp_path), "due", "01_perceptron", "2026-12-10 23:59:00 Europe/Paris"])
    assert "01_perceptron is due 2026-12-10 22:59:00 UTC" in capsys.readouterr().out
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        assert str(gradebook.find_assignment("01_perceptron").duedate) == "2026-12-10 22:59:00"
    with pytest.raises(SystemExit, match="Cannot read the due date 'next friday'.*2026-12-10 23:59:00 UTC"):
        main(["--course", str(tmp_path), "due", "01_perceptron", "next friday"])


# The late samples, graded with the class -----------------------------------------------------

LATE = {"gus": ("eli", 2), "hal": ("ada", 1), "ivy": ("ada", 0)}   # student -> (whose notebook, days)


def test_the_late_samples_are_the_sample_class_notebooks_with_a_timestamp():
    """`python tests/samples.py` (make samples) rewrites them with the sample class."""
    assert {student: like for student, (like, _) in LATE.items()} == samples.LATE_STUDENTS
    for student, like in samples.LATE_STUDENTS.items():
        late = samples.LATE / student / "01_perceptron"
        assert sorted(p.name for p in late.iterdir()) == ["perceptron.ipynb", "timestamp.txt"]
        assert (late / "perceptron.ipynb").read_bytes() == \
            (samples.SAMPLES / like / "01_perceptron" / "perceptron.ipynb").read_bytes(), student


def expected_raw(sample_student):
    points = samples.points("01_perceptron")
    lost = samples.sample_class("01_perceptron")[sample_student][1]
    return sum(points.values()) - sum(points[item] for item in lost)


@pytest.mark.slow
def test_late_samples_lose_ten_percent_per_day_and_the_others_nothing(graded_class):
    with open(graded_class / "grades.csv") as file:
        rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(file)}
    for student, (like, days) in LATE.items():
        row, raw = rows["01_perceptron", student], expected_raw(like)
        assert float(row["raw_score"]) == raw, student
        assert float(row["late_submission_penalty"] or 0) == pytest.approx(raw * days / 10), student
        assert float(row["score"]) == pytest.approx(raw * (1 - days / 10)), student
        assert row["duedate"].startswith("2026-12-01 23:59:00"), "the demo set the due date"
    for student in samples.SAMPLE_STUDENTS:   # no timestamp.txt: never late
        assert float(rows["01_perceptron", student]["late_submission_penalty"] or 0) == 0
    late = summarise(f"sqlite:///{graded_class / 'gradebook.db'}").late
    assert {s for (_, s) in late} == {"gus", "hal"}
    assert math.ceil(late["01_perceptron", "gus"][0] / DAY) == 2


@pytest.mark.slow
def test_the_class_report_names_the_late_students(graded_class):
    page = (graded_class / "reports" / "class_report.html").read_text()
    late_section = page.split("<h2>Late submissions</h2>")[1].split("<h2>Review by hand</h2>")[0]
    assert "<td style='padding:2px 8px'>gus</td><td style='padding:2px 8px'>1 d 9 h 31 min</td>" in late_section
    assert "<td style='padding:2px 8px'>hal</td><td style='padding:2px 8px'>1 h</td>" in late_section
    assert "ivy" not in late_section and "<td style='padding:2px 8px'>ada</td>" not in late_section

