"""Servers for the front-ends other than JupyterLab: `marimo run` and Voilà.

Each runs as a subprocess in its own process group on 127.0.0.1 with a free
port, with every directory it writes (config, cache, runtime, connection
files) in a fresh temp dir, and stops (group killed, temp dir removed) at the
end. Like `harness.py` this is plain code, not fixtures.

A missing front-end package skips its tests with an install hint; with CI=true
it fails them instead, the same policy as a missing browser (conftest.py).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from harness import REPO_ROOT, free_port, wait_for_server

SERVER_TIMEOUT_S = 90.0


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_module(module: str, hint: str) -> None:
    """Skip (fail with CI=true) when `module` cannot be imported."""
    if importlib.util.find_spec(module) is None:
        reason = f"the {module} package is not installed; {hint}"
        if in_ci():
            pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(reason)


@dataclass
class AppServer:
    """A front-end server subprocess (its own process group) and its temp dir."""

    name: str
    port: int
    process: subprocess.Popen
    base: Path
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """SIGTERM the group (kernels too), wait, SIGKILL what is left; remove the temp dir."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        # kernels/session processes left in the group go as well
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(timeout=10)
        if not os.environ.get("MGW_KEEP_SERVER_DIR"):
            shutil.rmtree(self.base, ignore_errors=True)


def _isolated_env(base: Path) -> dict:
    """The environment: this checkout importable, every config/cache dir under `base`."""
    env = dict(os.environ)
    dirs = {
        "XDG_CONFIG_HOME": base / "xdg-config",  # marimo.toml
        "XDG_CACHE_HOME": base / "xdg-cache",  # marimo's logs
        "XDG_STATE_HOME": base / "xdg-state",
        "XDG_DATA_HOME": base / "xdg-data",
        "JUPYTER_CONFIG_DIR": base / "jupyter-config",
        "JUPYTER_DATA_DIR": base / "jupyter-data",  # sys.prefix's labextensions still count
        "JUPYTER_RUNTIME_DIR": base / "jupyter-runtime",
        "IPYTHONDIR": base / "ipython",
    }
    for key, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[key] = str(path)
    env.update(
        JUPYTER_PLATFORM_DIRS="1",
        MARIMO_SKIP_UPDATE_CHECK="1",  # no PyPI query
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    env.pop("JUPYTER_PREFER_ENV_PATH", None)
    return env


def _start(
    name: str, cmd: list[str], cwd: Path, base: Path, port: int, ready_path: str | None, timeout: float
) -> AppServer:
    log_path = base / f"{name}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=_isolated_env(base),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = AppServer(name=name, port=port, process=process, base=base, log_path=log_path)
    wait_for_server(server, f"{name} on port {port}", lambda: _answers(port, ready_path), timeout)
    return server


def _answers(port: int, path: str | None) -> bool:
    if path is None:  # a listening socket is enough
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
            return r.status == 200
    except Exception:
        return False


# ---------------------------------------------------------------- marimo


MARIMO_HINT = "`pip install -e .[test]` (or `pip install marimo`)"


def start_marimo(app_file: Path, timeout: float = SERVER_TIMEOUT_S) -> AppServer:
    """`marimo run app.py` headless, no token, on a free port. Each page load is a new session."""
    base = Path(tempfile.mkdtemp(prefix="mgw-marimo-"))
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "marimo",
        "run",
        str(app_file),
        "--headless",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-token",
    ]
    # GET /health answers once the server is up (without starting a session)
    return _start("marimo", cmd, Path(app_file).parent, base, port, "/health", timeout)


# ---------------------------------------------------------------- Voilà


VOILA_HINT = "`pip install -e .[test]` (or `pip install voila`)"


def start_voila(notebook: Path, timeout: float = SERVER_TIMEOUT_S) -> AppServer:
    """`voila nb.ipynb` on a free port. Each page load runs the notebook in a new kernel.

    Readiness is a listening socket: a GET of the page would start (and leave) a kernel.
    """
    base = Path(tempfile.mkdtemp(prefix="mgw-voila-"))
    port = free_port()
    connections = base / "connections"
    connections.mkdir()
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--Voila.connection_dir_root={connections}",
    ]
    return _start("voila", cmd, Path(notebook).parent, base, port, None, timeout)


# ---------------------------------------------------------------- shared checks


# in-flight epochs land within this long after pause
SETTLE_MS = 1500


