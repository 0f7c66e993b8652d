"""How an autograde kernel is launched and confined: bubblewrap, resource limits, no network.

nbgrader runs every submission in a Jupyter kernel as the instructor, so plain nbgrader lets a
student's code read `source/` (the solutions), `gradebook.db` and other students' work, open
network connections, fill the memory or fork without end. `SandboxedKernelManager` launches the
same kernel inside bubblewrap (`bwrap`, Debian package `bubblewrap`), wired in through
nbgrader_config.py:

    c.Execute.kernel_manager_class = "grader.sandbox.SandboxedKernelManager"

What the kernel sees and may do:
- a new, empty root: the system (/usr, /etc) and the Python it runs on (the virtual env, its base
  Python, the `course` helper package) read-only; nothing else of the host, so no course folder,
  no gradebook, no other student;
- its own submission folder (the kernel's working directory), writable, and a private /tmp,
  also its home;
- no network (own network namespace; the kernel talks to nbgrader over Unix sockets), own PID
  namespace (everything it starts dies with it), a clean environment;
- limits: address space (memory), CPU seconds, file size, and process count. The kernel runs
  under an unprivileged uid of its own when nbgrader runs as root (the process limit does not
  hold for root), in a user namespace otherwise;
- a file beside the notebook (say `numpy.py`) never shadows an installed module.

Every limit is a configurable trait (`c.SandboxedKernelManager.memory_limit = ...`), and
`c.SandboxedKernelManager.enabled = False` turns the sandbox off (kernels then run as plain
nbgrader runs them).
"""

import fcntl
import functools
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, List, Unicode
from traitlets.utils.importstring import import_item

MiB = 1024 ** 2

INSTALL_HINT = (
    "The grading sandbox needs bubblewrap (`bwrap`), which is not installed. Install it "
    "(Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install bubblewrap`), "
    "or, to grade without confinement (student code then runs as you, and can read the "
    "solutions and the gradebook), set `c.SandboxedKernelManager.enabled = False` in "
    "nbgrader_config.py."
)


@functools.lru_cache
def course_package_paths(python):
    """Where ``python`` imports the `course` helper package from, asked the way the kernel imports
    it (``-P``, from a neutral folder): an unrelated `course/` folder in the grader's current
    directory must not be mistaken for it, or every kernel would fail its first cell."""
    finder = ("import importlib.util, json; s = importlib.util.find_spec('course'); "
              "print(json.dumps(list(s.submodule_search_locations) if s else []))")
    done = subprocess.run([python, "-P", "-c", finder], cwd="/", capture_output=True, text=True, timeout=120)
    paths = json.loads(done.stdout or "[]") if done.returncode == 0 else []
    if not paths:
        raise RuntimeError(f"The course's helper package `course` is not importable by {python}: "
                           "run `make setup` (pip install -r requirements.txt) in the course folder.")
    return paths


@functools.lru_cache
def bwrap_help(bwrap):
    """bubblewrap's option summary (to know which options this version has)."""
    done = subprocess.run([bwrap, "--help"], capture_output=True, text=True)
    return done.stdout + done.stderr


class SandboxUnavailable(RuntimeError):
    """The sandbox is switched on but cannot be used on this machine."""


def private_folder(path):
    """``path``, created if missing, once sure it is a folder of this user that nobody else can
    write: in a shared /tmp another user could have made it first and planted links in it. (Once
    checked it stays ours: /tmp's sticky bit keeps others from renaming or replacing it.)"""
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        pass
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a folder"
        raise SandboxUnavailable(
            f"{path} must be a folder of user {os.geteuid()} that only that user can write; it is {kind} "
            f"of user {info.st_uid} with mode {stat.filemode(info.st_mode)}. Check that no grading is "
            "running, remove it (as root) and grade again.")
    return path


def check_sandbox(config):
    """Raise SandboxUnavailable when ``config`` (an nbgrader configuration) confines grading
    kernels in this sandbox and bubblewrap is missing: said once, before anything is graded,
    instead of once per submission."""
    manager = config.Execute.get("kernel_manager_class")
    manager = import_item(manager) if isinstance(manager, str) else manager
    if not (isinstance(manager, type) and issubclass(manager, SandboxedKernelManager)):
        return
    sandbox = manager(config=config)
    if sandbox.enabled and shutil.which(sandbox.bwrap) is None:
        raise SandboxUnavailable(INSTALL_HINT)


class SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernels run confined by bubblewrap (see the module doc)."""

    enabled = Bool(True, help="Confine grading kernels; False runs them unconfined.").tag(config=True)
    bwrap = Unicode("bwrap", help="The bubblewrap executable (name on PATH or path).").tag(config=True)
    memory_limit = Integer(2048 * MiB, help="Address space of the kernel in bytes (RLIMIT_AS).").tag(config=True)
    cpu_time_limit = Integer(600, help="CPU seconds for one kernel's whole life (RLIMIT_CPU).").tag(config=True)
    process_limit = Integer(64, help="Processes and threads of the kernel's uid (RLIMIT_NPROC).").tag(config=True)
    file_size_limit = Integer(256 * MiB, help="Largest file the kernel may write (RLIMIT_FSIZE).").tag(config=True)
    tmp_size = Integer(256 * MiB, help="Size of the kernel's private /tmp (its home too).").tag(config=True)
    first_uid = Integer(
        200000, help="Kernels started by root each run under a free uid from here on (not in /etc/passwd)."
    ).tag(config=True)
    read_only_paths = List(Unicode(), help="More host paths the kernel may read.").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._scratch = None       # host folder holding the kernel's sockets and connection file
        self._uid_lock = None      # open lock file claiming a uid while the kernel lives
        self._uid = None
        self._workdir = None       # the submission folder, the kernel's working folder meanwhile
        self._owner = None         # its owner, when it was handed to the kernel's uid
        if self.enabled:
            self.transport = "ipc"
            self.cache_ports = False

    # -- launching ------------------------------------------------------------------------

    async def _async_pre_start_kernel(self, **kw):
        if not self.enabled:
            return await super()._async_pre_start_kernel(**kw)
        bwrap = shutil.which(self.bwrap)
        if bwrap is None:
            raise SandboxUnavailable(INSTALL_HINT)
        self._scratch = Path(tempfile.mkdtemp(prefix="nbgrader-sandbox-"))
        try:
            return await self._confined_start(bwrap, kw)
        except BaseException:
            await self._async_cleanup_resources()
            raise

    async def _confined_start(self, bwrap, kw):
        self.ip = str(self._scratch / "kernel")
        self.connection_file = str(self._scratch / "connection.json")
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        # A signal to the process group would hit bubblewrap itself, which dies of it and takes
        # the kernel along: ask the kernel to interrupt itself instead (over its control socket).
        self.kernel_spec.interrupt_mode = "message"
        kw["stdout"] = subprocess.DEVNULL  # the kernel's connection banner, nothing else
        workdir = Path(kw.get("cwd") or os.getcwd()).resolve()
        self._seed_matplotlib_cache()
        if os.geteuid() == 0:
            self._claim_uid()
            self._give_to_kernel(workdir)
        self._workdir = workdir
        kw["cwd"] = str(workdir)
        kw["env"] = self._kernel_env(kw.get("env", {}))
        return [bwrap, *self._bwrap_args(workdir), "--", *self._limits(), *self._kernel_cmd(cmd)], kw

    def _seed_matplotlib_cache(self):
        """Give the kernel a copy of the grader's matplotlib font list (building one costs ~1 s)."""
        cache = self._scratch / "matplotlib"
        cache.mkdir()
        host = Path(os.environ.get("MPLCONFIGDIR") or Path.home() / ".cache" / "matplotlib")
        for fontlist in host.glob("fontlist-*.json") if host.is_dir() else ():
            shutil.copy(fontlist, cache / fontlist.name)

    def _bwrap_args(self, workdir):
        args = ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--die-with-parent", "--clearenv"]
        if os.geteuid() == 0:
            # setpriv needs these to drop to the kernel's uid; they are gone once it has
            args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        else:
            args += ["--unshare-user"]
        args += ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            top = Path("/") / name
            if top.is_symlink():
                args += ["--symlink", os.readlink(top), str(top)]
            elif top.is_dir():
                args += ["--ro-bind", str(top), str(top)]
        args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777"]
        if "--size" in bwrap_help(self.bwrap):  # bubblewrap 0.7 and later
            args += ["--size", str(self.tmp_size)]
        args += ["--tmpfs", "/tmp"]
        readable = sorted(set(self._runtime_paths()))
        # bubblewrap creates missing parents with mode 0700: make them traversable for the uid
        parents = sorted({str(p) for path in [*readable, str(workdir), str(self._scratch)]
                          for p in Path(path).parents if str(p) not in ("/", "/tmp")})
        for parent in parents:
            if not any(parent == r or parent.startswith(r + "/") for r in readable):
                args += ["--perms", "0755", "--dir", parent]
        for path in readable:
            args += ["--ro-bind", path, path]
        args += ["--bind", str(self._scratch), str(self._scratch),
                 "--bind", str(workdir), str(workdir), "--chdir", str(workdir)]
        for name, value in self._sandbox_env().items():
            args += ["--setenv", name, value]
        return args

    def _runtime_paths(self):
        """Host folders the kernel must read: its Python, the virtual env, the helper package."""
        paths = [sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable))]
        paths += course_package_paths(sys.executable)
        paths += self.read_only_paths
        real = [os.path.realpath(p) for p in paths if os.path.exists(p)]
        # drop a path already inside another one
        return [p for p in real if not any(p != q and p.startswith(q + "/") for q in real)]

    def _sandbox_env(self):
        return {
            "PATH": f"{sys.prefix}/bin:/usr/local/bin:/usr/bin:/bin",
            "HOME": "/tmp", "TMPDIR": "/tmp", "MPLCONFIGDIR": str(self._scratch / "matplotlib"),
            "LANG": "C.UTF-8", "PYTHONNOUSERSITE": "1",
            # BLAS threads count against the process limit, and a grader wants one core each
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "NBGRADER_EXECUTION": os.environ.get("NBGRADER_EXECUTION", "autograde"),
        }

    def _kernel_env(self, env):
        """The environment bwrap itself starts with (it clears it for the kernel anyway)."""
        return {name: env[name] for name in ("PATH", "LANG") if name in env}

    def _limits(self):
        limits = ["prlimit", f"--as={self.memory_limit}", f"--cpu={self.cpu_time_limit}",
                  f"--nproc={self.process_limit}", f"--fsize={self.file_size_limit}", "--"]
        if self._uid is not None:
            limits += ["setpriv", f"--reuid={self._uid}", f"--regid={self._uid}", "--clear-groups",
                       "--inh-caps=-all", "--no-new-privs", "--"]
        return limits

    def _kernel_cmd(self, cmd):
        """The kernel's own command, with the submission folder kept off the front of sys.path.

        `-P` keeps the working directory out of sys.path at start-up (so no sitecustomize.py
        or numpy.py of the student's is imported instead of the real one), and IPython honours
        it; the folder is then appended at the end, so a student's own helper module still
        imports but can never shadow an installed one.
        """
        python, *rest = cmd
        if Path(python).name.startswith("python"):
            rest = ["-P", *rest, "--IPKernelApp.exec_lines=import sys as _s; _s.path.append(''); del _s"]
        return [python, *rest]

    # -- the kernel's uid and its folder ---------------------------------------------------

    def _claim_uid(self):
        """Take a uid no other sandboxed kernel on this machine is using (a lock file per uid)."""
        locks = private_folder(Path(tempfile.gettempdir()) / "nbgrader-sandbox-uids")
        for uid in range(self.first_uid, self.first_uid + 4096):
            handle = os.fdopen(os.open(locks / str(uid), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600), "r+")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            self._uid, self._uid_lock = uid, handle
            return
        raise SandboxUnavailable("no free uid for a sandboxed kernel (4096 kernels running?)")

    def _give_to_kernel(self, workdir):
        self._owner = workdir.stat()
        cache = self._scratch / "matplotlib"
        for path in (self._scratch, workdir, Path(self.connection_file), cache, *cache.iterdir()):
            os.chown(path, self._uid, self._uid)

    def _take_back(self):
        """The submission folder back from the kernel: every link, pipe or socket it left there
        removed (nbgrader then sets permissions on each file it finds, following links), and
        what it wrote returned to the folder's owner."""
        if self._workdir is None or not self._workdir.exists():
            return
        for folder, dirs, files in os.walk(self._workdir):
            for name in [*dirs, *files]:
                path = os.path.join(folder, name)
                info = os.lstat(path)
                if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
                    os.unlink(path)
                elif self._owner is not None and info.st_uid == self._uid:
                    os.chown(path, self._owner.st_uid, self._owner.st_gid, follow_symlinks=False)
        if self._owner is not None:
            os.chown(self._workdir, self._owner.st_uid, self._owner.st_gid)
        self._workdir = self._owner = None

    # -- clean-up ---------------------------------------------------------------------------

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        self._take_back()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
        if self._uid_lock is not None:
            self._uid_lock.close()
            self._uid_lock, self._uid = None, None

    cleanup_resources = _async_cleanup_resources
