"""The course's own Python environment, for the programs the grader and the tests start."""

import os
import sys
from pathlib import Path

BIN = Path(sys.executable).parent  # the virtual env's bin/


def course_env(**variables):
    """``os.environ`` plus ``variables``, with the course environment's bin/ first on PATH:
    nbgrader starts console scripts (alembic) by name, and they must be this environment's."""
    env = {**os.environ, **variables}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env
