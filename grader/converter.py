"""nbgrader's Autograde converter for one assignment, with the execution steps left to others.

The one process that writes the gradebook uses it: ``prepare()`` checks each submission folder
and runs nbgrader's steps before execution (``init_assignment``, the sanitize preprocessors),
yielding a ``Job`` per notebook to execute; ``finish(job, result)`` records one executed
notebook with the gradebook steps (``SaveAutoGrades``, ``AssignLatePenalties``, ...) and writes
``autograded/``. A submission nbgrader cannot grade (an unreadable, missing or renamed
notebook, an empty folder) is recorded as zero and flagged for review; an unknown student id
(with ``Autograde.create_student = False``) is reported and left out; a gradebook locked by
another program is waited for, then reported.
"""

import glob
import os
import re
import time
from dataclasses import dataclass

import nbformat
import sqlalchemy
from nbconvert.writers import FilesWriter
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.converters.base import BaseConverter

from grader.outcome import Outcome, Status
from grader.steps import dotted, file_resources, split_steps


class GradebookLocked(Exception):
    """The sqlite gradebook stayed locked by another program for longer than we wait."""


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
            self.outcome(student, Status.NO_SUBMISSION, "no submission folder "
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
                student, Status.UNKNOWN_STUDENT,
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
            self.outcome(student, Status.BAD_SUBMISSION, "; ".join(bad.values()))
            self.add_score(student)
            return []
        self.notebooks = usable
        if not self.gradebook_call(self.init_destination, assignment, student):
            self.outcome(student, Status.SKIPPED, "already graded (--force re-grades)")
            self.add_score(student)
            return []
        self.outcome(student, Status.GRADED, "; ".join(bad.values()))
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
        if outcome is None or outcome.status != Status.GRADED:
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
            status, message = Status.GRADEBOOK_LOCKED, str(error)
        else:
            lines = str(error).strip().splitlines()
            status, message = Status.FAILED, f"{type(error).__name__}: {lines[-1] if lines else ''}"
        self.outcome(student, status, message)
        dest = os.path.normpath(self._format_dest(self.coursedir.assignment_id, student))
        if os.path.exists(dest):
            utils.rmtree(dest)
