"""Every assignment: clean committed notebooks, valid nbgrader metadata, source passes its
tests, release fails them only for want of answers, and release/ is what nbgrader generates.

Each notebook runs once, in a plain kernel as a learner's, and is scored the way nbgrader
scores it (``nbgrader.utils.determine_grade``, what `nbgrader validate` uses)."""

import json

import nbformat
import pytest

from nbgrader.utils import determine_grade, is_grade

from conftest import ASSIGNMENTS, ROOT, notebook_path
from notebooks import errors, execute, execute_copy, grade_id, recorded_kinds, with_kind_recorder


def committed_notebooks():
    return sorted((ROOT / "source").glob("*/*.ipynb")) + sorted((ROOT / "release").glob("*/*.ipynb"))


def test_every_assignment_has_a_release():
    released = sorted(p.name for p in (ROOT / "release").iterdir() if p.is_dir())
    assert released == ASSIGNMENTS, "run `make release` to regenerate release/ from source/"


@pytest.mark.parametrize("path", committed_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_notebooks_have_no_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    dirty = [i for i, c in enumerate(notebook.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"cells {dirty} have outputs: clear them before committing"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_nbgrader_metadata_is_complete(assignment):
    cells = nbformat.read(notebook_path(ROOT / "source", assignment), as_version=4).cells
    meta = [c.metadata["nbgrader"] for c in cells if "nbgrader" in c.metadata]
    ids = [m["grade_id"] for m in meta]
    assert len(ids) == len(set(ids)), "grade ids must be unique"
    graded = [m for m in meta if m["grade"]]
    assert graded and all(m.get("points", 0) > 0 for m in graded), "every graded cell needs points"
    answers = [m["grade_id"] for m in meta if m["solution"]]
    assert answers, "an assignment has at least one answer cell"
    for answer in answers:
        assert f"test_{answer}" in ids, f"answer cell {answer} has no test cell test_{answer}"
    for cell in cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            assert "### BEGIN HIDDEN TESTS" in cell.source, f"{grade_id(cell)} has no hidden tests"


def scores(notebook):
    """grade_id -> (score, max score) of every graded cell, as nbgrader scores an executed notebook."""
    return {grade_id(c): determine_grade(c) for c in notebook.cells if is_grade(c)}


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_runs_without_any_error_and_passes_every_test(kernel, assignment):
    notebook = execute(notebook_path(ROOT / "source", assignment))
    assert not errors(notebook), [out.evalue for _, out in errors(notebook)]
    failed = {cell: score for cell, score in scores(notebook).items() if score[0] < score[1]}
    assert scores(notebook) and not failed, f"tests that do not pass on the solutions: {failed}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_fails_every_test_and_only_where_answers_are_missing(kernel, assignment):
    notebook = execute(notebook_path(ROOT / "release", assignment))
    passed = [cell for cell, (score, max_score) in scores(notebook).items() if score == max_score]
    assert not passed, f"tests that pass on the untouched release: {passed}"
    for cell, out in errors(notebook):
        assert out.ename == "NotImplementedError", f"{grade_id(cell)}: {out.ename}: {out.evalue}"
        # a test cell, or an answer cell that defines a value (its stub raises where it stands)
        assert cell.metadata["nbgrader"]["grade"] or cell.metadata["nbgrader"]["solution"], \
            "only test cells and unanswered answer cells may fail in the release"
    # demos still render, with a note instead of a traceback
    assert all("NotImplementedError" not in json.dumps(c.outputs) for c in notebook.cells
               if c.cell_type == "code" and "widgets." in c.source)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_matches_a_fresh_generate_assignment(course, assignment):
    fresh_folder, committed_folder = course / "release" / assignment, ROOT / "release" / assignment
    fresh = sorted(p.relative_to(fresh_folder) for p in fresh_folder.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(committed_folder) for p in committed_folder.rglob("*") if p.is_file())
    assert fresh == committed, "release/ is out of date: run `make release`"
    for name in fresh:
        if name.suffix == ".ipynb":
            same = json.loads((fresh_folder / name).read_text()) == json.loads((committed_folder / name).read_text())
        else:
            same = (fresh_folder / name).read_bytes() == (committed_folder / name).read_bytes()
        assert same, f"release/{assignment}/{name} differs from source/: run `make release`"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_tests_use_only_argument_kinds_a_visible_check_shows(kernel, assignment):
    """A hidden test that passes a list, an int or a 0-d array where no visible check of the same
    item does would cost a learner points their self-checks never warned about."""
    path = notebook_path(ROOT / "source", assignment)
    executed = execute_copy(with_kind_recorder(nbformat.read(path, as_version=4)), path)
    kinds = recorded_kinds(executed)
    shown = {(item, function, place, kind) for item, part, function, place, kind in kinds if part == "visible"}
    unannounced = sorted({f"{item}: {function} argument {place} as {kind}"
                          for item, part, function, place, kind in kinds
                          if part == "hidden" and (item, function, place, kind) not in shown})
    assert kinds and not unannounced, "hidden tests use argument kinds no visible check uses:\n" + \
        "\n".join(unannounced)