def trained_row(epochs: int) -> dict:
    """The history row after `epochs` epochs of Trainer(seed=0), computed in the test process."""
    from micrograd_widgets.widgets import Trainer

    t = Trainer(seed=0)
    t.train(epochs)
    t.wait()
    return t.history[-1]


def check_trainer_step_play_pause(page) -> None:
    """Drive a Trainer(seed=0) on the page: two steps, then play and pause.

    The shown losses and accuracies must be the ones this package computes for
    the same seed and epoch count (training is deterministic: full batch), and
    the boundary canvas must be repainted.
    """
    from graph_page import shows
    from trainer_page import boundary_changed_fraction, boundary_snapshot, button, epoch, trainer_root, wait_epoch

    root = trainer_root(page)
    wait_epoch(page, root, "e === 0")
    start = boundary_snapshot(root, "start")
    assert start["opaque"] > 0, "the boundary canvas is painted"

    def shown():
        return {f: root.locator(f'[data-field="{f}"]').first.inner_text().strip() for f in ("loss", "accuracy")}

    def assert_matches(n):
        row, now = trained_row(n), shown()
        assert shows(now["loss"], row["loss"]) and shows(now["accuracy"], row["accuracy"]), (n, now, row)

    for n in (1, 2):
        button(root, "step").click()
        wait_epoch(page, root, f"e === {n}")
    page.wait_for_timeout(SETTLE_MS)
    assert epoch(root) == 2, "step adds exactly one epoch"
    assert_matches(2)

    button(root, "play").click()
    wait_epoch(page, root, "e >= 8")
    button(root, "pause").click()
    page.wait_for_timeout(SETTLE_MS)
    paused = epoch(root)
    page.wait_for_timeout(2 * SETTLE_MS)
    assert epoch(root) == paused, "pause stops training"
    assert_matches(paused)
    boundary_snapshot(root, "end")
    assert boundary_changed_fraction(root, "start", "end") > 0.01, "the boundary was repainted"


# ---- the graph checks both front-ends share ------------------------------------


def open_graph(page, url: str):
    """Load the app page and wait until the graph widget shows g = 24.7041; returns its root."""
    from graph_page import graph_root, wait_shows
    from harness import KERNEL_TIMEOUT_MS, RENDER_TIMEOUT_MS

    t0 = time.monotonic()
    page.goto(url, wait_until="domcontentloaded", timeout=RENDER_TIMEOUT_MS)
    # marimo mounts anywidgets in an open shadow root; Playwright's CSS locators pierce it
    page.wait_for_selector(".mgw-graph", state="visible", timeout=KERNEL_TIMEOUT_MS)
    root = graph_root(page)
    wait_shows(page, root, {("g", "data"): 24.7041})
    page.mgw_console.append(f"test: graph showed g in {time.monotonic() - t0:.2f} s")
    return root


def assert_no_page_errors(page) -> None:
    """No uncaught exception in the page (console errors from the front-end itself are not ours)."""
    errors = [m for m in page.mgw_console if m.startswith("pageerror")]
    assert errors == [], errors


def check_readme_numbers(root) -> None:
    """The README expression's numbers, which only arrive through the float64 buffers."""
    from graph_page import field_text, slider

    assert field_text(root, "g", "data") == "24.7041"
    assert field_text(root, "a", "grad") == "138.8338"
    assert field_text(root, "b", "grad") == "645.5773"
    assert field_text(root, "a", "data") == "-4.0000"
    assert slider(root, "a").count() == 1 and slider(root, "b").count() == 1
    assert root.get_attribute("data-sync") == "ok"


def check_slider_answered_by_kernel(page, root, kernel_state) -> None:
    """Move slider a to -2.5: the screen and the kernel's Value objects (``kernel_state(a_now)``) match the engine."""
    from graph_page import assert_shows_engine_numbers, move_slider_and_confirm

    a_now = move_slider_and_confirm(page, root, "a", -2.5)  # waits for the kernel's answer
    assert a_now == pytest.approx(-2.5, abs=0.006)
    a, b, g = assert_shows_engine_numbers(root, a_now)
    kernel_a, kernel_b, kernel_g, kernel_a_grad, kernel_b_grad = kernel_state(a_now)
    assert (kernel_a, kernel_b) == (a_now, 2.0)
    assert (kernel_g, kernel_a_grad, kernel_b_grad) == (g.data, a.grad, b.grad)
