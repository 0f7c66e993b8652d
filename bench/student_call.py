"""Benchmark: the cost of one call from a test cell to a student's function, one run.

    .venv/bin/python bench/student_call.py [--calls 300] [--runs 3] [--against CHECKOUT]

Test cells run on the trusted side, and every call they make to a student's function is a round
trip to the student's sandboxed kernel. This grades, with the real `nbgrader autograde` and the
course's grading settings, a one-exercise notebook whose test cell calls the learner's
`identity` on a 10-number array N times and prints the mean time per call. With --against (another
checkout of this repository, e.g. `git worktree add /tmp/old <commit>`), the same notebook is
graded by that checkout's grader too, alternating run by run, so both figures come from one run
of the same machine. Prints each run and the medians.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from grader.environment import BIN, course_env

ROOT = Path(__file__).resolve().parent.parent


def cell(source, grade_id, **flags):
    made = nbformat.v4.new_code_cell(source, id=grade_id)
    made.metadata.nbgrader = {"grade_id": grade_id, "schema_version": 3, "grade": False, "solution": False,
                              "locked": False, **flags}
    return made


def course(folder, checkout, calls):
    """A course in ``folder`` graded by ``checkout``'s grader, with one submission."""
    (folder / "nbgrader_config.py").write_text(
        f"import sys\nsys.path.insert(0, {str(checkout)!r})\nc = get_config()\n"
        "from grader.config import grade_safely\ngrade_safely(c)\n")
    source = folder / "source" / "calls"
    source.mkdir(parents=True)
    test = (f"import time\nx = np.ones(10)\nstart = time.perf_counter()\nfor _ in range({calls}):\n"
            f"    identity(x)\nprint(f'{{(time.perf_counter() - start) / {calls} * 1000:.2f}} ms per call')")
    notebook = nbformat.v4.new_notebook(cells=[
        cell("import numpy as np", "setup", locked=True),
        cell("def identity(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION", "identity", solution=True),
        cell(test, "test_identity", grade=True, locked=True, points=1)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(notebook, source / "calls.ipynb")
    run(folder, checkout, "generate_assignment", "calls")
    submitted = folder / "submitted" / "student" / "calls"
    submitted.mkdir(parents=True)
    release = nbformat.read(folder / "release" / "calls" / "calls.ipynb", as_version=4)
    release.cells[1].source = "def identity(x):\n    return x\n"
    nbformat.write(release, submitted / "calls.ipynb")


def run(folder, checkout, *args):
    env = course_env(PYTHONPATH=str(checkout))
    done = subprocess.run([str(BIN / "nbgrader"), *args], cwd=folder, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"nbgrader {' '.join(args)} failed in {folder}:\n{done.stderr[-3000:]}")


def per_call(folder, checkout):
    """Grade the submission again; the milliseconds per call its test cell printed."""
    run(folder, checkout, "autograde", "calls", "--force", "--create")
    graded = nbformat.read(folder / "autograded" / "student" / "calls" / "calls.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for o in graded.cells[2].outputs)
    return float(re.search(r"([\d.]+) ms per call", printed).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another checkout of this repository to compare with")
    args = parser.parse_args()
    checkouts = {"this checkout": ROOT}
    if args.against:
        checkouts[f"{args.against}"] = args.against.resolve()
    print(f"load average {os.getloadavg()[0]:.2f}; {args.calls} calls per run")
    with tempfile.TemporaryDirectory(prefix="bench-calls-") as tmp:
        folders = {}
        for i, (name, checkout) in enumerate(checkouts.items()):
            folders[name] = Path(tmp) / f"course{i}"
            folders[name].mkdir()
            course(folders[name], checkout, args.calls)
        times = {name: [] for name in checkouts}
        for number in range(args.runs):
            for name, checkout in checkouts.items():
                times[name].append(per_call(folders[name], checkout))
                print(f"run {number + 1}, {name}: {times[name][-1]:.2f} ms per call")
    for name, values in times.items():
        print(f"median, {name}: {statistics.median(values):.2f} ms per call")


if __name__ == "__main__":
    main()
