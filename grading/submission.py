"""Reading a submission and rebuilding it from the instructor's notebook.

The notebook is read from the submissions folder (never written there) and rebuilt from
the instructor's source: the student's code goes into the solution cells (matched by
nbgrader id); every other cell, hidden tests included, is the instructor's, so edited,
deleted, reordered or extra cells cannot change what is tested.
"""

import json
import secrets

import nbformat

from grading import course


def find_notebook(folder, assignment):
    """(path or None, note): the notebook to grade in a student's assignment folder."""
    expected = folder / f"{assignment}.ipynb"
    if expected.is_symlink():
        return None, f"{expected.name} is a symbolic link: not graded"
    if expected.is_file():
        return expected, None
    if not folder.is_dir():
        return None, "nothing submitted for this assignment"
    others = sorted(p for p in folder.glob("*.ipynb")
                    if not p.name.startswith(".") and p.is_file() and not p.is_symlink())
    if len(others) == 1:
        return others[0], f"notebook was named {others[0].name}; graded it as {expected.name}"
    if others:
        names = ", ".join(p.name for p in others)
        return None, f"no {expected.name}, and several other notebooks ({names}): not graded"
    return None, f"no notebook in the submission folder (expected {expected.name})"


def read_notebook(data):
    """(notebook or None, problem) from the bytes of a file."""
    if not data.strip():
        return None, "the notebook file is empty"
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"the notebook file is not valid JSON ({error})"
    major = raw.get("nbformat") if isinstance(raw, dict) else None
    if major not in (3, 4):
        return None, f"not a notebook this course can read (nbformat version {major!r}, expected 4)"
    try:
        return nbformat.reads(data.decode("utf-8"), as_version=4), None
    except Exception as error:  # noqa: BLE001 - nbformat raises several kinds
        return None, f"the notebook could not be read ({type(error).__name__}: {error})"


def rebuild(source, release, submitted):
    """(notebook to run, notes, student code by grade id) from the instructor's source
    notebook with the student's solution cells in it."""
    student = {}
    for cell in submitted.cells:
        gid = course.grade_id(cell)
        if gid and gid not in student:
            text = cell.get("source", "")
            student[gid] = text if isinstance(text, str) else ""
    released_tests = {course.grade_id(c): c.source for c in release.cells if course.is_test(c)}
    rebuilt = nbformat.v4.new_notebook(metadata=source.metadata)
    missing, code = [], {}
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        cell = nbformat.v4.new_code_cell(cell.source, metadata=cell.metadata)
        info = course.nbgrader_info(cell)
        if info.get("solution"):
            gid = info["grade_id"]
            if gid in student:
                cell.source = student[gid]
            else:
                missing.append(gid)
                cell.source = next(c.source for c in release.cells if course.grade_id(c) == gid)
            code[gid] = cell.source
        rebuilt.cells.append(cell)
    edited = [g for g, text in released_tests.items() if g in student and student[g] != text]
    deleted = [g for g in released_tests if g not in student]
    order = [course.grade_id(c) for c in release.cells if course.grade_id(c)]
    seen = [g for g in (course.grade_id(c) for c in submitted.cells) if g in order]
    notes = []
    if missing:
        notes.append(f"solution cells missing, graded as blank: {', '.join(missing)}")
    if edited or deleted:
        notes.append(f"test cells edited or deleted ({', '.join(edited + deleted)}): "
                     "the instructor's tests were run")
    if seen != [g for g in order if g in seen]:
        notes.append("cells were reordered: graded in the original order")
    return rebuilt, notes, code


def add_check_cells(nb):
    """Insert after each test cell a cell that must fail with a fresh token; returns
    {index of check cell: token}."""
    checks, cells = {}, []
    for cell in nb.cells:
        cells.append(cell)
        if course.is_test(cell):
            token = secrets.token_hex(8)
            a, b = secrets.randbelow(10**6), secrets.randbelow(10**6)
            cells.append(nbformat.v4.new_code_cell(f'assert {a} + {b} == {a + b + 1}, "{token}"'))
            checks[len(cells) - 1] = token
    nb.cells = cells
    return checks
