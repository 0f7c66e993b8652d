"""Autograde execution that survives bad submissions: `RobustExecute` replaces nbgrader's Execute.

In plain nbgrader a cell that kills the kernel (`os._exit`, a segfault, running out of memory)
or that cannot be interrupted after its timeout loses every later cell of the notebook. Here it
costs only that cell, exactly as an ordinary exception there would: the grader restarts the
kernel, runs the notebook again with that cell left out, writes why into that cell's output, and
goes on. The tests that need what the cell should have defined fail on their own (NameError).

The test cells never run in the student's kernel. They run on the trusted side (grader/trusted.py:
a process of the grader's that never executes student code), which calls the student's functions
in the student's kernel through the grader and compares their results itself; the student's code
can change its own process as it likes and never reach a check. The locked set-up cells run in
the student's kernel as the submission has them, and on the trusted side as the release has them
(grader/plan.py). A call reaches the student's kernel as a comm message and comes back the same
way, within what is left of the cell's time. Each test cell's outputs (prints, errors, a
partial-credit value) come back from the trusted side and are written into the notebook as a
kernel would have written them, so nbgrader scores the notebook as usual. When a submission
makes the trusted side fail (past the cell's time, or dead), that test cell fails with a message
that says so, and the next one gets a new trusted side.

Wired in by nbgrader_config.py, for `nbgrader autograde` and for anything built on nbgrader's
Autograde converter:

    c.Autograde.autograde_preprocessors = [...RobustExecute in place of Execute...]
"""

import atexit
import copy
import json
import math
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

import nbformat

from nbclient.exceptions import DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade, is_solution
from traitlets import Integer

from course.i18n import edition
from grader.plan import plan_for


class KernelStuck(Exception):
    """A timed-out cell's kernel did not answer the interrupt."""


class KernelExit(Exception):
    """A cell asked the kernel to shut down (IPython's exit() or quit())."""


STUDENT_SIDE_SOURCE = Path(__file__).with_name("student_side.py").read_text()
# Runs in the student's kernel at its start: the grader's half there, answering comm messages of
# a target with a random name (a comm message is the kernel's own messaging, and skips run_cell)
STUDENT_SIDE_INSTALL = """def _grader_install():
    namespace = {{"__name__": "grader_student_side"}}
    exec(compile({source!r}, "grader/student_side.py", "exec"), namespace)
    serve = namespace["make_server"](get_ipython().user_ns)
    def answer(comm, message):
        try:
            comm.send({{"reply": serve(message["content"]["data"]["request"])}})
        except BaseException as exc:
            comm.send({{"error": f"{{type(exc).__name__}}: {{exc}}"[:2000]}})
    def opened(comm, message):
        comm.on_msg(lambda message: answer(comm, message))
    get_ipython().kernel.comm_manager.register_target({name!r}, opened)
_grader_install()
del _grader_install
"""
MiB = 1024 ** 2


class TrustedSideFailed(RuntimeError):
    """The trusted side died or ran out of time while checking a cell (the cell fails, never the run)."""


