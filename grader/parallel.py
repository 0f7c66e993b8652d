"""Parallel autograding: nbgrader's own autograde, with the notebooks executed by Dask workers.

    python -m grader.parallel ASSIGNMENT [ASSIGNMENT ...] [--student S ...] [-j N]
                              [--scheduler tcp://HOST:PORT] [--force] [--results FILE.csv]

nbgrader autogrades a notebook in two pipelines: *sanitize* (restores the instructor's test
cells from the gradebook) and *autograde* (runs the notebook, then saves the scores into the
gradebook). This command runs the very same preprocessors, as configured in nbgrader_config.py,
split by who touches the gradebook:

- this process (the one writer): checks each submission folder, runs nbgrader's
  ``init_assignment`` and the sanitize preprocessors, then later the autograde preprocessors from
  the first gradebook step on (``SaveAutoGrades``, ``AssignLatePenalties``, ...), and writes
  ``autograded/``;
- the Dask workers (long-lived processes, one per core by default): the autograde preprocessors
  before that step (``Execute``, with whatever kernel manager the config names, then
  ``IgnorePattern``, ``ClearMetadataPreprocessor``, ``LimitOutput``), on a temporary copy of the
  submission folder, so a worker needs neither the course folder nor the gradebook.

Submissions already graded are skipped (as in nbgrader: ``--force`` re-grades), so a re-run
changes nothing. A submission nbgrader cannot grade (an unreadable, missing or renamed notebook,
an empty folder) is recorded as zero and flagged for review; an unknown student id (with
``Autograde.create_student = False``) is reported and left out; a gradebook locked by another
program is waited for, then reported per student, and the rest of the batch goes on.

The parts: ``grader.converter`` (nbgrader's converter, the writer's side), ``grader.steps``
(the two halves of the steps, and the worker's task), ``grader.workers`` (the Dask cluster),
``grader.outcome`` (the status of each submission, the table and the ``--results`` CSV); this
module is the batch loop and the command.

A progress bar (stderr) shows the last student and notebook done, elapsed time and ETA; then a
table, one line per submission. Exit status 1 when a submission could not be recorded (an
unknown student, a gradebook still locked, a failure), else 0.
"""

import argparse
import os
import sys
import time
from contextlib import contextmanager

from nbgrader.apps.autogradeapp import AutogradeApp
from nbgrader.coursedir import CourseDirectory
from tqdm import tqdm

from grader.converter import ParallelAutograde
from grader.outcome import RECORDED, report, write_csv
from grader.sandbox import SandboxUnavailable, check_sandbox
from grader.steps import execute_steps, execution_modules
from grader.workers import Workers


def progress_bar(enabled):
    return tqdm(total=0, unit="notebook", desc="autograde", disable=not enabled,
                dynamic_ncols=True, file=sys.stderr)


def autograde(assignments, students=(), jobs=None, scheduler=None, force=False,
              create_student=None, course_root=".", lock_timeout=60.0, progress=True):
    """Autograde ``assignments`` (one id or a list); return an Outcome per submission.

    ``course_root`` holds nbgrader_config.py. All students, or only ``students``. ``jobs``
    worker processes on this machine (default: one per core), or the existing Dask cluster at
    ``scheduler`` (tcp://HOST:PORT). ``force`` re-grades submissions already graded;
    ``create_student`` overrides ``Autograde.create_student``; a gradebook locked by another
    program is waited for ``lock_timeout`` seconds. Local workers are started by
    multiprocessing (forkserver), which re-imports the caller's main module: call this from a
    script's ``if __name__ == "__main__":`` block (``python -m`` entry points are fine).
    """
    assignments = [assignments] if isinstance(assignments, str) else list(assignments)
    argv = ["--log-level=WARN"]
    if force:
        argv.append("--force")
    if create_student is not None:
        argv.append(f"--Autograde.create_student={create_student}")
    # with a --scheduler the kernels run on the cluster's machines, not here: they check there
    with autograde_app(course_root, argv, check=scheduler is None) as app:
        return grade_batch(app, assignments, students, jobs, scheduler, lock_timeout, progress)


def check_can_grade(course_root="."):
    """Stop with one clear message (SystemExit) when grading in ``course_root`` cannot start:
    the sandbox its configuration asks for is missing. Reads the configuration, changes nothing."""
    with autograde_app(course_root, ["--log-level=WARN"]):
        pass


