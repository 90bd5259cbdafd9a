"""Fixtures for the end-to-end tests: one JupyterLab server and one Chromium per
session, a fresh browser context per test.

Without Chromium or playwright the browser tests skip, saying how to install
them; with CI=true they fail instead, so CI can never pass by skipping them.
"""

import contextlib
import os
import shutil

import pytest
from harness import (
    OUTPUT_DIR,
    REPO_ROOT,
    browser_unavailable_reason,
    launch_chromium,
    new_page,
    start_jupyter_server,
    write_notebook,
)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser_available():
    reason = browser_unavailable_reason()
    if reason is not None:
        if _in_ci():
            pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def jupyter_server(browser_available, tmp_path_factory):
    """A JupyterLab server whose root is a temp copy of examples/ (tests add notebooks to it)."""
    root = tmp_path_factory.mktemp("notebooks")
    examples = REPO_ROOT / "examples"
    if examples.is_dir():
        shutil.copytree(examples, root, dirs_exist_ok=True)
    server = start_jupyter_server(root)
    try:
        yield server
    finally:
        # the server's log outlives its temp dir, for the post-mortem of a failed run
        OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
        (OUTPUT_DIR / "jupyter-server.log").write_text(server.log())
        server.stop()


@pytest.fixture(scope="session")
def browser(browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, request):
    """A fresh page; on failure its screenshot and console go to test-output/failures/."""
    pg = new_page(browser)
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        out = OUTPUT_DIR / "failures"
        out.mkdir(parents=True, exist_ok=True)
        name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        with contextlib.suppress(Exception):
            pg.screenshot(path=str(out / f"{name}.png"), full_page=True)
        (out / f"{name}.console.txt").write_text("\n".join(pg.mgw_console))
    pg.context.close()


@pytest.fixture
def make_notebook(jupyter_server, request):
    """make_notebook(cells) writes a notebook into the server's root and returns its name."""

    def make(cells, name=None):
        name = name or request.node.name.replace("[", "-").replace("]", "").replace("/", "_")
        return write_notebook(jupyter_server.root_dir, name, cells)

    yield make
    jupyter_server.shutdown_kernels()
