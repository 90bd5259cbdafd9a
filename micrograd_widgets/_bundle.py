"""Where the built front-end lives, and a clear error when it was never built."""

import pathlib

STATIC = pathlib.Path(__file__).parent / "static"


def bundle_path(name: str) -> pathlib.Path:
    """The built ES module (``name.js``) or stylesheet (``name.css``); raise if it is missing."""
    path = STATIC / name
    if not path.exists():
        raise FileNotFoundError(
            f"The widget front-end {path} has not been built. From the repository root run "
            "`npm ci && npm run build` (or reinstall with `pip install -e .`, which builds it)."
        )
    return path
