"""Notebook helpers for the tests: run one in a real kernel, fill in a student's answers."""

import ast
import math
import json
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.M)


def execute(path, timeout=120):
    """Run a notebook top to bottom in a fresh kernel (cwd = its folder); errors stay in outputs."""
    return execute_copy(nbformat.read(path, as_version=4), path, timeout)


def execute_copy(notebook, path, timeout=120):
    """Run ``notebook`` (a changed copy of the one at ``path``) as ``execute`` runs that one."""
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def errors(notebook):
    """(cell, error output) for every cell that raised."""
    return [(cell, out) for cell in notebook.cells if cell.cell_type == "code"
            for out in cell.get("outputs", []) if out.output_type == "error"]


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def solutions(source_notebook):
    """grade_id -> the instructor's answer code, markers removed, for every answer cell."""
    return {grade_id(c): SOLUTION_MARKER.sub("", c.source) for c in source_notebook.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def notebook_path(folder, assignment):
    """The one notebook of an assignment inside ``folder`` (source/ or release/ of some course)."""
    (path,) = (folder / assignment).glob("*.ipynb")
    return path


def reference_answers(assignment):
    """grade_id -> answer code of the course's own source notebook of ``assignment``."""
    return solutions(nbformat.read(notebook_path(ROOT / "source", assignment), as_version=4))


def in_korean(notebook, assignment):
    """An English notebook as the Korean edition's: its markdown cells those of ko/source/."""
    korean = nbformat.read(notebook_path(ROOT / "ko" / "source", assignment), as_version=4)
    by_id = {cell.id: cell for cell in korean.cells}
    converted = nbformat.from_dict(notebook)
    converted.metadata["course"] = dict(korean.metadata["course"])
    for cell in converted.cells:
        if cell.cell_type == "markdown":
            cell.source = by_id[cell.id].source
    return converted


def fill_in(release_notebook, answers):
    """A copy of a release notebook with some answer cells replaced by ``answers[grade_id]``."""
    notebook = nbformat.from_dict(release_notebook)
    for cell in notebook.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return notebook


# Installed in the kernel before a notebook runs: wraps the learner's functions so that every
# call a test cell makes records the kind of each argument, and whether the call stands in the
# cell's visible lines or between its hidden-test markers (read from the calling cell's line).
_KIND_RECORDER = r'''
import functools as _functools, json as _json, sys as _sys
import numpy as _np

class _KindRecorder:
    def __init__(self):
        self.records, self.item, self.hidden, self.depth = [], None, (0, 0), 0

    @staticmethod
    def kind(value):
        if callable(value):
            return None
        if isinstance(value, _np.ndarray):
            return ("0-d array", "1-D array")[value.ndim] if value.ndim < 2 else "2-D (or more) array"
        if isinstance(value, (bool, _np.bool_)):
            return "bool"
        if isinstance(value, (int, _np.integer)):
            return "int"
        if isinstance(value, (float, _np.floating)):
            return "float"
        return type(value).__name__

    def enter(self, grade_id, hidden, names):
        """The next cell is ``grade_id``'s test cell; its hidden tests lie strictly between the
        lines ``hidden`` = (begin marker, end marker)."""
        self.item, self.hidden = grade_id, hidden
        for name in names:
            function = globals().get(name)
            if callable(function) and not hasattr(function, "_recorded"):
                globals()[name] = self.wrap(function)

    def part(self):
        """'visible' or 'hidden': where, in the running cell, the current call comes from."""
        frame = _sys._getframe(2)
        while frame.f_code.co_name != "<module>" or "ipykernel_" not in frame.f_code.co_filename:
            frame = frame.f_back   # AttributeError on None: no cell frame, the recorder is broken
        begin, end = self.hidden
        return "hidden" if begin < frame.f_lineno < end else "visible"

    def wrap(self, function):
        @_functools.wraps(function)
        def recorded(*args, **kwargs):
            if self.item and self.depth == 0:
                part = self.part()
                for place, value in [*enumerate(args), *kwargs.items()]:
                    kind = self.kind(value)
                    if kind:
                        self.records.append([self.item, part, function.__name__, place, kind])
            self.depth += 1
            try:
                return function(*args, **kwargs)
            finally:
                self.depth -= 1
        recorded._recorded = True
        return recorded

_kinds = _KindRecorder()
'''


def answer_function_names(notebook):
    """Names of the functions the answer cells define (what a learner writes)."""
    return sorted({node.name for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")
                   for node in ast.parse(SOLUTION_MARKER.sub("", cell.source)).body
                   if isinstance(node, ast.FunctionDef)})


def hidden_lines(source):
    """(line of ``### BEGIN HIDDEN TESTS``, line of ``### END HIDDEN TESTS``), 1-based."""
    lines = source.splitlines()
    return (lines.index("### BEGIN HIDDEN TESTS") + 1, lines.index("### END HIDDEN TESTS") + 1)


def with_kind_recorder(notebook):
    """A copy of ``notebook`` that also records the argument kinds its test cells call answers with.

    Every cell of ``notebook`` stays as it is (so the copy runs, and scores, as the notebook
    does); a cell before each test cell tells the recorder which item runs and where its hidden
    tests are. Run the copy and read the records with ``recorded_kinds``."""
    names = answer_function_names(notebook)
    copy = nbformat.from_dict(notebook)
    cells = [nbformat.v4.new_code_cell(_KIND_RECORDER)]
    for cell in copy.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            cells.append(nbformat.v4.new_code_cell(
                f"_kinds.enter({meta['grade_id']!r}, {hidden_lines(cell.source)!r}, {names!r})"))
            cells.append(cell)
            cells.append(nbformat.v4.new_code_cell("_kinds.item = None"))
        else:
            cells.append(cell)
    cells.append(nbformat.v4.new_code_cell("print(_json.dumps(_kinds.records))"))
    copy.cells = cells
    return copy


def recorded_kinds(executed):
    """(grade_id, part, function, argument place, kind) for every call recorded by ``with_kind_recorder``."""
    (output,) = executed.cells[-1].outputs
    return {tuple(record) for record in json.loads(output.text)}


HINT = re.compile(r"<summary>Hint (\d): ([^<]*)</summary>(.*?)</details>", re.S)
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def hints(notebook):
    """grade_id -> [(number, title, body)] of the hints in the markdown before each answer cell."""
    found, pending = {}, []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            pending += HINT.findall(cell.source)
        elif cell.metadata.get("nbgrader", {}).get("solution"):
            found[grade_id(cell)], pending = pending, []
    return found


def last_resort_answers(notebook):
    """grade_id -> the code of the answer's Hint 3 (the full code), for every answer that has one."""
    return {item: PYTHON_BLOCK.findall(body)[0] for item, item_hints in hints(notebook).items()
            for number, _, body in item_hints if number == "3" and PYTHON_BLOCK.findall(body)}


# How a notebook's time is estimated (no class has been timed yet): reading the text outside the
# collapsed hints and answers at 120 words a minute, 4 minutes per point of exercises, 5 per demo.
READING_WORDS_PER_MINUTE, MINUTES_PER_POINT, MINUTES_PER_DEMO = 120, 4, 5
COLLAPSED = re.compile(r"<details>.*?</details>", re.S)
PART_HEADING = re.compile(r"^# Part (\d+)\b.*?about (\d+) minutes", re.M)


def estimated_minutes(cells):
    """The time estimate of some cells, rounded up to 5 minutes."""
    words = sum(len(COLLAPSED.sub("", c.source).split()) for c in cells if c.cell_type == "markdown")
    points = sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in cells
                 if c.metadata.get("nbgrader", {}).get("grade"))
    demos = sum(1 for c in cells if c.cell_type == "code" and "widgets." in c.source)
    minutes = words / READING_WORDS_PER_MINUTE + MINUTES_PER_POINT * points + MINUTES_PER_DEMO * demos
    return 5 * math.ceil(minutes / 5)


def parts(notebook):
    """[(stated minutes or None, cells)]: the whole notebook, or each '# Part N ... about M minutes' part."""
    starts = [i for i, c in enumerate(notebook.cells) if c.cell_type == "markdown" and PART_HEADING.search(c.source)]
    if not starts:
        return []
    bounds = [0, *starts[1:], len(notebook.cells)]
    return [(int(PART_HEADING.search(notebook.cells[start].source).group(2)), notebook.cells[begin:end])
            for start, begin, end in zip(starts, bounds, bounds[1:])]
