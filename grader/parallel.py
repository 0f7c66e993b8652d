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

A progress bar (stderr) shows the last student and notebook done, elapsed time and ETA; then a
table, one line per submission. Exit status 1 when a submission could not be recorded (an
unknown student, a gradebook still locked, a failure), else 0.
"""

import argparse
import csv
import glob
import logging
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import nbformat
import sqlalchemy
from nbconvert.exporters import NotebookExporter
from nbconvert.writers import FilesWriter
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps.autogradeapp import AutogradeApp
from nbgrader.converters import Autograde
from nbgrader.converters.base import BaseConverter
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (AssignLatePenalties, GetGrades, OverwriteCells,
                                    OverwriteKernelspec, SaveAutoGrades, SaveCells)
from tqdm import tqdm
from traitlets.utils.importstring import import_item

# nbgrader's preprocessors that read or write the gradebook. A custom preprocessor that does
# can say so with a class attribute ``uses_gradebook = True``.
GRADEBOOK_STEPS = (SaveAutoGrades, AssignLatePenalties, SaveCells, OverwriteCells,
                   OverwriteKernelspec, GetGrades)

# Outcomes that leave a submission's grade recorded (or, for a skipped one, already recorded);
# "no-submission" (a --student without a folder) has nothing to record.
RECORDED = {"graded", "skipped", "bad-submission", "no-submission"}


@dataclass
class Outcome:
    """What happened to one student's submission of one assignment."""
    assignment: str
    student: str
    status: str  # graded | skipped | bad-submission | no-submission | unknown-student | gradebook-locked | failed
    message: str = ""
    score: float | None = None
    max_score: float | None = None
    workers: set = field(default_factory=set)


class GradebookLocked(Exception):
    """The sqlite gradebook stayed locked by another program for longer than we wait."""


def uses_gradebook(step):
    return getattr(step, "uses_gradebook", False) or issubclass(step, GRADEBOOK_STEPS)


def split_steps(steps):
    """(execution steps, gradebook steps): the configured list cut at its first gradebook step."""
    classes = [import_item(s) if isinstance(s, str) else s for s in steps]
    cut = next((i for i, cls in enumerate(classes) if uses_gradebook(cls)), len(classes))
    return classes[:cut], classes[cut:]


