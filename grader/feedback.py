"""Feedback that keeps hidden tests hidden.

nbgrader's feedback HTML shows each test cell as graded, hidden tests included. This preprocessor
(used by `nbgrader generate_feedback` through nbgrader_config.py) removes the hidden-test region
from every test cell and shortens error tracebacks to their last line, the check's own message,
so a student sees which check failed and why, but not the hidden code, and the tests can be
reused next term.
"""

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

HIDDEN_NOTE = "# (hidden tests ran here; their code is not shown)"


class HideHiddenTests(ClearHiddenTests):
    def preprocess_cell(self, cell, resources, cell_index):
        if utils.is_grade(cell) and self._remove_hidden_test_region(cell):
            cell.source = f"{cell.source.rstrip()}\n{HIDDEN_NOTE}"
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
