"""`make lab` copies release/ into the learner's workspace and never overwrites their work."""

import runpy
import subprocess

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


def make_lab_commands(*settings):
    """The commands `make lab` would run (make -n: nothing runs), with ``settings`` on make's line."""
    done = subprocess.run(["make", "-n", "lab", *settings], cwd=ROOT, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def test_make_lab_course_lang_ko_opens_the_korean_edition_in_its_own_workspace():
    status, commands = make_lab_commands("COURSE_LANG=ko")
    assert status == 0, commands
    assert "scripts/workspace.py ko/release workspace-ko" in commands
    assert "--ServerApp.root_dir=workspace-ko" in commands
    status, commands = make_lab_commands("LANG=ko_KR.UTF-8")   # the locale is not the edition
    assert status == 0 and "scripts/workspace.py release workspace\n" in commands, commands


def test_make_lab_names_the_editions_when_course_lang_is_unknown():
    status, output = make_lab_commands("COURSE_LANG=fr")
    assert status != 0 and "COURSE_LANG=fr is not an edition of this course: use one of en ko" in output