def dotted(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def file_resources(resources, path):
    """``resources`` plus the ``metadata`` nbconvert's ``from_filename`` would give ``path``."""
    modified = os.path.getmtime(path) if os.path.exists(path) else time.time()
    return {**resources, "metadata": {
        "name": os.path.splitext(os.path.basename(path))[0], "path": os.path.dirname(path),
        "modified_date": time.strftime("%B %d, %Y", time.localtime(modified))}}


# ---------------------------------------------------------------- worker side

def execute_steps(config, steps, notebook_json, files, resources):
    """Run the execution steps of nbgrader's autograde on a copy of one submission folder.

    Runs in a Dask worker. ``files`` maps each file of the autograded folder (the sanitized
    notebook, the student's other files, the instructor's data files) to its bytes; they are
    written to a temporary folder, the kernel's working directory. Returns the notebook (JSON)
    and the worker's address.
    """
    from dask.distributed import get_worker

    os.environ["NBGRADER_EXECUTION"] = "autograde"  # what nbgrader sets around these steps
    config = config.copy()
    config.Exporter.default_preprocessors = []
    exporter = NotebookExporter(config=config)
    for step in steps:  # registered as nbgrader does: a step is on if its own `enabled` says so
        exporter.register_preprocessor(import_item(step))
    with tempfile.TemporaryDirectory(prefix="autograde-") as folder:
        for name, data in files.items():
            target = os.path.join(folder, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(data)
        notebook_path = os.path.join(folder, resources["unique_key"] + ".ipynb")
        notebook = nbformat.reads(notebook_json, as_version=4)
        output, _ = exporter.from_notebook_node(notebook, file_resources(resources, notebook_path))
    return output, get_worker().address


# ---------------------------------------------------------------- the one writer

@dataclass
class Job:
    """One notebook to execute: where nbgrader left it sanitized, and what a worker needs."""
    grader: "ParallelAutograde"
    student: str
    notebook: str   # notebook id
    path: str       # the sanitized notebook in autograded/

    def task(self):
        """The arguments of ``execute_steps`` for this notebook."""
        execution, _ = split_steps(self.grader.autograde_preprocessors)
        with open(self.path, encoding="utf-8") as f:
            notebook_json = f.read()
        folder = os.path.dirname(self.path)
        files = {}
        for path in utils.find_all_files(folder, []):
            with open(path, "rb") as f:
                files[os.path.relpath(path, folder)] = f.read()
        return (self.grader.config, [dotted(s) for s in execution], notebook_json, files,
                self.grader.resources(self))


class ParallelAutograde(Autograde):
    """nbgrader's Autograde converter for one assignment, the execution steps left to others.

    ``prepare()`` yields a Job per notebook to execute (after nbgrader's sanitize steps);
    ``finish(job, executed)`` records one executed notebook. Both run in the writing process.
    """

    def __init__(self, students=(), lock_timeout=60.0, **kwargs):
        super().__init__(**kwargs)
        self.only_students = set(students)
        self.lock_timeout = lock_timeout
        self.outcomes = {}
        self.remaining = {}  # student -> notebooks not yet recorded
        self.expected = None  # the assignment's notebooks, as the gradebook knows them
        self._lock_seen = False  # a lock outlasted lock_timeout: one attempt per step from then on
        self._lock_told = False

    # -- the gradebook, with patience for a lock held by someone else

    def gradebook_call(self, action, *args):
        """``action(*args)``, retried while sqlite reports the gradebook locked."""
        deadline = time.monotonic() + (0 if self._lock_seen else self.lock_timeout)
        while True:
            try:
                return action(*args)
            except sqlalchemy.exc.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if not self._lock_told:
                    self._lock_told = True
                    self.log.warning("The gradebook is locked by another program: waiting up to "
                                     "%g s for it", self.lock_timeout)
                if time.monotonic() >= deadline:
                    self._lock_seen = True  # from now on, one attempt per step (sqlite waits 5 s)
                    raise GradebookLocked(
                        f"the gradebook ({self.coursedir.db_url}) stayed locked by another "
                        f"program (formgrader? another nbgrader command?) for "
                        f"{self.lock_timeout:g} s or more; not recorded: re-run when it is "
                        f"free") from None
                time.sleep(0.5)

    def gradebook(self):
        return Gradebook(self.coursedir.db_url, self.coursedir.course_id)

    # -- which folders to grade

    def init_notebooks(self):
        """Every submission folder of the assignment, with or without notebooks in it."""
        self.assignments = {}
        pattern = self._format_source(self.coursedir.assignment_id, "*")
        for folder in sorted(glob.glob(pattern)):
            student = self.student_of(folder)
            if os.path.isdir(folder) and (not self.only_students or student in self.only_students):
                self.assignments[folder] = sorted(glob.glob(os.path.join(folder, "*.ipynb")))
        found = {self.student_of(folder) for folder in self.assignments}
        for student in sorted(self.only_students - found):
            self.outcome(student, "no-submission", "no submission folder "
                         + self._format_source(self.coursedir.assignment_id, student))

    def student_of(self, folder):
        regexp = self._format_source("(?P<assignment_id>.*)", "(?P<student_id>.*)", escape=True)
        return re.match(regexp, folder)["student_id"]

    # -- the batch

    def prepare(self):
        """nbgrader's steps before execution, student after student; yield the notebooks to run."""
        self.init_notebooks()
        self.writer = FilesWriter(parent=self, config=self.config)
        self.exporter = self.exporter_class(parent=self, config=self.config)
        for folder, notebooks in self.assignments.items():
            student = self.student_of(folder)
            try:
                jobs = self.prepare_student(student, folder, notebooks)
            except Exception as error:  # noqa: BLE001: one student's problem, reported
                self.fail(student, error)
                continue
            self.remaining[student] = len(jobs)
            yield from jobs

    def prepare_student(self, student, folder, notebooks):
        """Check one submission folder, then run nbgrader's steps before execution; return jobs."""
        assignment = self.coursedir.assignment_id
        excluded = self.coursedir.student_id_exclude.split(",")
        if student in excluded:
            return []
        if not self.create_student and not self.gradebook_call(self.known_student, student):
            self.outcome(
                student, "unknown-student",
                f"'{student}' is not a student in the gradebook: nothing recorded (a typo in "
                f"the folder name? or add the student: `python -m grader roster students.csv` or "
                f"`nbgrader db student add {student}`), then grade again")
            return []
        if self.expected is None:
            self.expected = self.gradebook_call(self.expected_notebooks, assignment)
        usable, bad = self.check_folder(folder, notebooks, self.expected)
        if bad:
            self.gradebook_call(self.record_zero, student, folder, bad)
        if not usable:
            self.outcome(student, "bad-submission", "; ".join(bad.values()))
            self.add_score(student)
            return []
        self.notebooks = usable
        if not self.gradebook_call(self.init_destination, assignment, student):
            self.outcome(student, "skipped", "already graded (--force re-grades)")
            self.add_score(student)
            return []
        self.outcome(student, "graded", "; ".join(bad.values()))
        self.run_pre_convert_hook()
        self.gradebook_call(self.init_assignment, assignment, student)
        jobs = []
        for path in self.notebooks:
            self._sanitizing = True
            self._init_preprocessors()
            self.gradebook_call(BaseConverter.convert_single_notebook, self, path)
            sanitized = os.path.join(self.writer.build_directory, os.path.basename(path))
            jobs.append(Job(self, student, os.path.splitext(os.path.basename(path))[0], sanitized))
        return jobs

    def known_student(self, student):
        with self.gradebook() as gb:
            try:
                gb.find_student(student)
                return True
            except MissingEntry:
                return False

    def expected_notebooks(self, assignment):
        with self.gradebook() as gb:
            try:
                return sorted(nb.name for nb in gb.find_assignment(assignment).notebooks)
            except MissingEntry:
                raise RuntimeError(f"no assignment '{assignment}' in the gradebook: run "
                                   f"`nbgrader generate_assignment {assignment}` first") from None

    @staticmethod
    def check_folder(folder, notebooks, expected):
        """(usable notebook paths, {notebook id: why it can't be graded}) for one folder."""
        present = {os.path.splitext(os.path.basename(p))[0]: p for p in notebooks}
        strangers = sorted(os.path.basename(p) for name, p in present.items() if name not in expected)
        usable, bad = [], {}
        if not os.listdir(folder):
            return [], {name: "empty submission folder" for name in expected}
        for name in expected:
            if name not in present:
                if strangers:
                    bad[name] = (f"{name}.ipynb is missing but the folder holds "
                                 f"{', '.join(strangers)}: renamed? rename it to {name}.ipynb "
                                 f"and re-run")
                else:
                    held = ", ".join(sorted(os.listdir(folder)))
                    bad[name] = f"{name}.ipynb is missing (the folder holds {held})"
                continue
            try:
                nbformat.read(present[name], as_version=4)
            except Exception as error:  # noqa: BLE001: any unreadable file is the same case
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                bad[name] = f"{name}.ipynb is not a readable notebook ({type(error).__name__}: {reason[:120]})"
                continue
            usable.append(present[name])
        return usable, bad

    def record_zero(self, student, folder, bad):
        """Score every graded cell of the ``bad`` notebooks 0 and flag them for review."""
        assignment = self.coursedir.assignment_id
        timestamp = self.coursedir.get_existing_timestamp(folder)
        with self.gradebook() as gb:
            gb.update_or_create_student(student)
            if timestamp:
                gb.update_or_create_submission(assignment, student, timestamp=timestamp)
            else:
                gb.update_or_create_submission(assignment, student)
            for name in bad:
                notebook = gb.find_submission_notebook(name, assignment, student)
                for grade in notebook.grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
                notebook.flagged = True
            gb.db.commit()

    def add_score(self, student):
        def score():
            with self.gradebook() as gb:
                submission = gb.find_submission(self.coursedir.assignment_id, student)
                return submission.score, submission.max_score
        outcome = self.outcomes[student]
        outcome.score, outcome.max_score = self.gradebook_call(score)

    # -- recording what the workers executed

    def resources(self, job):
        """What nbgrader's autograde step gives its preprocessors for ``job``'s notebook."""
        self._sanitizing = False
        try:
            return self.init_single_notebook_resources(job.path)
        finally:
            self._sanitizing = True

    def finish(self, job, result):
        """Record one executed notebook (``result`` of its task: a future); last one closes the student."""
        outcome = self.outcomes.get(job.student)
        if outcome is None or outcome.status != "graded":
            return  # an earlier notebook of this student failed
        try:
            executed, worker = result.result()
            outcome.workers.add(worker)
            self.gradebook_call(self.record, job, executed)
        except Exception as error:  # noqa: BLE001: one student's problem, reported
            self.fail(job.student, error)
            return
        self.remaining[job.student] -= 1
        if self.remaining[job.student] == 0:
            self.set_permissions(self.coursedir.assignment_id, job.student)
            self.run_post_convert_hook()
            self.add_score(job.student)

    def record(self, job, executed):
        """The gradebook steps of nbgrader's autograde on an executed notebook; write it out."""
        _, gradebook_steps = split_steps(self.autograde_preprocessors)
        self.exporter._preprocessors = []
        for step in gradebook_steps:
            self.exporter.register_preprocessor(step)
        notebook = nbformat.reads(executed, as_version=4)
        with utils.setenv(NBGRADER_EXECUTION="autograde"):
            output, resources = self.exporter.from_notebook_node(
                notebook, file_resources(self.resources(job), job.path))
        self.write_single_notebook(output, resources)

    def outcome(self, student, status, message=""):
        self.outcomes[student] = Outcome(self.coursedir.assignment_id, student, status, message)

    def fail(self, student, error):
        """Report ``student`` as not graded, and remove their autograded folder (a re-run retries)."""
        if isinstance(error, GradebookLocked):
            status, message = "gradebook-locked", str(error)
        else:
            lines = str(error).strip().splitlines()
            status, message = "failed", f"{type(error).__name__}: {lines[-1] if lines else ''}"
        self.outcome(student, status, message)
        dest = os.path.normpath(self._format_dest(self.coursedir.assignment_id, student))
        if os.path.exists(dest):
            utils.rmtree(dest)


class Workers:
    """A Dask client: of the cluster at ``scheduler``, else of a local one with ``jobs`` worker
    processes (default: one per core). It connects in the background, so the first submissions
    are prepared meanwhile.

    Local workers are forked from a *forkserver* that has imported ``preload`` (Dask, nbgrader,
    the configured execution steps and kernel manager) once: each worker then starts in a
    fraction of a second instead of importing it all again (measured here: 2 workers ready in
    6-8 s instead of 17-18 s on a loaded 2-core machine).
    """

    def __init__(self, jobs=None, scheduler=None, preload=()):
        self._pool = ThreadPoolExecutor(1)
        self._connected = self._pool.submit(self._connect, jobs, scheduler, list(preload))

    @staticmethod
    def _connect(jobs, scheduler, preload):
        import dask

        if scheduler:
            from dask.distributed import Client
            return None, Client(scheduler, timeout="30s")
        dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"})
        from dask.distributed import Client, LocalCluster
        from distributed.utils import get_mp_context

        get_mp_context().set_forkserver_preload(["distributed", *preload])
        cluster = LocalCluster(n_workers=jobs or os.cpu_count(), threads_per_worker=1,
                               processes=True, dashboard_address=":0", memory_limit=0,
                               silence_logs=logging.ERROR)
        return cluster, Client(cluster)

    @property
    def ready(self):
        return self._connected.done()

    @property
    def client(self):
        return self._connected.result()[1]

    def close(self):
        try:
            cluster, client = self._connected.result()
        except Exception:  # noqa: BLE001: it never connected; the error was reported already
            return
        finally:
            self._pool.shutdown()
        client.close()
        if cluster is not None:
            cluster.close()


def execution_modules(config):
    """The modules a worker imports to run the execution steps that ``config`` sets up."""
    if "autograde_preprocessors" in config.Autograde:
        steps = config.Autograde.autograde_preprocessors
    else:
        steps = Autograde.class_traits()["autograde_preprocessors"].default()
    execution, _ = split_steps(steps)
    # not grader.parallel itself: run as `python -m grader.parallel`, a worker imports it again
    # as its main module, and Python warns when that module was imported before
    modules = ["nbgrader.apps.autogradeapp", "nbclient", "tqdm", *(cls.__module__ for cls in execution)]
    manager = config.Execute.get("kernel_manager_class")
    if isinstance(manager, str):
        modules.append(manager.rpartition(".")[0])
    elif manager is not None:
        modules.append(manager.__module__)
    return list(dict.fromkeys(modules))


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
    from dask.distributed import as_completed

    assignments = [assignments] if isinstance(assignments, str) else list(assignments)
    argv = ["--log-level=WARN"]
    if force:
        argv.append("--force")
    if create_student is not None:
        argv.append(f"--Autograde.create_student={create_student}")
    here = os.getcwd()
    os.chdir(course_root)
    workers, bar = None, progress_bar(progress)
    try:
        app = AutogradeApp()
        app.initialize(argv)
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
        os.chdir(here)
        AutogradeApp.clear_instance()


def report(outcomes, out=sys.stdout):
    """A table of outcomes, one line per submission."""
    width = max([len(o.student) for o in outcomes] + [7])
    for o in outcomes:
        score = f"{o.score:g}/{o.max_score:g}" if o.score is not None else "-"
        print(f"{o.assignment}  {o.student:<{width}}  {o.status:<16}  {score:>7}  {o.message}",
              file=out)


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
        with open(args.results, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["assignment", "student", "status", "score", "max_score", "message",
                             "workers"])
            for o in outcomes:
                writer.writerow([o.assignment, o.student, o.status, o.score, o.max_score,
                                 o.message, " ".join(sorted(o.workers))])
    return 0 if all(o.status in RECORDED for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
