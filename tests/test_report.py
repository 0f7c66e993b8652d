"""The class report counts only assignments that have been handed in."""

from nbgrader.api import Gradebook

from grader.report import summarise, write_report


def test_an_assignment_nobody_handed_in_yet_flags_nobody(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db_url) as gradebook:
        gradebook.add_assignment("01_perceptron")
        gradebook.add_assignment("02_logic_gates")
        gradebook.add_student("ada")
        gradebook.add_submission("01_perceptron", "ada")
    summary = summarise(db_url)
    assert list(summary.assignments) == ["01_perceptron"]
    assert summary.students["ada"]["missing"] == []
    assert summary.needing_help() == []
    assert "Students who need help" in write_report(summary, tmp_path / "report.html").read_text()
