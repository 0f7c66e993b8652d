"""Every assignment: clean committed notebooks, valid nbgrader metadata, source passes its
tests, release fails them only for want of answers, and release/ is what nbgrader generates."""

import json

import nbformat
import pytest

from conftest import ASSIGNMENTS, ROOT, nbgrader, notebook_path
from notebooks import errors, execute, grade_id


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


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_passes_every_test(assignment):
    done = nbgrader("validate", str(notebook_path(ROOT / "source", assignment)), cwd=ROOT)
    assert "Success! Your notebook passes all the tests." in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_fails_every_test(assignment):
    done = nbgrader("validate", "--invert", str(notebook_path(ROOT / "release", assignment)), cwd=ROOT)
    assert "Success! The notebook does not pass any tests." in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_runs_without_any_error(assignment):
    notebook = execute(notebook_path(ROOT / "source", assignment))
    assert not errors(notebook), [out.evalue for _, out in errors(notebook)]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_fails_only_where_answers_are_missing(assignment):
    notebook = execute(notebook_path(ROOT / "release", assignment))
    failed = errors(notebook)
    assert failed, "the untouched release should fail its tests"
    for cell, out in failed:
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
