"""The PostgreSQL gradebook, for real: a Debian PostgreSQL server started by the test on localhost,
nbgrader pointed at it with NBGRADER_DB_URL, and the course's grading commands run against it."""

import csv
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, grader_command, notebook_path, require
from grader.environment import BIN, course_env
from notebooks import fill_in, reference_answers
from samples import points

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("bubblewrap", "kernel")]
ASSIGNMENT = "01_perceptron"
FULL_MARKS = float(sum(points(ASSIGNMENT).values()))


def postgres_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    require(found, "PostgreSQL is not installed: `sudo apt-get install -y postgresql` (Debian) "
                   "provides the server this test starts on localhost.")
    return os.path.dirname(found[-1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*command):
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}{done.stderr}"


@pytest.fixture
def postgres():
    """A throw-away PostgreSQL server on 127.0.0.1; yields its SQLAlchemy URL."""
    bin_dir, port = postgres_bin(), free_port()
    # PostgreSQL refuses to run as root: run it as the `postgres` user the Debian package made,
    # in a folder that user can reach (pytest's own tmp folders are private to root)
    as_server = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    home = Path(tempfile.mkdtemp(prefix="nn-basics-pg-"))
    home.chmod(0o755)
    data = home / "data"
    data.mkdir()
    if as_server:
        shutil.chown(data, "postgres")
        shutil.chown(home, "postgres")
    run(*as_server, f"{bin_dir}/initdb", "-D", str(data), "--auth=trust", "-U", "grader")
    run(*as_server, f"{bin_dir}/pg_ctl", "-D", str(data), "-l", str(home / "server.log"), "-w", "start",
        "-o", f"-p {port} -k {home} -c listen_addresses=127.0.0.1")
    try:
        run(*as_server, f"{bin_dir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "grader", "gradebook")
        yield f"postgresql+psycopg://grader@127.0.0.1:{port}/gradebook"
    finally:
        run(*as_server, f"{bin_dir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(home, ignore_errors=True)


def test_grading_with_a_postgresql_gradebook(tmp_path, postgres):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source")
    release = nbformat.read(notebook_path(ROOT / "release", ASSIGNMENT), as_version=4)
    reference = reference_answers(ASSIGNMENT)
    no_bias = {"perceptron": "def perceptron(x, w, b):\n    return step_function(np.asarray(x) @ np.asarray(w))\n"}
    for student, answers in {"ada": reference, "ben": {**reference, **no_bias}}.items():
        target = course / "submitted" / student / ASSIGNMENT / "perceptron.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(fill_in(release, answers), target)

    for command in ("grade", "report"):
        grader_command(command, cwd=course, NBGRADER_DB_URL=postgres)

    assert not (course / "gradebook.db").exists(), "nothing may fall back to SQLite"
    with open(course / "grades.csv") as file:
        scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(file)}
    assert scores == {"ada": FULL_MARKS, "ben": FULL_MARKS - 3}
    page = (course / "reports" / "class_report.html").read_text()
    assert "perceptron" in page
    listed = subprocess.run([str(BIN / "nbgrader"), "db", "student", "list"], cwd=course,
                            env=course_env(NBGRADER_DB_URL=postgres),
                            capture_output=True, text=True)
    assert "ada" in listed.stdout and "ben" in listed.stdout