class TrustedProcess:
    """The grader's end of the trusted side (grader/trusted.py), one process per grading process."""

    def __init__(self, memory_limit):
        self.folder = tempfile.mkdtemp(prefix="nbgrader-trusted-")
        env = {**os.environ, "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        self.process = subprocess.Popen([sys.executable, "-m", "grader.trusted", str(memory_limit), self.folder],
                                        cwd=self.folder, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.plan_sent = None   # the notebook whose plan this process holds

    def run(self, op, serve_student, deadline=None, **fields):
        """Send one op; serve the student calls it makes; return its (outputs, execution count).
        Past ``deadline`` (time.monotonic()) the process is killed and TrustedSideFailed raised."""
        try:
            self._send({"op": op, **fields})
            while (message := self._receive(deadline))["op"] == "student":
                self._send(serve_student(message.get("request", "")))
        except BaseException:
            self.close()   # stopped mid-cell (a kernel that died or hung): start afresh next time
            raise
        return message["outputs"], message["execution_count"]

    def alive(self):
        return self.process.poll() is None

    def close(self):
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _send(self, message):
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        self.process.stdin.flush()

    def _receive(self, deadline):
        stdout = self.process.stdout
        if deadline is not None and not select.select([stdout], [], [], max(0.0, deadline - time.monotonic()))[0]:
            raise TrustedSideFailed("the checks of this cell ran past its time limit and were stopped")
        line = stdout.readline()
        if not line:
            raise TrustedSideFailed(f"the grader's checking process stopped while checking this cell "
                                    f"({describe_exit(self.process.wait())})")
        return json.loads(line)


_trusted = None


def trusted_side(memory_limit):
    """This process's trusted side, started on first use (and again if it stopped)."""
    global _trusted
    if _trusted is None or not _trusted.alive():
        if _trusted is None:
            atexit.register(lambda: _trusted.close())
        _trusted = TrustedProcess(memory_limit)
    return _trusted


class RobustExecute(Execute):
    """nbgrader's Execute, robust to kernels that die or hang, with the tests on the trusted side."""

    max_kernel_failures = Integer(
        8, help="Restarts per notebook; after that, the cells from the last failure on are not run."
    ).tag(config=True)
    interrupt_grace = Integer(
        10, help="Seconds a timed-out cell's kernel has to answer the interrupt before it is restarted."
    ).tag(config=True)
    shell_timeout_interval = Integer(
        1, help="Seconds between checks that the kernel is still alive while waiting for a reply."
    ).tag(config=True)
    trusted_memory_limit = Integer(
        3072 * MiB, help="Address space of the trusted side, the process that runs the test cells (bytes)."
    ).tag(config=True)
    reply_limit = Integer(
        64 * MiB, help="Largest answer of the student's kernel to one call of the checks (characters)."
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        pristine = copy.deepcopy(nb.cells)
        self._language = edition(nb.metadata)   # the check messages speak the notebook's language
        self._plan = plan_for(CourseDirectory(config=self.config), resources["nbgrader"]["assignment"],
                              resources["nbgrader"]["notebook"])
        self._left_out = {}  # cell index -> (error name, why)
        self._deadline = None   # while a test cell runs: when its time is up
        for failures in range(self.max_kernel_failures + 1):
            self._running = self._last_done = None
            try:
                return super().preprocess(nb, resources, km)
            except (DeadKernelError, KernelStuck, KernelExit) as failure:
                culprit, why = self._blame(failure)
                if culprit is None:
                    raise
                self.log.warning("Cell %d: %s; restarting the kernel without it", culprit, why[1])
                self._left_out[culprit] = why
                if failures == self.max_kernel_failures:
                    self._give_up(nb, culprit)
                    return nb, self.resources
                nb.cells = copy.deepcopy(pristine)
        raise AssertionError("unreachable")

    def _blame(self, failure):
        """(cell index, (error name, message)) for the cell that made the kernel fail."""
        if isinstance(failure, KernelStuck):
            return self._running, ("CellTimeoutError", str(failure))
        if isinstance(failure, KernelExit):
            return self._running, ("KernelDied", "this cell shut the kernel down (exit() or quit())")
        # The running cell, or the last one (a kernel can die after answering, as exit() does)
        culprit = self._running if self._running is not None else self._last_done
        status = self._exit_status
        return culprit, ("KernelDied", f"the kernel died while running this cell ({describe_exit(status)})")

    def _give_up(self, nb, culprit):
        reason = (f"not run: the kernel failed {self.max_kernel_failures + 1} times in this notebook, "
                  "the grader stopped here")
        for index, cell in enumerate(nb.cells):
            if index >= culprit and cell.cell_type == "code":
                ename, why = self._left_out.get(index, ("NotRun", reason))
                cell.outputs = [error_output(ename, why)]
                cell.execution_count = None

    # -- one cell -------------------------------------------------------------------------

    def preprocess_cell(self, cell, resources, index):
        if index in self._left_out:
            ename, why = self._left_out[index]
            cell.outputs = [error_output(ename, why + "; the grader restarted the kernel and ran the "
                                          "notebook again without this cell")]
            cell.execution_count = None
            return cell, self.resources
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        if is_grade(cell) and not is_solution(cell):
            return self._run_test(cell, index)
        self._running, self._asked_exit = index, False
        cell, resources = super().preprocess_cell(cell, resources, index)
        if self._asked_exit:  # the kernel stops a moment after answering: don't wait for that
            raise KernelExit()
        run_sync(self._silent)("")  # still alive after answering? If not, this cell is to blame
        self._running, self._last_done = None, index
        return cell, resources

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        payload = kwargs["execute_reply"].get("content", {}).get("payload", [])
        if any(p.get("source") == "ask_exit" and not p.get("keepkernel") for p in payload):
            self._asked_exit = True

    # -- test cells, on the trusted side -----------------------------------------------------

    def _run_test(self, cell, index):
        """Run a test cell on the trusted side; its outputs are written as a kernel would write them."""
        self._running = index
        timeout = super()._get_timeout(cell)
        margin = self.interrupt_grace + 10   # for the interrupt of a student call at the deadline
        grade_id = cell.metadata.nbgrader.get("grade_id")
        try:
            side = self._trusted()
            side.run("prepare", self._serve_student, source=cell.source, position=self._plan.position(grade_id),
                     deadline=timeout and time.monotonic() + timeout + margin)
            self._deadline = timeout and time.monotonic() + timeout
            outputs, count = side.run("test", self._serve_student, source=cell.source,
                                      deadline=self._deadline and self._deadline + margin)
            cell.outputs = [nbformat.from_dict(output) for output in outputs]
            cell.execution_count = count
        except TrustedSideFailed as failure:   # this cell fails; the next one gets a new trusted side
            self.log.warning("Cell %d: %s", index, failure)
            cell.outputs = [error_output("GradingFailed", f"{failure}, so this test scores 0 (a function that "
                                                          "returns something very large, or very slow to "
                                                          "check, can cause this)")]
            cell.execution_count = None
        finally:
            self._deadline = None
        self._running, self._last_done = None, index
        return cell, self.resources

    def _trusted(self):
        """The trusted side, holding this notebook's plan (sent again to a restarted one)."""
        side = trusted_side(self.trusted_memory_limit)
        if side.plan_sent is not self._plan_token:
            side.run("reset", self._serve_student, language=self._language, setup=self._plan.setup,
                     interface=self._plan.interface)
            side.plan_sent = self._plan_token
        return side

    def _get_timeout(self, cell):
        """While a test cell runs, the student's calls share what is left of that cell's time."""
        if self._deadline is not None:
            return max(0.05, self._deadline - time.monotonic())
        return super()._get_timeout(cell)

    def _serve_student(self, request):
        """Run a request of the trusted side in the student's kernel; the answer, as plain data."""
        timed_out = {"status": "timeout", "message": f"this cell ran longer than {self.timeout} s and was "
                                                     "interrupted by the grader"}
        if self._deadline is not None and time.monotonic() >= self._deadline:
            return timed_out   # no student call starts once the cell's time is up
        status, answer = run_sync(self._async_call_student_side)(request)
        if status == "timeout":
            return timed_out
        reply = answer.get("reply") if isinstance(answer, dict) else None
        if type(reply) is not str:
            error = answer.get("error") if isinstance(answer, dict) else None
            return {"status": "failed", "message": f"your kernel's half of the grader failed: {str(error)[:2000]}"
                    if error else "your kernel's half of the grader gave no answer"}
        if len(reply) > self.reply_limit:
            return {"status": "failed", "message": f"the answer is {len(reply) // MiB} MB, more than the "
                                                   f"{self.reply_limit // MiB} MB the grader reads"}
        return {"status": "ok", "reply": reply}

    async def _async_call_student_side(self, request):
        """("ok", what the comm sent back) once the student's kernel is idle again after
        ``request``, or ("timeout", None) when the cell's time ran out first (the call is then
        interrupted)."""
        sent = self.kc.session.msg("comm_msg", {"comm_id": self._comm_id, "data": {"request": request}})
        self.kc.shell_channel.send(sent)
        timeout = self._get_timeout(None)
        deadline = math.inf if timeout is None else time.monotonic() + timeout
        reply = None
        while (message := await self._next_message_of(sent, deadline)) is not None:
            if message["msg_type"] == "comm_msg" and message["content"].get("comm_id") == self._comm_id:
                reply = message["content"].get("data")
            elif message["msg_type"] == "status" and message["content"].get("execution_state") == "idle":
                return "ok", reply
        self.log.error("A student call ran past the cell's timeout: interrupting the kernel")
        await ensure_async(self.km.interrupt_kernel())
        while (message := await self._next_message_of(sent, time.monotonic() + self.interrupt_grace)) is not None:
            if message["msg_type"] == "status" and message["content"].get("execution_state") == "idle":
                return "timeout", None
        raise KernelStuck(f"this cell ran longer than {self.timeout} s and did not stop when interrupted")

    async def _next_message_of(self, sent, deadline):
        """The next iopub message that answers ``sent``; None once ``deadline`` passes."""
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                message = await ensure_async(self.kc.iopub_channel.get_msg(
                    timeout=min(remaining, self.shell_timeout_interval)))
            except Empty:
                if not await ensure_async(self.km.is_alive()):
                    raise DeadKernelError("the kernel died while the grader called a function in it") from None
                continue
            if message["parent_header"].get("msg_id") == sent["header"]["msg_id"]:
                return message
        return None

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        self._exit_status = None
        target = "grader_" + secrets.token_hex(8)
        reply = await self._silent(STUDENT_SIDE_INSTALL.format(source=STUDENT_SIDE_SOURCE, name=target))
        if reply["content"]["status"] != "ok":
            self.log.warning("The grader's student side did not install: %s", reply["content"].get("evalue"))
        self._comm_id = secrets.token_hex(16)
        kc.shell_channel.send(kc.session.msg("comm_open", {"comm_id": self._comm_id, "target_name": target,
                                                           "data": {}}))
        self._plan_token = object()   # a new kernel: the trusted side starts from the set-up again
        return kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    async def _silent(self, code, user_expressions=None):
        msg_id = self.kc.execute(code, silent=True, store_history=False,
                                 user_expressions=user_expressions or {})
        return await self.async_wait_for_reply(msg_id)

    # -- timeouts and dead kernels ---------------------------------------------------------

    async def _async_handle_timeout(self, timeout, cell=None):
        """Interrupt a cell past its timeout; restart the kernel if the interrupt goes unanswered."""
        self.log.error("Cell ran past its timeout (%ss): interrupting the kernel", timeout)
        await ensure_async(self.km.interrupt_kernel())
        try:
            await ensure_async(self.kc.shell_channel.get_msg(timeout=self.interrupt_grace))
        except Empty:
            raise KernelStuck(f"this cell ran longer than {timeout} s and did not stop when "
                              "interrupted") from None
        if cell is not None:  # recorded even if the cell swallowed the interrupt and finished
            cell.outputs.append(error_output(
                "CellTimeoutError", f"this cell ran longer than {timeout} s and was interrupted by the grader"))
        return {"content": {"status": "error", "ename": "CellTimeoutError",
                            "evalue": f"this cell ran longer than {timeout} s and was interrupted",
                            "traceback": [f"\x1b[0;31mCellTimeoutError\x1b[0m: this cell ran longer "
                                          f"than {timeout} s and was interrupted by the grader"]}}

    async def _async_cleanup_kernel(self):
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None:
            self._exit_status = process.poll()
        await super()._async_cleanup_kernel()

    _cleanup_kernel = run_sync(_async_cleanup_kernel)


def describe_exit(status):
    """Words for a kernel process's exit status (Popen returncode; shells report 128 + signal)."""
    if status is None:
        return "it stopped answering"
    number = -status if status < 0 else status - 128 if status > 128 else None
    causes = {signal.SIGSEGV: "it crashed (segmentation fault)",
              signal.SIGKILL: "it was killed, usually for using too much memory",
              signal.SIGXCPU: "it used up its CPU time limit",
              signal.SIGXFSZ: "it wrote a file larger than allowed",
              signal.SIGABRT: "it aborted"}
    if number is not None and number in causes:
        return f"{causes[number]}, signal {signal.Signals(number).name}"
    if number is not None and number in signal.valid_signals():
        return f"killed by signal {signal.Signals(number).name}"
    return f"it exited with status {status}, as os._exit() does"


def error_output(ename, why):
    return NotebookNode(output_type="error", ename=ename, evalue=why,
                        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {why}"])