@contextmanager
def autograde_app(course_root, argv, check=True):
    """nbgrader's AutogradeApp, configured as `nbgrader autograde` run in ``course_root`` is
    (working directory ``course_root`` meanwhile); with ``check``, once sure its sandbox can run
    on this machine."""
    here = os.getcwd()
    os.chdir(course_root)
    try:
        app = AutogradeApp()
        app.initialize(argv)
        try:
            if check:
                check_sandbox(app.config)
        except SandboxUnavailable as error:
            raise SystemExit(str(error)) from None
        yield app
    finally:
        os.chdir(here)
        AutogradeApp.clear_instance()


def grade_batch(app, assignments, students, jobs, scheduler, lock_timeout, progress):
    """The batch loop of ``autograde``: prepare, execute on the workers, record."""
    from dask.distributed import as_completed

    workers, bar = None, progress_bar(progress)
    try:
        workers = Workers(jobs, scheduler, preload=execution_modules(app.config))
        graders, running, waiting = [], {}, []

        def submit(job):
            try:
                task = job.task()
            except OSError as error:  # a file of this student's that cannot be read: only they fail
                job.grader.fail(job.student, error)
                bar.update(1)
                return
            future = workers.client.submit(execute_steps, *task, pure=False,
                                           key=f"autograde-{job.student}-{job.notebook}-{time.time_ns()}")
            running[future] = job

        try:
            for assignment in assignments:
                coursedir = CourseDirectory(parent=app)
                coursedir.assignment_id = assignment
                grader = ParallelAutograde(students, lock_timeout, coursedir=coursedir, parent=app)
                graders.append(grader)
                for job in grader.prepare():
                    bar.total += 1
                    bar.refresh()
                    waiting.append(job)
                    while waiting and workers.ready:
                        submit(waiting[0])
                        waiting.pop(0)
            while waiting:
                submit(waiting[0])
                waiting.pop(0)
            for future in as_completed(list(running)) if running else ():
                job = running.pop(future)
                bar.set_postfix_str(f"{job.grader.coursedir.assignment_id} {job.student} "
                                    f"{job.notebook}", refresh=False)
                job.grader.finish(job, future)
                bar.update(1)
        except BaseException as error:
            # stopped half way (Ctrl-C, no scheduler): leave no half-graded folder behind, so
            # a re-run grades these students instead of skipping them
            for job in [*waiting, *running.values()]:
                job.grader.fail(job.student, error)
            if isinstance(error, OSError) and scheduler:
                raise SystemExit(f"Cannot use the Dask scheduler at {scheduler}: {error}") from None
            raise
        return sorted((o for g in graders for o in g.outcomes.values()),
                      key=lambda o: (o.assignment, o.student))
    finally:
        bar.close()
        if workers is not None:
            workers.close()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader.parallel",
                                     description="Autograde submissions in parallel (nbgrader "
                                                 "autograde, notebooks executed by Dask workers).")
    parser.add_argument("assignment", nargs="+")
    parser.add_argument("--student", action="append", default=[], help="grade only this student (repeatable)")
    parser.add_argument("-j", "--jobs", type=int, help="local worker processes (default: one per core)")
    parser.add_argument("--scheduler", help="address of an existing Dask cluster, tcp://HOST:PORT")
    parser.add_argument("--force", "-f", action="store_true", help="re-grade submissions already graded")
    parser.add_argument("--create", dest="create_student", action="store_true", default=None,
                        help="create unknown students in the gradebook")
    parser.add_argument("--no-create", dest="create_student", action="store_false",
                        help="report unknown student ids instead of creating them")
    parser.add_argument("--lock-timeout", type=float, default=60.0,
                        help="seconds to wait for a gradebook locked by another program (default 60)")
    parser.add_argument("--results", help="also write the outcomes to this CSV file")
    parser.add_argument("--course", default=".", help="the course folder (default: here)")
    parser.add_argument("--no-progress", dest="progress", action="store_false")
    args = parser.parse_args(argv)
    if args.jobs is not None and args.scheduler:
        parser.error("-j is for a local cluster; the cluster at --scheduler has its own workers")
    outcomes = autograde(args.assignment, args.student, args.jobs, args.scheduler, args.force,
                         args.create_student, args.course, args.lock_timeout, args.progress)
    report(outcomes)
    if args.results:
        write_csv(outcomes, args.results)
    return 0 if all(o.status in RECORDED for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
