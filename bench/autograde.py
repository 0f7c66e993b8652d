"""Benchmark: plain serial `nbgrader autograde` against `python -m grader.parallel`, one run.

    .venv/bin/python bench/autograde.py [-n 20] [-j 2] [--assignments A ...]

Builds a throw-away course (nbgrader_config.py and source/ of this checkout), generates the
assignments, and writes the same N submissions (default 20: the sample answers of
tests/submissions/, reference, other ways, untouched, classic mistakes, round-robin over the
assignments) into two copies of it. Then times, on this machine:

- serial: `nbgrader autograde A` for each assignment, one after the other (one process each);
- parallel: `python -m grader.parallel A ... -j J` (one command, J local worker processes);
- bare: each submission executed once by nbclient, no nbgrader (a fresh kernel per notebook,
  as nbgrader has), the floor of what grading a notebook can cost.

Prints the wall times, the ratio serial / parallel and the cost per notebook of each, and fails
if the two gradebooks disagree on a single cell's score. Grading must be the only heavy work on
the machine for the figures to mean anything.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from grader.environment import BIN, course_env
from grader.gradebook import cell_grades

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from notebooks import fill_in  # noqa: E402
from samples import cases  # noqa: E402


def run(*cmd, cwd):
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=course_env(), capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"`{' '.join(map(str, cmd))}` failed:\n{done.stdout}{done.stderr}")


def timed(*cmd, cwd):
    start = time.perf_counter()
    run(*cmd, cwd=cwd)
    return time.perf_counter() - start


def build_course(folder, assignments, count):
    """A generated course with ``count`` submissions; return it and the submitted notebooks."""
    course = folder / "course"
    course.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for assignment in assignments:
        shutil.copytree(ROOT / "source" / assignment, course / "source" / assignment)
        run(BIN / "nbgrader", "generate_assignment", assignment, "--log-level=WARN", cwd=course)
    named = {a: list(cases(a).values()) for a in assignments}
    notebooks = []
    for i in range(count):
        assignment = assignments[i % len(assignments)]
        answers, _ = named[assignment][(i // len(assignments)) % len(named[assignment])]
        (release,) = (course / "release" / assignment).glob("*.ipynb")
        target = course / "submitted" / f"student{i + 1:02d}" / assignment / release.name
        target.parent.mkdir(parents=True)
        nbformat.write(fill_in(nbformat.read(release, as_version=4), answers), target)
        notebooks.append(target)
    return course, notebooks


def bare_execution(notebooks, timeout=60):
    """Seconds to run every notebook in a fresh kernel with nbclient alone."""
    start = time.perf_counter()
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        with tempfile.TemporaryDirectory() as cwd:
            NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=True,
                           resources={"metadata": {"path": cwd}}).execute(stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def cell_scores(course):
    return {(g.student, g.assignment, g.notebook, g.cell): g.score
            for g in cell_grades(f"sqlite:///{course / 'gradebook.db'}")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20, help="submissions (default 20)")
    parser.add_argument("-j", type=int, default=os.cpu_count(), help="parallel workers (default: cores)")
    parser.add_argument("--assignments", nargs="+", default=sorted(
        p.stem for p in (ROOT / "tests" / "submissions").glob("*.py") if (ROOT / "source" / p.stem).is_dir()))
    args = parser.parse_args()

    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        tmp = Path(tmp)
        base, notebooks = build_course(tmp / "base", args.assignments, args.n)
        serial_course = shutil.copytree(base, tmp / "serial")
        parallel_course = shutil.copytree(base, tmp / "parallel")
        graded = [a for a in args.assignments if any(p.parent.name == a for p in notebooks)]

        serial = {a: timed(BIN / "nbgrader", "autograde", a, "--log-level=ERROR", cwd=serial_course)
                  for a in graded}
        parallel = timed(sys.executable, "-m", "grader.parallel", *graded, "-j", args.j,
                         "--no-progress", cwd=parallel_course)
        bare = bare_execution(notebooks)

        if cell_scores(serial_course) != cell_scores(parallel_course):
            sys.exit("the parallel gradebook differs from nbgrader's: not a benchmark, a bug")

    total, n = sum(serial.values()), len(notebooks)
    print(f"{n} submissions of {', '.join(graded)}; {os.cpu_count()} cores, {args.j} workers; "
          f"load average before: {load[0]:.1f}")
    for assignment, seconds in serial.items():
        print(f"  nbgrader autograde {assignment:<16} {seconds:7.1f} s")
    print(f"serial nbgrader autograde       {total:7.1f} s   {total / n:5.2f} s/notebook")
    print(f"python -m grader.parallel -j {args.j}  {parallel:7.1f} s   {parallel / n:5.2f} s/notebook")
    print(f"bare nbclient execution         {bare:7.1f} s   {bare / n:5.2f} s/notebook")
    print(f"speed-up serial / parallel      {total / parallel:7.2f}x  (goal >= 1.8x on 2 cores)")
    print(f"cost over bare nbclient         {total / bare:7.2f}x serial; parallel: "
          f"{parallel * args.j / bare:.2f}x in worker-seconds")
    print("same score in every cell: yes")


if __name__ == "__main__":
    main()
