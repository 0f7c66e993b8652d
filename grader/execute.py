"""Autograde execution that survives bad submissions: `RobustExecute` replaces nbgrader's Execute.

In plain nbgrader a cell that kills the kernel (`os._exit`, a segfault, running out of memory)
or that cannot be interrupted after its timeout loses every later cell of the notebook. Here it
costs only that cell, exactly as an ordinary exception there would: the grader restarts the
kernel, runs the notebook again with that cell left out, writes why into that cell's output, and
goes on. The tests that need what the cell should have defined fail on their own (NameError).

Before every graded test cell (and every locked set-up cell) the grader also puts back what a
submission may have replaced to pass everything: the functions of `numpy`, `numpy.testing`,
`course` and `builtins`, the names the set-up cells defined (`np`, `check`), IPython's hooks
(input and AST transformers, event callbacks, the shell's methods, a trace function) and the
objects that carry a failed test's error to the grader (the kernel's session and sockets, the
display hook and publisher). What it put back is noted in the test cell's output, and what the
code under test replaces while a test runs fails that test.

Wired in by nbgrader_config.py, for `nbgrader autograde` and for anything built on nbgrader's
Autograde converter:

    c.Autograde.autograde_preprocessors = [...RobustExecute in place of Execute...]
"""

import ast
import copy
import secrets
import signal
from queue import Empty

from nbclient.exceptions import DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade, is_locked, is_solution
from traitlets import Bool, Integer


class KernelStuck(Exception):
    """A timed-out cell's kernel did not answer the interrupt."""


class KernelExit(Exception):
    """A cell asked the kernel to shut down (IPython's exit() or quit())."""


# Runs in the kernel once, before the notebook. Everything lives in one closure, reachable only
# through a randomly named attribute of `sys`; nothing is added to the user's namespace.
GUARD = r'''
def _install(key):
    import builtins, sys
    shell = get_ipython()
    # where the objects that carry a test's error to the grader hang, parents first
    carrier_paths = ("displayhook", "display_pub", "displayhook.session", "displayhook.pub_socket",
                     "display_pub.session", "display_pub.pub_socket", "kernel", "kernel.session",
                     "kernel.iopub_socket", "kernel.iopub_socket.io_thread",
                     "kernel.iopub_socket.io_thread.socket", "kernel.shell_stream",
                     "kernel.shell_stream.socket")

    def resolve(path):
        owner = shell
        for part in path.split("."):
            owner = getattr(owner, part, None)
        return owner

    carriers = {path: resolve(path) for path in carrier_paths if resolve(path) is not None}
    owners = list({id(o): o for o in (shell, *carriers.values())}.values())
    watched = ("numpy", "course")
    modules, names, saved_names = {}, {}, {}
    classes, hooks = {}, {}   # class -> (its callables, all its keys); IPython's hook lists

    def is_function(value):
        return callable(value) or type(value) is type(sys)

    def remember():
        for name, module in list(sys.modules.items()):
            if module is None or name in modules:
                continue
            if name == "builtins" or name.split(".")[0] in watched:
                modules[name] = (module, {k: v for k, v in vars(module).items() if is_function(v)})
        for owner in owners:
            for klass in type(owner).__mro__:
                if klass not in classes:
                    classes[klass] = ({k: v for k, v in vars(klass).items() if callable(v)}, set(vars(klass)))
        hooks.setdefault("lists", {
            attr: list(getattr(shell, attr)) for attr in
            ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")})
        hooks.setdefault("events", {e: list(c) for e, c in shell.events.callbacks.items()})

    def before_setup():
        saved_names.clear()
        saved_names.update({k: id(v) for k, v in shell.user_ns.items()})

    def after_setup():
        for name, value in shell.user_ns.items():
            if is_function(value) and saved_names.get(name) != id(value):
                names[name] = value
        remember()

    def restore():
        changed = []
        for klass, (functions, keys) in classes.items():
            for attr, value in functions.items():
                if vars(klass).get(attr, restore) is not value:
                    setattr(klass, attr, value)
                    changed.append(f"{klass.__name__}.{attr}")
            for attr in set(vars(klass)) - keys:   # a method added to a subclass hides its parent's
                if callable(vars(klass)[attr]) or isinstance(vars(klass)[attr], property):
                    delattr(klass, attr)
                    changed.append(f"{klass.__name__}.{attr}")
        for path, carrier in carriers.items():
            if resolve(path) is not carrier:
                parent, _, attr = path.rpartition(".")
                setattr(resolve(parent) if parent else shell, attr, carrier)
                changed.append(f"shell.{path}")
        for name, (module, functions) in modules.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
                changed.append(name)
            current = vars(module)
            for attr, value in functions.items():
                if current.get(attr, restore) is not value:
                    current[attr] = value
                    changed.append(f"{name}.{attr}")
        for name, value in names.items():
            if shell.user_ns.get(name, restore) is not value:
                shell.user_ns[name] = value
                changed.append(name)
        for owner in owners:
            own = owners_own[id(owner)]
            for attr in shadows(owner):
                if attr not in own:
                    delattr(owner, attr)
                elif vars(owner)[attr] is not own[attr]:
                    setattr(owner, attr, own[attr])
                else:
                    continue
                changed.append(f"{type(owner).__name__}.{attr} (of the object)")
        for session, functions in sessions.items():
            for attr, value in functions.items():
                if getattr(session, attr) is not value:
                    setattr(session, attr, value)
                    changed.append(f"{type(session).__name__}.{attr} (of the object)")
        for attr, value in hooks["lists"].items():
            if getattr(shell, attr) != value:
                getattr(shell, attr)[:] = value
                changed.append(f"IPython {attr}")
        for event, callbacks in hooks["events"].items():
            if shell.events.callbacks[event] != callbacks:
                shell.events.callbacks[event][:] = callbacks
                changed.append(f"IPython {event} callbacks")
        if shell.custom_exceptions:
            shell.custom_exceptions = ()
            changed.append("IPython custom exception handler")
        if sys.gettrace() is not None:
            sys.settrace(None)
            changed.append("sys.settrace")
        if sys.getprofile() is not None:
            sys.setprofile(None)
            changed.append("sys.setprofile")
        return changed

    def shadows(owner):
        """Instance attributes hiding a method of the class (shell.run_cell = ...)."""
        return [a for a in vars(owner) if callable(getattr(type(owner), a, None))]

    owners_own = {id(o): {a: vars(o)[a] for a in shadows(o)} for o in owners}
    # a session's pack and unpack are traitlets values, which vars() does not show (other objects'
    # callable traits change between cells: the kernel's _sys_raw_input)
    sessions = {carrier: {name: getattr(carrier, name) for name in ("pack", "unpack")}
                for path, carrier in carriers.items() if path.endswith("session")}
    import numpy, numpy.testing, course.checks  # the real ones: nothing of the student's has run
    remember()
    setattr(sys, key, {"before_setup": before_setup, "after_setup": after_setup, "restore": restore})

_install(%r)
del _install
'''


