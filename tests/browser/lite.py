"""The JupyterLite site (site/, built by scripts/lite) served on 127.0.0.1, and a
browser page that can reach nothing else.

Two walls keep the page offline: a Playwright route that aborts (and records)
every request that does not go to the site, and a proxy that does not exist for
whatever the route does not see (a service worker's fetches): Chromium sends
every request that is not for 127.0.0.1 to it, and it fails. A test asserts the
record is empty: the site needs nothing from outside.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import sys
import threading
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from harness import ERROR_OUTPUT, REPO_ROOT, free_port, run_cell, wait_kernel_idle

SITE_DIR = REPO_ROOT / "site"
BUILD_HINT = "build it with ./scripts/lite (./scripts/test does that before the tests)"
# Pyodide's first start on two busy cores: the runtime, ~25 wheels, the kernel; generous
BOOT_TIMEOUT_MS = 300_000


def site_unavailable_reason(site: Path = SITE_DIR) -> str | None:
    """None when the built site is there and holds this checkout's package and notebooks,
    else what is missing or out of date, and how to build it."""
    for part in ("lab/index.html", "static/pyodide/pyodide-lock.json", "files"):
        if not (site / part).exists():
            return f"the JupyterLite site has no {part} in {site}: {BUILD_HINT}"
    stale = stale_files(site)
    if stale:
        shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
        return f"the JupyterLite site in {site} is older than the checkout ({shown} differ): {BUILD_HINT}"
    return None


def stale_files(site: Path = SITE_DIR) -> list:
    """The package's files and the example notebooks whose copies in the site differ from the checkout's.

    A site built before a change would test the code as it was: the package's wheel in the
    site is compared file by file (its built bundle too), the notebooks cell by cell.
    """
    wheels = sorted((site / "static" / "pyodide").glob("micrograd_widgets-*.whl"))
    if len(wheels) != 1:
        return [f"{len(wheels)} micrograd_widgets wheels"]
    stale = []
    with zipfile.ZipFile(wheels[0]) as wheel:
        held = {n for n in wheel.namelist() if n.startswith("micrograd_widgets/") and not n.endswith("/")}
        for name in sorted(held):
            local = REPO_ROOT / name
            if not local.is_file() or local.read_bytes() != wheel.read(name):
                stale.append(name)
    sources = (str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "micrograd_widgets").rglob("*.py"))
    stale += sorted(name for name in sources if name not in held)  # a module added since
    for notebook in sorted((REPO_ROOT / "examples").glob("*.ipynb")):
        copy = site / "files" / notebook.name
        if not copy.is_file() or json.loads(copy.read_text())["cells"] != json.loads(notebook.read_text())["cells"]:
            stale.append(f"examples/{notebook.name}")
    return stale


class _Handler(http.server.SimpleHTTPRequestHandler):
    # Module workers refuse a script served under any other type; Python < 3.12 has no .mjs entry
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def __init__(self, *args, served, **kwargs):
        self._served = served
        super().__init__(*args, **kwargs)

    def log_request(self, code="-", size="-"):
        self._served.append((self.path, int(code) if isinstance(code, int) else code))

    def log_message(self, format, *args):  # the test's output stays readable
        pass


@dataclass
class SiteServer:
    """A static server for the site on 127.0.0.1, in a thread of the test process."""

    root: Path
    httpd: http.server.ThreadingHTTPServer
    thread: threading.Thread
    served: list = field(default_factory=list)  # (path, status) of every request, in order

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def notebook_url(self, notebook: str) -> str:
        return f"{self.url}/lab/index.html?path={notebook}"

    def missing(self) -> list:
        """Requests for site files that are not there (a wheel the lock names but the build left out).

        /api/ is left out: JupyterLite's own storage answers there, and a 404 from
        it means "not in the browser's storage" (a traceback looking up a source file).
        """
        return [path for path, status in self.served if status == 404 and not path.startswith("/api/")]

    def served_megabytes(self, since: int = 0) -> float:
        """The size of the site's files served since request number ``since`` (a first visit's download
        when the browser's cache is empty)."""
        paths = {urllib.parse.unquote(path.split("?")[0]) for path, status in self.served[since:] if status == 200}
        files = (self.root / path.lstrip("/") for path in paths)
        return sum(f.stat().st_size for f in files if f.is_file()) / 1e6

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a page closed mid-download (the end of a test) is no error of the site's
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def start_site_server(root: Path = SITE_DIR) -> SiteServer:
    served: list = []
    handler = functools.partial(_Handler, directory=str(root), served=served)
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, name="lite-site", daemon=True)
    thread.start()
    return SiteServer(root=root, httpd=httpd, thread=thread, served=served)


def offline_page(browser, site: SiteServer, viewport=(1400, 1000)):
    """A fresh context and page that reach the site and nothing else.

    ``page.mgw_outside`` lists every request that tried to leave; console lines
    go to ``page.mgw_console`` as in harness.new_page.
    """
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]},
        proxy={"server": nowhere, "bypass": "127.0.0.1"},
    )
    outside: list = []

    def guard(route):
        url = route.request.url
        if url.startswith(site.url + "/") or url == site.url:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.mgw_outside = outside
    page.mgw_console = []
    page.mgw_dialogs = []
    page.on("console", lambda msg: page.mgw_console.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: page.mgw_console.append(f"pageerror: {exc}"))
    return page


def open_notebook(page, site: SiteServer, notebook: str) -> None:
    """Open a notebook of the site in JupyterLite's JupyterLab; wait until Pyodide's kernel is idle."""
    page.goto(site.notebook_url(notebook), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=BOOT_TIMEOUT_MS)
    # Run All sent before the kernel is up is dropped: wait for idle first
    wait_kernel_idle(page, timeout_ms=BOOT_TIMEOUT_MS, settle_ms=1500)


def insert_code_cell(page, index: int, source: str) -> None:
    """A new code cell holding ``source`` at ``index`` of the open notebook, put in its model as a paste
    would be (typing it would meet the editor's auto-indent and closing brackets)."""
    count = page.locator(".jp-Notebook .jp-Cell").count()
    page.evaluate(
        """([index, source]) => window.jupyterapp.shell.currentWidget.content.model.sharedModel
            .insertCell(index, { cell_type: 'code', source })""",
        [index, source],
    )
    page.wait_for_function(
        "(count) => document.querySelectorAll('.jp-Notebook .jp-Cell').length === count + 1", arg=count
    )


def run_cell_or_fail(page, index: int) -> str:
    """Run the cell at ``index``; its output text, or an AssertionError with the traceback it showed."""
    output = run_cell(page, index, timeout_ms=BOOT_TIMEOUT_MS)
    errors = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(ERROR_OUTPUT).all_inner_texts()
    if any(re.search(r"Traceback|Error", text) for text in errors):
        raise AssertionError(f"cell {index} raised:\n" + "\n".join(errors)[-3000:])
    return output
