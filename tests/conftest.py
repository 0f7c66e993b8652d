"""Shared fixtures: the course's assignments, and a throw-away copy of the course for nbgrader."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from notebooks import ROOT, notebook_path  # noqa: F401 (shared with the test modules)

ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())
BIN = Path(sys.executable).parent  # the virtual env's bin/: nbgrader runs alembic from PATH


def nbgrader(*args, cwd):
    """Run the real nbgrader CLI in ``cwd``; return the completed process (output as text)."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([str(BIN / "nbgrader"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A copy of the course (config and source/) in which every assignment has been generated."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "source", root / "source")
    for assignment in ASSIGNMENTS:
        done = nbgrader("generate_assignment", assignment, cwd=root)
        assert done.returncode == 0, done.stdout + done.stderr
    return root