class RobustExecute(Execute):
    """nbgrader's Execute, made robust to kernels that die or hang and to monkeypatched checks."""

    max_kernel_failures = Integer(
        8, help="Restarts per notebook; after that, the cells from the last failure on are not run."
    ).tag(config=True)
    interrupt_grace = Integer(
        10, help="Seconds a timed-out cell's kernel has to answer the interrupt before it is restarted."
    ).tag(config=True)
    shell_timeout_interval = Integer(
        1, help="Seconds between checks that the kernel is still alive while waiting for a reply."
    ).tag(config=True)
    guard_checks = Bool(
        True, help="Put back numpy, course and IPython functions a submission replaced, before each test."
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        pristine = copy.deepcopy(nb.cells)
        self._left_out = {}  # cell index -> (error name, why)
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
        graded = is_grade(cell) and not is_solution(cell)
        # the instructor's locked cells: nbgrader strips a grade_id the gradebook does not know
        setup = (is_locked(cell) and not is_solution(cell) and not is_grade(cell)
                 and bool(cell.metadata.get("nbgrader", {}).get("grade_id")))
        restored = self._guard("restore") if graded or setup else []
        if setup:
            self._guard("before_setup")
        self._running, self._asked_exit = index, False
        cell, resources = super().preprocess_cell(cell, resources, index)
        if self._asked_exit:  # the kernel stops a moment after answering: don't wait for that
            raise KernelExit()
        run_sync(self._silent)("")  # still alive after answering? If not, this cell is to blame
        self._running, self._last_done = None, index
        if setup:
            self._guard("after_setup")
        if graded:
            self._check_untouched(cell, index, restored, self._guard("restore"))
            # nbgrader reads an execute_result in a test cell as partial credit and stops looking
            # before a later error; the course's tests never return a value, so any result there
            # came from student code (e.g. sys.displayhook(...)) and must not decide the score
            cell.outputs = [o for o in cell.outputs if o.output_type != "execute_result"]
        return cell, resources

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        payload = kwargs["execute_reply"].get("content", {}).get("payload", [])
        if any(p.get("source") == "ask_exit" and not p.get("keepkernel") for p in payload):
            self._asked_exit = True

    def _check_untouched(self, cell, index, before, during):
        """Fail a test whose checks the code under test replaced; note what was put back before."""
        if before is None or during is None:
            during = ["the grader's guard itself"]
        elif before:
            note = ("Note from the grader: before this test it put back what the notebook had "
                    f"replaced: {', '.join(before)}.\n")
            cell.outputs.insert(0, NotebookNode(output_type="stream", name="stdout", text=note))
            self.log.warning("Cell %d: put back %s", index, ", ".join(before))
        if during:
            cell.outputs.append(error_output(
                "TamperingDetected", "while this test ran, the code under test replaced "
                f"{', '.join(during)}: the test cannot be trusted and counts as failed"))
            self.log.warning("Cell %d: code under test replaced %s", index, ", ".join(during))

    # -- the guard in the kernel -----------------------------------------------------------

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        self._exit_status = None
        if self.guard_checks:
            self._guard_key = "_" + secrets.token_hex(8)
            reply = await self._silent(GUARD % self._guard_key)
            if reply["content"]["status"] != "ok":
                self.log.warning("The grader's guard did not install: %s", reply["content"].get("evalue"))
                self.guard_checks_active = False
            else:
                self.guard_checks_active = True
        return kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def _guard(self, action):
        if not (self.guard_checks and getattr(self, "guard_checks_active", False)):
            return []
        reply = run_sync(self._silent)(
            "", user_expressions={"out": f"__import__('sys').{self._guard_key}['{action}']()"})
        result = reply["content"].get("user_expressions", {}).get("out", {})
        try:
            return list(ast.literal_eval(result["data"]["text/plain"]) or [])
        except (ValueError, SyntaxError, KeyError, TypeError):
            self.log.warning("The grader's guard failed (%s): %s", action, result.get("evalue"))
            return None  # broken by the notebook: the test it guards cannot be trusted

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
