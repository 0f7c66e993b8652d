"""A real JupyterLab server for the browser tests, and the Chromium that drives it.

The server runs on a free localhost port with a random token, on its own config, settings and
runtime folders (nothing from ~/.jupyter leaks in), and is stopped when the ``with`` block ends.
"""

import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from grader.environment import BIN, course_env

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Debian's chromium, headless: --disable-background-networking and friends keep it from
# calling home (on a closed network those calls fail and slow every page down).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INSTALL_HINT = (
    f"Chromium is missing ({CHROMIUM} not found), and the browser tests need it. Install it with "
    "`sudo apt-get update && sudo apt-get install -y chromium` (Debian/Ubuntu; `.ci/run` does this in "
    "CI), or set CHROMIUM=/path/to/chromium. Playwright's own browser download is not used."
)

# JupyterLab user settings for a test: every cell stays in the page (no windowing, so every
# widget renders), and no news/update prompt covers the notebook.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        '{"fetchNews": "false", "checkForUpdates": false}',
}


def chromium_or_explain():
    """The Chromium binary to use, or an error whose message says how to install it."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        raise FileNotFoundError(INSTALL_HINT)
    return CHROMIUM


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """``with JupyterLab(root, home, log) as lab:`` -- a server on ``lab.url``, token ``lab.token``.

    root -- the folder students see; home -- an empty folder for config, settings and runtime
    files; nbgrader_config -- text of the nbgrader_config.py the server's nbgrader extensions read.
    """

    def __init__(self, root, home, log_path, nbgrader_config="", timeout=120):
        self.root, self.home, self.log_path, self.timeout = Path(root), Path(home), Path(log_path), timeout
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        (self.home / "config").mkdir(parents=True)
        (self.home / "config" / "nbgrader_config.py").write_text(nbgrader_config)
        for name, text in LAB_SETTINGS.items():
            path = self.home / "settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    def __enter__(self):
        env = course_env(JUPYTER_CONFIG_DIR=str(self.home / "config"),
                         JUPYTER_RUNTIME_DIR=str(self.home / "runtime"),
                         JUPYTER_DATA_DIR=str(self.home / "data"))
        command = [str(BIN / "jupyter"), "lab", "--no-browser", f"--port={self.port}",
                   "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                   "--LabApp.expose_app_in_browser=True",
                   f"--LabApp.user_settings_dir={self.home / 'settings'}",
                   f"--LabApp.workspaces_dir={self.home / 'workspaces'}"]
        if os.geteuid() == 0:   # CI and containers run as root
            command.append("--ServerApp.allow_root=True")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_ready(self):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}: "
                                   f"see {self.log_path}\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=5):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise TimeoutError(f"JupyterLab did not answer within {self.timeout} s: see {self.log_path}")

    def __exit__(self, *_exc):
        if self.process.poll() is None:
            self.process.terminate()   # jupyter lab shuts its kernels down on SIGTERM
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self._log.close()

    def lab_url(self, path=""):
        return f"{self.url}/lab/{path}?token={self.token}"


def copy_tree(source, target):
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target
