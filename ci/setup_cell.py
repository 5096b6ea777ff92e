"""The set-up cell: the first code cell of every notebook that imports the course package.

On Colab, or in any Python where `rnnbook` is missing, the cell installs the package from
the course's repository, pinned to a release; where the package is already installed (a
clone after `make env`, a JupyterHub image, the grader's sandbox) it does nothing. The
repository and the release are named once, in pyproject.toml's `[tool.rnnbook]` table;
this module writes the cell from them, and the tests check that every notebook has it.

    python -m ci.setup_cell write    put the current cell into every notebook (make setup-cells)
    python -m ci.setup_cell check    fail if a notebook lacks it or has an old one
"""

import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
MARK = "# Set-up: installs the course package"
TEMPLATE = '''{mark} (release {release})
# where it is missing, e.g. on Colab.
import importlib
import importlib.util
import subprocess
import sys

REQUIREMENT = (
    "{requirement}"
)
if importlib.util.find_spec("rnnbook") is None:
    pip = [sys.executable, "-m", "pip", "install", "-q", REQUIREMENT]
    subprocess.run(pip, check=True)
    importlib.invalidate_caches()'''


def settings():
    """The repository and the release that the cell installs, from pyproject.toml."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    course = pyproject["tool"]["rnnbook"]
    return course["repository"], course["release"]


def requirement(repository=None, release=None):
    """What pip installs: the package from a tag of the course's git repository."""
    default_repository, default_release = settings()
    repository, release = repository or default_repository, release or default_release
    return f"rnnbook @ git+{repository}@{release}"


def source(repository=None, release=None):
    return TEMPLATE.format(mark=MARK, release=release or settings()[1],
                           requirement=requirement(repository, release))


def notebooks():
    """Every notebook that imports the course package."""
    candidates = sorted([*ROOT.glob("book/*.ipynb"), *ROOT.glob("solutions/*/*.ipynb"),
                         *ROOT.glob("exercises/*/*.ipynb")])
    return [p for p in candidates if "rnnbook" in without_setup(nbformat.read(p, 4))]


def without_setup(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code"
                     and not c.source.startswith(MARK))


def problems(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    setup = [c for c in code if c.source.startswith(MARK)]
    if not setup:
        return ["no set-up cell"]
    if len(setup) > 1:
        return ["more than one set-up cell"]
    found = []
    if code[0] is not setup[0]:
        found.append("the set-up cell is not the first code cell")
    if setup[0].source != source():
        found.append("the set-up cell is not the current one (run `make setup-cells`)")
    return found


def write(paths):
    """Put the current set-up cell first among the code cells (replacing an old one)."""
    for path in paths:
        if path.parts[-3] == "exercises":
            continue  # generated from solutions/ by nbgrader (make assignments)
        nb = nbformat.read(path, as_version=4)
        old = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(MARK)]
        if old:
            old[0].source = source()
            for extra in old[1:]:
                nb.cells.remove(extra)
        else:
            first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
            cell = nbformat.v4.new_code_cell(source())
            cell["id"] = f"{path.stem[:40]}-setup"
            nb.cells.insert(first_code, cell)
        nbformat.write(nb, path)
        print(f"set-up cell written: {path.relative_to(ROOT)}")


def main(argv=None):
    command = (argv or sys.argv[1:] or ["check"])[0]
    if command == "write":
        write(notebooks())
        return 0
    failed = [(p, problems(p)) for p in notebooks() if problems(p)]
    for path, found in failed:
        print(f"{path.relative_to(ROOT)}: {'; '.join(found)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
