"""Keep committed notebooks small and their checked outputs current.

Notebooks are committed without outputs, except the cells tagged `nbval-check-output`
(nbval's cell tag; a tag rather than nbval's `# NBVAL_CHECK_OUTPUT` comment, which readers
of the book would see): those keep the output that every CI run compares against, so a
printed dataset or baseline that changes fails CI. Outputs of everything else (figures,
timings, training logs) are produced when the book is built.

    python -m ci.notebook_outputs refresh [NOTEBOOK ...]   re-execute, keep checked outputs
    python -m ci.notebook_outputs check                    fail if a notebook is not clean
"""

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TAG = "nbval-check-output"


def notebooks():
    return sorted([*ROOT.glob("book/*.ipynb"), *ROOT.glob("solutions/*/*.ipynb")])


def keeps_output(cell):
    return cell.cell_type == "code" and TAG in cell.metadata.get("tags", [])


def clean(nb):
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if not keeps_output(cell):
            # nbval skips comparing a cell it believes was never run, so checked cells
            # keep their execution count.
            cell.execution_count = None
            cell.outputs = []
        else:
            # Standard error holds the machine's log lines (TensorFlow's device set-up),
            # which differ between machines: never part of a checked output.
            cell.outputs = [o for o in cell.outputs if not is_stderr(o)]
    return nb


def is_stderr(output):
    return output.get("output_type") == "stream" and output.get("name") == "stderr"


def refresh(paths):
    # As in `make test`: TensorFlow's C++ start-up messages stay out of the outputs.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        resources = {"metadata": {"path": str(path.parent)}}
        NotebookClient(nb, timeout=900, resources=resources).execute()
        nbformat.write(clean(nb), path)
        print(f"refreshed {path.relative_to(ROOT)}")


def problems(path):
    nb = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.execution_count is not None and not keeps_output(cell):
            found.append(f"cell {index} has an execution count")
        if cell.outputs and not keeps_output(cell):
            found.append(f"cell {index} has outputs but no {TAG} tag")
        if "# NBVAL_" in cell.source:
            found.append(f"cell {index} shows an nbval comment to readers: use the cell tag")
        if keeps_output(cell) and any(is_stderr(o) for o in cell.outputs):
            found.append(f"cell {index} keeps standard error, which differs between machines")
        if keeps_output(cell) and not cell.outputs:
            found.append(f"cell {index} is tagged {TAG} but has no stored output")
    return found


def check():
    failed = False
    for path in notebooks():
        for problem in problems(path):
            failed = True
            print(f"{path.relative_to(ROOT)}: {problem}")
    if failed:
        print("Run `make outputs` to re-execute the notebooks and keep only checked outputs.")
    return 1 if failed else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["check"]
    if command == "refresh":
        refresh([Path(a).resolve() for a in args] or [p for p in notebooks() if "book" in p.parts])
    elif command == "check":
        sys.exit(check())
    else:
        sys.exit(__doc__)
