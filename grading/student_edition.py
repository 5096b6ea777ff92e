"""Write the student-facing course: what a public student repository holds.

    python -m grading.student_edition DEST      (or: make export-student STUDENT_EXPORT=DEST)

The instructor's repository (this one) holds the solutions, the hidden tests and the
wrong answers; students get a copy with the book, the student versions of the
assignments (exercises/), the course package and a README of their own, and none of
those. DEST is replaced. `check(DEST)` proves the export holds no solution folder, no
wrong-answer file, no nbgrader solution marker and no hidden-test line.
"""

import shutil
import sys
import tomllib
from pathlib import Path

from grading import course

ROOT = course.ROOT
SHIPPED = ["book", "exercises", "rnnbook", "_config.yml", "_toc.yml", "requirements.txt",
           "requirements-lock.txt"]
INSTRUCTORS_PAGES = ["book/instructors_guide"]
MARKERS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")

README = """# Recurrent Neural Networks in TensorFlow 2: student edition

The course's book (`book/`), its assignments (`exercises/`) and the small package the
chapters import (`rnnbook/`).

## Set up (Python 3.11 or 3.12)

```bash
python3 -m venv .venv
.venv/bin/pip install -r requirements.txt -c requirements-lock.txt
.venv/bin/pip install --no-deps -e .
.venv/bin/jupyter lab
```

## Build the book

```bash
.venv/bin/jupyter-book build .      # executes every chapter: about 6 minutes on 2 cores
```

The HTML book is then at `_build/html/index.html`. Each chapter page also has a launch
button that opens it in Colab, where the first cell installs `rnnbook`.

## Assignments

Open `exercises/<assignment>/<assignment>.ipynb`, replace every
`raise NotImplementedError(...)` with your code, and run the test cells under each part:
they are a first check, not the whole grade (more tests run when it is graded). Hand in
the notebook as your instructor asks. Write your answers in the solution cells only, and
use what the assignment allows: code that changes how the tests run, or that imports the
course package's version of what you are asked to write, is set aside for review.
"""

PYPROJECT = """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "rnnbook"
version = "{version}"
description = "Code for the course 'Recurrent Neural Networks in TensorFlow 2'"
requires-python = ">=3.11"
dependencies = ["numpy", "jupyterquiz"]

[tool.setuptools]
packages = ["rnnbook"]
"""


def export(dest):
    """Write the student course to dest (replaced); return dest."""
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")
    for name in SHIPPED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        else:
            shutil.copy(source, dest / name)
    _without_instructors_pages(dest)
    (dest / "README.md").write_text(README)
    version = tomllib.loads((course.ROOT / "pyproject.toml").read_text())["project"]["version"]
    (dest / "pyproject.toml").write_text(PYPROJECT.format(version=version))
    (dest / ".gitignore").write_text(".venv/\n_build/\n__pycache__/\n*.egg-info/\n")
    check(dest)
    return dest


def _without_instructors_pages(dest):
    """The book without its pages for instructors (the guide says how grading defends
    itself): the page, its entry in the table of contents and the front page's section."""
    import yaml

    for page in INSTRUCTORS_PAGES:
        (dest / f"{page}.md").unlink()
    toc = yaml.safe_load((dest / "_toc.yml").read_text())
    for part in toc["parts"]:
        part["chapters"] = [c for c in part["chapters"] if c["file"] not in INSTRUCTORS_PAGES]
    toc["parts"] = [p for p in toc["parts"] if p["chapters"]]
    (dest / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    index = dest / "book" / "index.md"
    text = index.read_text()
    start = text.index("\n## For instructors")
    end = text.find("\n## ", start + 1)
    index.write_text(text[:start] + (text[end:] if end != -1 else "\n"))


def check(dest):
    """Raise AssertionError if dest holds anything that must stay with instructors."""
    dest = Path(dest)
    problems = []
    for forbidden in ("solutions", "tests", "grading", "ci", "nbgrader_config.py"):
        if (dest / forbidden).exists():
            problems.append(f"{forbidden} is in the export")
    problems += [str(p) for p in dest.rglob("*wrong_answers*")]
    problems += [f"{path}: names an instructor's page" for path in dest.rglob("*")
                 if path.is_file() and path.suffix in (".md", ".yml", ".ipynb")
                 and any(Path(page).name in path.read_text(errors="replace")
                         for page in INSTRUCTORS_PAGES)]
    hidden = {line for a in course.assignments() for line in course.hidden_test_lines(a)
              if len(line) >= 20}
    for path in dest.rglob("*"):
        if not path.is_file():
            continue
        try:
            text = path.read_text()
        except (UnicodeDecodeError, OSError):
            continue
        if path.suffix in (".ipynb", ".py"):  # the guide may name the markers in prose
            problems += [f"{path}: {marker}" for marker in MARKERS if marker in text]
        problems += [f"{path}: hidden test line {line!r}" for line in hidden if line in text]
    assert not problems, "the student export holds instructor material:\n" + "\n".join(
        problems[:20])


if __name__ == "__main__":
    target = export(sys.argv[1] if len(sys.argv) > 1 else ROOT / "_build" / "student-course")
    print(f"The student course is in {target}; it holds no solutions or hidden tests.")
