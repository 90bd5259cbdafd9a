"""Lay out the JupyterLite site's Python: Pyodide's runtime, the kernel's wheels in its lock, the kernel's settings.

Run by scripts/lite with the build venv's Python, before `jupyter lite build`:

    lite_pyodide.py RUNTIME WHEELS... --lite-dir DIR --notebooks EXAMPLES --preload NAME...

RUNTIME is the unpacked `pyodide` npm package: the interpreter and a
pyodide-lock.json that names ~350 packages, none of whose files the npm package
holds. WHEELS are pure-Python wheels (or folders of them). This writes
DIR/static/pyodide/ (the runtime, the wheels, and a lock that names exactly
those wheels, with their sha256 and dependencies) and DIR/jupyter-lite.json
(the kernel loads every wheel at start from the lock, and never reaches for
PyPI). See NOTE [one lock, no fallback]. The notebooks are copied to
DIR/files/ with the Pyodide kernel as theirs: a notebook saved for desktop
Jupyter names `python3`, which the site has not, and without `language_info`
JupyterLite asks the student to pick a kernel instead of starting one.
"""

# NOTE [one lock, no fallback]
# At start the Pyodide kernel loads `micropip` from the lock, then installs
# piplite, ipykernel, comm, pyodide-kernel, jedi and ipython through piplite,
# unless loadPyodideOptions.packages names them: then Pyodide loads them (and
# what the lock says they depend on) from the lock, in parallel, before any
# Python runs. Listing the package and the kernel's packages there means the
# site's kernel starts with micrograd_widgets installed, and nothing is fetched
# from a name the site does not hold:
# - npm's lock names files that are not in the npm package; micropip, asked
#   for one of those names, would fetch a 404 or go to the CDN. The lock here
#   names only the wheels written beside it.
# - The Python registry's micropip and packaging are not byte for byte the
#   copies Pyodide's lock was made from: their sha256 is taken from the files.
# - disablePyPIFallback keeps `%pip install` from going to pypi.org.

import argparse
import email.parser
import hashlib
import json
import shutil
import sys
import zipfile
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

KERNEL_SETTINGS = "@jupyterlite/pyodide-kernel-extension:kernel"
# what the kernel would otherwise install through piplite at start (see the NOTE)
KERNEL_PACKAGES = ["micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython"]
PYODIDE_KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
RUNTIME_FILES = ("pyodide.mjs", "pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")


def emscripten_environment(python: str) -> dict:
    """The PEP 508 marker environment of Pyodide's Python (pexpect and colorama stay out)."""
    env = default_environment()
    major_minor = ".".join(python.split(".")[:2])
    env.update(
        sys_platform="emscripten",
        platform_system="Emscripten",
        os_name="posix",
        platform_machine="wasm32",
        implementation_name="cpython",
        platform_python_implementation="CPython",
        python_version=major_minor,
        python_full_version=python,
    )
    return env


def read_wheel(path: Path) -> dict:
    """Name, version, requirements and top-level import names of a pure-Python wheel."""
    name, version, _, tags = parse_wheel_filename(path.name)
    if not any(tag.platform == "any" and tag.abi == "none" for tag in tags):
        raise SystemExit(f"{path.name}: not a pure-Python wheel; Pyodide cannot load it")
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
        metadata = email.parser.Parser().parsestr(wheel.read(f"{dist_info}/METADATA").decode())
    imports = sorted(
        {
            top.removesuffix(".py")
            for top in (n.split("/")[0] for n in names)
            if not top.endswith((".dist-info", ".data")) and (top.endswith(".py") or "." not in top)
        }
    )
    return {
        "name": name,
        "version": str(version),
        "requires": [Requirement(line) for line in metadata.get_all("Requires-Dist") or []],
        "imports": imports,
    }


def lock_entries(wheels: list, python: str) -> dict:
    """The lock's packages: one per wheel, depending on exactly the wheels its metadata requires here."""
    read = {}
    for path in wheels:
        info = read_wheel(path)
        if info["name"] in read:
            raise SystemExit(f"two wheels of {info['name']}: {read[info['name']][0].name} and {path.name}")
        read[info["name"]] = (path, info)
    env = emscripten_environment(python)
    problems, entries = [], {}
    for name, (path, info) in sorted(read.items()):
        depends = []
        for req in info["requires"]:
            if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
                continue
            dep = canonicalize_name(req.name)
            if dep not in read:
                problems.append(f"{name} requires {req}: no wheel of it")
            elif not req.specifier.contains(read[dep][1]["version"], prereleases=True):
                problems.append(f"{name} requires {req}: the wheel is {read[dep][1]['version']}")
            depends.append(dep)
        entries[name] = {
            "name": name,
            "version": info["version"],
            "file_name": path.name,
            "install_dir": "site",
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "package_type": "package",
            "imports": info["imports"],
            "depends": sorted(set(depends)),
            "unvendored_tests": False,
            "tool": {},
        }
    if problems:
        raise SystemExit("the wheels do not fit together:\n  " + "\n  ".join(problems))
    return entries


def copy_notebooks(source: Path, target: Path) -> None:
    """Each notebook of ``source`` into ``target``, opening with the site's Pyodide kernel."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in sorted(source.glob("*.ipynb")):
        notebook = json.loads(path.read_text())
        notebook["metadata"]["kernelspec"] = PYODIDE_KERNELSPEC
        notebook["metadata"].setdefault("language_info", {"name": "python"})
        (target / path.name).write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runtime", type=Path, help="the unpacked pyodide npm package")
    parser.add_argument("wheels", type=Path, nargs="+", help="wheels, or folders of wheels")
    parser.add_argument("--lite-dir", type=Path, required=True)
    parser.add_argument("--notebooks", type=Path, required=True, help="the folder of notebooks the site holds")
    parser.add_argument("--preload", action="append", default=[], help="also load this package at start")
    args = parser.parse_args(argv)

    npm_lock = json.loads((args.runtime / "pyodide-lock.json").read_text())
    wheels = sorted(w for p in args.wheels for w in (sorted(p.glob("*.whl")) if p.is_dir() else [p]))
    entries = lock_entries(wheels, npm_lock["info"]["python"])
    preload = [canonicalize_name(n) for n in KERNEL_PACKAGES + args.preload]
    missing = [name for name in preload if name not in entries]
    if missing:
        raise SystemExit(f"no wheel for {', '.join(missing)}, which the kernel loads at start")

    out = args.lite_dir / "static" / "pyodide"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name in RUNTIME_FILES:
        shutil.copy2(args.runtime / name, out / name)
    for wheel in wheels:
        shutil.copy2(wheel, out / wheel.name)
    lock = {"info": npm_lock["info"], "packages": entries}
    (out / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")

    settings = {"disablePyPIFallback": True, "loadPyodideOptions": {"packages": preload}}
    config_data = {
        "litePluginSettings": {KERNEL_SETTINGS: settings},
        # window.jupyterapp: the browser tests (and a curious lecturer's console) read the kernel's status from it
        "exposeAppInBrowser": "true",
    }
    config = {"jupyter-lite-schema-version": 0, "jupyter-config-data": config_data}
    (args.lite_dir / "jupyter-lite.json").write_text(json.dumps(config, indent=2) + "\n")
    copy_notebooks(args.notebooks, args.lite_dir / "files")
    kept = sum(1 for name in npm_lock["packages"] if canonicalize_name(name) in entries)
    print(
        f"  lock: {len(entries)} wheels ({kept} of npm's {len(npm_lock['packages'])} names kept, "
        f"the rest have no file here); preloaded: {', '.join(preload)}"
    )


if __name__ == "__main__":
    sys.exit(main())
