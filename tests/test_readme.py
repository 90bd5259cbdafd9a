"""Every ```python block of README.md runs, in order, and prints what it says it prints.

The rules, read from the README's text:

- The blocks run one after another in one namespace, as cells of one notebook
  would (``display`` is IPython's), in a scratch directory.
- A block right after the line ``<!-- readme: no-run (reason) -->`` is skipped:
  for code that needs a browser, or is only an illustration. Say why in the
  parentheses.
- A top-level statement whose last line ends with ``# prints X`` must print X.
  What a statement prints is what it writes to stdout and, for a bare
  expression whose value is not None, its repr (as Python's prompt shows it).
  X is the text after ``# prints `` up to the first comma or the end of the
  line, so a comment may go on: ``# prints 24.7041, the forward pass``. An
  output that holds a comma goes in backticks: ``# prints `Score(right=1, total=26)```.
- ``# prints:`` alone ends a statement whose output spans lines: the comment
  lines right below it, without their leading ``# ``, are the expected output.
- Any other block just has to run without an exception.
"""

import ast
import contextlib
import io
import pathlib
import re

import pytest

README = pathlib.Path(__file__).parent.parent / "README.md"
NO_RUN = re.compile(r"<!--\s*readme:\s*no-run\s*\((?P<reason>[^)]+)\)\s*-->")
PRINTS = re.compile(r"#\s*prints\b(?P<colon>:)?\s*(?P<rest>.*)$")


def python_blocks(markdown: str):
    """(first line number, code, skip reason or None) for every ```python block."""
    lines = markdown.splitlines()
    blocks, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "```python":
            before = next((line for line in reversed(lines[:i]) if line.strip()), "")
            marker = NO_RUN.search(before)
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
            blocks.append((i + 2, "\n".join(lines[i + 1 : end]), marker.group("reason") if marker else None))
            i = end
        i += 1
    return blocks


def expected_output(code_lines, statement):
    """What the README says ``statement`` prints, or None when it says nothing."""
    last = code_lines[statement.end_lineno - 1]
    comment = last[statement.end_col_offset :]
    match = PRINTS.search(comment)
    if not match:
        return None
    if match.group("colon") and not match.group("rest").strip():
        below = []
        for line in code_lines[statement.end_lineno :]:
            stripped = line.strip()
            if not stripped.startswith("#"):
                break
            below.append(stripped[2:] if stripped.startswith("# ") else stripped[1:])
        return "\n".join(below)
    rest = match.group("rest").strip()
    if rest.startswith("`"):
        return rest[1 : rest.index("`", 1)]
    return rest.split(",")[0].strip()


def run_statement(statement, namespace):
    """Run one top-level statement; return what it printed (and its repr, for a bare expression)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        if isinstance(statement, ast.Expr):
            value = eval(compile(ast.Expression(statement.value), "<README.md>", "eval"), namespace)
            if value is not None:
                print(repr(value))
        else:
            exec(compile(ast.Module([statement], type_ignores=[]), "<README.md>", "exec"), namespace)
    return out.getvalue().rstrip("\n")


def check_readme(markdown: str):
    """Every way the README's blocks disagree with what they say, as readable lines."""
    from IPython.display import display

    namespace = {"__name__": "__readme__", "display": display}
    problems = []
    for first_line, code, skip in python_blocks(markdown):
        if skip:
            continue
        code_lines = code.splitlines()
        try:
            statements = ast.parse(code).body
        except SyntaxError as error:
            problems.append(f"README.md:{first_line + (error.lineno or 1) - 1}: does not parse: {error.msg}")
            continue
        for statement in statements:
            where = f"README.md:{first_line + statement.lineno - 1}"
            expected = expected_output(code_lines, statement)
            try:
                printed = run_statement(statement, namespace)
            except Exception as error:
                problems.append(f"{where}: raises {type(error).__name__}: {error}")
                break  # the rest of this block depends on the statement that failed
            if expected is not None and printed != expected:
                problems.append(f"{where}: says it prints {expected!r}, prints {printed!r}")
    return problems


@pytest.mark.slow
def test_readme_code_blocks_run_and_print_what_they_say(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # save_html and friends write here
    monkeypatch.setenv("MPLBACKEND", "Agg")
    problems = check_readme(README.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


SAMPLE = """
Some text.

```python
x = 6 * 7
print(x)  # prints 42, the answer
print(f'{x / 4:.1f}')  # prints 10.5
x            # prints 42
print(x, x + 1)  # prints `42 43`
```

<!-- readme: no-run (needs a browser) -->
```python
raise RuntimeError("skipped")
```

```python
print('a\\nb')  # prints:
# a
# b
print(x - 1)  # prints 42
```
"""


def test_the_checker_runs_blocks_in_one_namespace_and_catches_a_false_prints():
    assert [skip for _, _, skip in python_blocks(SAMPLE)] == [None, "needs a browser", None]
    assert check_readme(SAMPLE) == ["README.md:21: says it prints '42', prints '41'"]


def test_the_checker_reports_an_exception_with_its_line():
    sample = "```python\nx = 1\ny = {}['missing']  # prints 1\nprint(2)  # prints 3\n```\n"
    assert check_readme(sample) == ["README.md:3: raises KeyError: 'missing'"]
