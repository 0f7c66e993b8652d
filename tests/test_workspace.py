"""`make lab` copies release/ into the learner's workspace and never overwrites their work."""

import runpy

from conftest import ROOT

copy_missing = runpy.run_path(str(ROOT / "scripts" / "workspace.py"))["copy_missing"]


def test_workspace_keeps_the_learners_answers_and_adds_new_notebooks(tmp_path):
    release, workspace = tmp_path / "release", tmp_path / "workspace"
    (release / "01").mkdir(parents=True)
    (release / "01" / "a.ipynb").write_text("release version")
    assert copy_missing(release, workspace) == [workspace / "01" / "a.ipynb"]

    (workspace / "01" / "a.ipynb").write_text("my answers")
    (release / "01" / "a.ipynb").write_text("updated release")
    (release / "02").mkdir()
    (release / "02" / "b.ipynb").write_text("new notebook")
    assert copy_missing(release, workspace) == [workspace / "02" / "b.ipynb"]
    assert (workspace / "01" / "a.ipynb").read_text() == "my answers"
