"""Notebook helpers for the tests: run one in a real kernel, fill in a student's answers."""

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.M)


def execute(path, timeout=120):
    """Run a notebook top to bottom in a fresh kernel (cwd = its folder); errors stay in outputs."""
    notebook = nbformat.read(path, as_version=4)
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


def fill_in(release_notebook, answers):
    """A copy of a release notebook with some answer cells replaced by ``answers[grade_id]``."""
    notebook = nbformat.from_dict(release_notebook)
    for cell in notebook.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return notebook
