"""Feedback that keeps hidden tests hidden.

nbgrader's feedback HTML shows each test cell as graded, hidden tests included. This preprocessor
(used by `nbgrader generate_feedback` through nbgrader_config.py) removes the hidden-test region
from every test cell and shortens error tracebacks to their last line, the check's own message,
so a student sees which check failed and why, but not the hidden code, and the tests can be
reused next term. Student code can print a test cell's source (IPython keeps it in `In`), so
every line of hidden code is also removed from every output of every cell.
"""

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

HIDDEN_NOTE = "# (hidden tests ran here; their code is not shown)"
SHORTEST_SECRET = 8  # hidden lines shorter than this ("])", "else:") give nothing away


class HideHiddenTests(ClearHiddenTests):
    def preprocess(self, nb, resources):
        self._secrets = {line.strip() for cell in nb.cells if utils.is_grade(cell)
                         for line in self._hidden_lines(cell.source)
                         if len(line.strip()) >= SHORTEST_SECRET}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        if utils.is_grade(cell) and self._remove_hidden_test_region(cell):
            cell.source = f"{cell.source.rstrip()}\n{HIDDEN_NOTE}"
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        for output in cell.get("outputs", []):
            self._scrub(output)
        return cell, resources

    def _hidden_lines(self, source):
        inside = False
        for line in source.splitlines():
            if self.begin_test_delimeter in line:
                inside = True
            elif self.end_test_delimeter in line:
                inside = False
            elif inside:
                yield line

    def _scrub(self, output):
        if "text" in output:
            output.text = self._without_secrets(output.text)
        if output.output_type == "error":
            output.evalue = self._without_secrets(output.evalue)
            output.traceback = [self._without_secrets(line) for line in output.traceback]
        for mime, value in output.get("data", {}).items():
            if isinstance(value, str):
                output.data[mime] = self._without_secrets(value)

    def _without_secrets(self, text):
        kept = [line for line in text.split("\n") if not any(secret in line for secret in self._secrets)]
        return "\n".join(kept)
