"""Every assignment: clean committed notebooks, valid nbgrader metadata, source passes its
tests, release fails them only for want of answers, and release/ is what nbgrader generates.

Each notebook runs in a plain kernel as a learner's: the source once (its argument kinds recorded
in the same run), the release once, the Korean source once with every Hint 3 typed in; each is
scored the way nbgrader scores it (``nbgrader.utils.determine_grade``, what `nbgrader validate` uses)."""

import functools
import json
import re

import nbformat
import pytest

from nbgrader.utils import determine_grade, is_grade

from conftest import ASSIGNMENTS, ROOT, notebook_path
from notebooks import (MINUTES_PER_DEMO, MINUTES_PER_POINT, READING_WORDS_PER_MINUTE, errors, estimated_minutes,
                       execute, execute_copy, fill_in, grade_id, hints, last_resort_answers, parts,
                       recorded_kinds, with_kind_recorder)


def committed_notebooks():
    return sorted(path for folder in ("source", "release", "ko/source", "ko/release")
                  for path in (ROOT / folder).glob("*/*.ipynb"))


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


@functools.cache
def source_run(assignment):
    """The source notebook, run once as a learner runs it, with the argument-kind recorder.

    ``with_kind_recorder`` keeps every cell of the notebook as it is and only adds cells that
    record, so this one run is both the learner's run and the recording."""
    path = notebook_path(ROOT / "source", assignment)
    return execute_copy(with_kind_recorder(nbformat.read(path, as_version=4)), path)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_runs_without_any_error_and_passes_every_test(kernel, assignment):
    notebook = source_run(assignment)
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
    kinds = recorded_kinds(source_run(assignment))
    shown = {(item, function, place, kind) for item, part, function, place, kind in kinds if part == "visible"}
    unannounced = sorted({f"{item}: {function} argument {place} as {kind}"
                          for item, part, function, place, kind in kinds
                          if part == "hidden" and (item, function, place, kind) not in shown})
    assert kinds and not unannounced, "hidden tests use argument kinds no visible check uses:\n" + \
        "\n".join(unannounced)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_answer_has_three_hints_the_idea_a_skeleton_and_the_code(assignment):
    notebook = nbformat.read(notebook_path(ROOT / "source", assignment), as_version=4)
    for item, item_hints in hints(notebook).items():
        assert [number for number, _, _ in item_hints] == ["1", "2", "3"], \
            f"{item}: hints {[n for n, _, _ in item_hints]}, expected Hint 1 (the idea), 2 (a skeleton), 3 (the code)"
        (_, _, idea), (_, _, skeleton), (_, title, code) = item_hints
        assert "```" not in idea, f"{item}: Hint 1 gives the idea, without code"
        assert "____" in skeleton, f"{item}: Hint 2 is a skeleton with blanks (____) to fill in"
        assert "last resort" in title and len(last_resort_answers(notebook).get(item, "")) > 0, \
            f"{item}: Hint 3 is the full code, labelled as the last resort, in one ```python block"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_korean_source_with_every_hint_3_typed_in_runs_and_earns_full_marks(kernel, assignment):
    """A learner who types in every last-resort hint passes every visible and hidden test; and the
    Korean edition runs without an error (its check messages, labels and plots in Korean). One run
    shows both: the Korean source with the Hint 3 code filled in (the Korean hints hold the same
    code blocks: test_korean.py::test_translations_keep_formulas_code_and_numbers)."""
    english = nbformat.read(notebook_path(ROOT / "source", assignment), as_version=4)
    path = notebook_path(ROOT / "ko" / "source", assignment)
    korean = nbformat.read(path, as_version=4)
    answers = last_resort_answers(english)
    assert answers, "no Hint 3 found"
    executed = execute_copy(fill_in(korean, answers), path)
    assert not errors(executed), [out.evalue for _, out in errors(executed)]
    failed = {cell: score for cell, score in scores(executed).items() if score[0] < score[1]}
    assert scores(executed) and not failed, f"items whose Hint 3 does not earn full marks: {failed}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_item_is_listed_in_the_curriculum(assignment):
    curriculum = (ROOT / "docs" / "curriculum.md").read_text()
    section = curriculum.split(f"{assignment} —")[1].split("\n## ")[0]
    cells = nbformat.read(notebook_path(ROOT / "source", assignment), as_version=4).cells
    items = [grade_id(c).removeprefix("test_") for c in cells if c.metadata.get("nbgrader", {}).get("grade")]
    missing = [item for item in items if f"`{item}" not in section]
    assert not missing, f"graded items of {assignment} not listed in docs/curriculum.md: {missing}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_header_states_the_estimated_time_and_each_part_stays_under_75_minutes(assignment):
    notebook = nbformat.read(notebook_path(ROOT / "source", assignment), as_version=4)
    total = estimated_minutes(notebook.cells)
    header = notebook.cells[0].source
    method = (f"{READING_WORDS_PER_MINUTE} words a minute", f"{MINUTES_PER_POINT} minutes per point",
              f"{MINUTES_PER_DEMO} minutes per demo")
    assert f"about {total} minutes" in header and all(m in header for m in method), \
        f"the header must state 'about {total} minutes' and how it was estimated: {', '.join(method)}"
    for stated, cells in parts(notebook) or [(total, notebook.cells)]:
        assert stated == estimated_minutes(cells), f"a part states {stated} minutes, estimated {estimated_minutes(cells)}"
        assert stated <= 75, f"{stated} minutes in one sitting: split it into parts ('# Part 2 ... about N minutes')"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_readme_states_each_assignment_s_maximum_score(assignment):
    cells = nbformat.read(notebook_path(ROOT / "source", assignment), as_version=4).cells
    total = sum(c.metadata["nbgrader"]["points"] for c in cells if c.metadata.get("nbgrader", {}).get("grade"))
    row = re.search(rf"\| `{assignment}` \| \d+ \| (\d+) \|", (ROOT / "README.md").read_text())
    assert row and int(row.group(1)) == total, f"the README's table of maximum scores must say {total} for {assignment}"
