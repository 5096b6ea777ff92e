"""Grade submissions: rebuild each from the instructor's notebook, run it sandboxed, score
what was observed, and write the grades CSV and a feedback page per submission.

One path for everyone: `rnn-grade` (and `make grade`) call grade_class, which grades
each submission with grade_submission in a kernel of its own. The course's own tests
grade its solutions, blanks and wrong answers with grade_together, several to a kernel,
through the same rebuilding, screening and scoring.

For each submission:

1. The notebook is read from the submissions folder (never written there) and rebuilt
   from the instructor's source notebook: the student's code goes into the solution
   cells (matched by nbgrader id); every other cell, hidden tests included, is the
   instructor's. Edited, deleted, reordered or extra cells cannot change what is tested.
2. The solution cells are screened for code that could change how the tests run
   (grading.screen); a flagged submission is marked "needs review".
3. After every test cell the grader inserts a check cell that must fail with a random
   token; if one does not, something changed how cells run: "needs review".
4. The notebook runs with its kernel in the sandbox (grading.sandbox), in a scratch
   copy of the student's folder; every process is dead before scores are read.
5. A test cell scores its points when it ran and produced no error; nothing the kernel
   writes to a file is read.
"""

import contextlib
import csv
import hashlib
import html
import json
import os
import secrets
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path

import nbformat

from grading import course, interpreters, screen
from grading.bridge import CHANNEL_BROKEN, FROM_STUDENT
from grading.execute import RESET_BETWEEN, execute, execute_pair
from grading.sandbox import Limits, NoSandbox, Sandbox

DEFAULT_LIMITS = Limits()
# How a write past Limits.disk_mb fails: Python's ENOSPC, and NumPy's tofile.
DISK_FULL = ("[Errno 28]", "No space left on device", "Not enough free space to write")
MESSAGE_CHARS = 400  # of a failed test's message shown in the feedback
CSV_FIELDS = ["student", "assignment", "score", "max_score", "status", "observed_score",
              "reason"]


@dataclass
class Result:
    student: str
    assignment: str
    score: float = 0.0
    max_score: float = 0.0
    status: str = "graded"  # graded | needs review | not graded
    observed_score: float = 0.0
    reasons: list = field(default_factory=list)
    review: list = field(default_factory=list)
    tests: list = field(default_factory=list)  # [{name, points, score, message}]
    seconds: float = 0.0

    def row(self):
        reasons = self.reasons + [f"needs review: {r}" for r in self.review]
        return {"student": self.student, "assignment": self.assignment,
                "score": self.score, "max_score": self.max_score, "status": self.status,
                "observed_score": self.observed_score, "reason": "; ".join(reasons)}

    @property
    def cells(self):
        return {t["name"]: t["score"] for t in self.tests}


# ---------------------------------------------------------------- reading a submission

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
            student[gid] = cell.get("source", "")
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


# ---------------------------------------------------------------- scoring

def error_of(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output
    return None


def score(nb, checks, problem):
    """[{name, points, score, message}] and review reasons, from the executed notebook."""
    results, review = [], []
    for index, cell in enumerate(nb.cells):
        if index in checks:
            error = error_of(cell)
            if problem is None and (error is None or checks[index] not in error.get("evalue", "")):
                review.append("a cell that must fail after a test did not: something "
                              "changed how cells run")
            continue
        if not course.is_test(cell):
            continue
        info = course.nbgrader_info(cell)
        points = float(info.get("points", 0))
        error = error_of(cell)
        ran = cell.get("execution_count") is not None or bool(cell.get("outputs"))
        if error is not None:
            name, value = error.get("ename", "Error"), error.get("evalue", "")
            message = f"{name}: {value}".strip().rstrip(":")
            if name == "KeyboardInterrupt":
                message = "stopped at the time limit per cell"
            elif value.startswith(FROM_STUDENT):
                raised = value[len(FROM_STUDENT):]
                message = f"your code raised {raised}"
                if "### BEGIN HIDDEN TESTS" in cell.source:
                    # The message could carry a hidden test's inputs: the type alone.
                    message = f"your code raised {raised.split(':')[0]} in this test"
            passed = False
        elif not ran:
            message, passed = "did not run (the notebook stopped before this test)", False
        else:
            message, passed = "", True
        results.append({"name": info["grade_id"], "points": points,
                        "score": points if passed else 0.0,
                        "message": message[:MESSAGE_CHARS]})
    return results, sorted(set(review))


def output_problems(nb, limits):
    stopped, memory, disk = [], [], []
    previous = None
    for cell in nb.cells:
        name = course.grade_id(cell) or (f"the cell after {previous}" if previous
                                         else "a cell before the first part")
        previous = course.grade_id(cell) or previous
        error = error_of(cell)
        if error is None:
            continue
        if error.get("ename") == "KeyboardInterrupt":
            stopped.append(name)
        elif error.get("ename") == "MemoryError":
            memory.append(name)
        elif any(m in error.get("evalue", "") for m in DISK_FULL):  # its tmpfs is full
            disk.append(name)
    reasons = []
    if stopped:
        reasons.append(f"stopped at the {limits.cell_timeout} s time limit per cell: "
                       f"{', '.join(dict.fromkeys(stopped))}")
    if memory:
        reasons.append(f"MemoryError (limit {limits.memory_mb} MB) in "
                       f"{', '.join(dict.fromkeys(memory))}")
    if disk:
        reasons.append(f"wrote past the {limits.disk_mb} MB a submission may write (its "
                       f"folder and /tmp together) in {', '.join(dict.fromkeys(disk))}")
    return reasons


# ---------------------------------------------------------------- one submission

def _new_result(student, assignment):
    result = Result(student, assignment, max_score=sum(p for _, p in course.tests(assignment)))
    result.tests = [{"name": g, "points": p, "score": 0.0, "message": "not run"}
                    for g, p in course.tests(assignment)]
    return result


def _prepare(result, notebook, check_cells=True):
    """(notebook to run, its check cells, student code by grade id): the rebuilt,
    screened notebook."""
    source = course.source_notebook(result.assignment)
    release = course.student_version(result.assignment)
    rebuilt, notes, code = rebuild(source, release, notebook)
    result.reasons += notes
    modules = screen.module_names(source)
    for gid, text in code.items():
        result.review += [f"{gid} {reason}" for reason in screen.screen(text, modules)]
    return rebuilt, add_check_cells(rebuilt) if check_cells else {}, code


def _score(result, executed, checks, problem, limits, student_cells=()):
    """Fill in result from an executed notebook (every process of it already dead);
    student_cells: the executed cells of the student's interpreter, when two ran."""
    if problem:
        result.reasons.append(problem)
    ran = nbformat.v4.new_notebook()
    ran.cells = list(student_cells) + list(executed.cells)
    result.reasons += output_problems(ran, limits)
    broken = [error_of(c)["evalue"] for c in executed.cells
              if error_of(c) and CHANNEL_BROKEN in error_of(c).get("evalue", "")]
    if broken:  # a crash or tampering in the student's kernel: say so, once
        reason = broken[0][broken[0].index(CHANNEL_BROKEN):]
        result.reasons.append(f"{reason}: the tests after that could not call its code")
    result.tests, review = score(executed, checks, problem)
    result.review += review
    result.observed_score = sum(t["score"] for t in result.tests)
    if result.review:
        result.status, result.score = "needs review", 0.0
    else:
        result.score = result.observed_score


@contextlib.contextmanager
def _scratch(folder):
    """(work, control): a scratch copy of folder (or an empty one) for the student's
    kernel, and a folder for the grader's files; both removed afterwards."""
    scratch = Path(tempfile.mkdtemp(prefix="rnn-grade-"))
    try:
        work, control = scratch / "work", scratch / "control"
        control.mkdir()
        if folder is not None and Path(folder).is_dir():
            shutil.copytree(folder, work, symlinks=True,
                            ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
        else:
            work.mkdir()
        (work / ".ipc").mkdir(exist_ok=True)
        yield work, control
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run(nb, folder, sandboxed, limits):
    """Execute nb in place in a scratch copy of folder (or an empty one); the problem."""
    with _scratch(folder) as (work, control):
        return execute(nb, work, control, Sandbox() if sandboxed else NoSandbox(), limits)


def _run_two(assignment, pairs, folder, sandboxed, limits, transcript=None):
    """Run [(rebuilt notebook, student code)] in two interpreters (grading.interpreters),
    one after another in the same two kernels, RESET_BETWEEN between them.

    Returns (problem, [(student cells, trusted cells)] per notebook, failed reset or None).
    """
    with _scratch(folder) as (work, control):
        connection = work / ".ipc" / "connection.json"
        student_all = nbformat.v4.new_notebook(metadata=course.source_notebook(assignment).metadata)
        trusted_all = nbformat.v4.new_notebook(metadata=student_all.metadata)
        segments, resets = [], []
        for k, (rebuilt, code) in enumerate(pairs):
            student, trusted = interpreters.split(rebuilt, assignment, code,
                                                  control / f"bridge-{k}.json", connection,
                                                  transcript)
            s_start, t_start = len(student_all.cells), len(trusted_all.cells)
            if k:
                for nb in (student_all, trusted_all):
                    resets.append((nb, len(nb.cells)))
                    nb.cells.append(nbformat.v4.new_code_cell(RESET_BETWEEN))
            student_all.cells += student.cells
            trusted_all.cells += trusted.cells
            segments.append((range(s_start, len(student_all.cells)),
                             range(t_start, len(trusted_all.cells))))
        problem = execute_pair(student_all, trusted_all, segments, work, control,
                               Sandbox() if sandboxed else NoSandbox(), limits, transcript)
    failed = next((error_of(nb.cells[i]) for nb, i in resets
                   if error_of(nb.cells[i]) is not None), None)
    parts = [([student_all.cells[i] for i in s], [trusted_all.cells[i] for i in t])
             for s, t in segments]
    return problem, parts, failed


def grade_submission(student, assignment, folder=None, notebook=None, sandboxed=True,
                     limits=DEFAULT_LIMITS, transcript=None, two_interpreters=None):
    """Grade one submission: a folder (the student's, read only) or a notebook.

    transcript: a file to which every request sent to the student's interpreter is
    appended (two-interpreter assignments; for the grader's own tests).
    two_interpreters: as grade_together's (None: the assignment's own setting)."""
    started = time.monotonic()
    result = _new_result(student, assignment)
    if notebook is None:
        path, note = find_notebook(Path(folder), assignment)
        if note:
            result.reasons.append(note)
        if path is not None:
            notebook, problem = read_notebook(path.read_bytes())
            if problem:
                result.reasons.append(problem)
    if notebook is None:
        result.status = "not graded"
        return result
    if course.two_interpreters(assignment) if two_interpreters is None else two_interpreters:
        rebuilt, _, code = _prepare(result, notebook, check_cells=False)
        problem, [(student, trusted)], _ = _run_two(assignment, [(rebuilt, code)], folder,
                                                     sandboxed, limits, transcript)
        tested = nbformat.v4.new_notebook()
        tested.cells = trusted
        _score(result, tested, {}, problem, limits, student_cells=student)
    else:
        rebuilt, checks, _ = _prepare(result, notebook)
        problem = _run(rebuilt, folder, sandboxed, limits)
        _score(result, rebuilt, checks, problem, limits)
    result.seconds = round(time.monotonic() - started, 1)
    return result


def grade_together(assignment, notebooks, sandboxed=True, limits=DEFAULT_LIMITS,
                   two_interpreters=None, transcript=None):
    """{name: Result} for {name: notebook}, run one after another in ONE sandboxed kernel.

    Only for the course's own notebooks (its solutions, blanks and wrong answers), never
    for a class: a student's code must share nothing with another's. Each notebook is
    rebuilt, screened, given its check cells and scored exactly as grade_submission
    does; between two of them the kernel's namespace is emptied (RESET_BETWEEN), so
    each starts as in a fresh kernel, except that the modules are already imported:
    TensorFlow's import (3 to 4 s here) is paid once instead of once per notebook. If
    a reset fails (a name survived it), every notebook of the batch reports it.

    two_interpreters: grade as the assignment's own setting says (None), or force one
    way (True: two interpreters, grading.interpreters; False: one kernel, with the check
    cells), so that the course's tests can grade each assignment both ways.
    """
    started = time.monotonic()
    if course.two_interpreters(assignment) if two_interpreters is None else two_interpreters:
        return _together_two(assignment, notebooks, sandboxed, limits, started, transcript)
    parts, combined = [], nbformat.v4.new_notebook(
        metadata=course.source_notebook(assignment).metadata)
    resets = []
    for name, notebook in notebooks.items():
        result = _new_result(name, assignment)
        rebuilt, checks, _ = _prepare(result, notebook)
        if combined.cells:
            resets.append(len(combined.cells))
            combined.cells.append(nbformat.v4.new_code_cell(RESET_BETWEEN))
        parts.append((result, len(combined.cells), len(rebuilt.cells), checks))
        combined.cells += rebuilt.cells
    budget = replace(limits, notebook_timeout=limits.notebook_timeout * len(parts))
    problem = _run(combined, None, sandboxed, budget)
    failed_reset = [i for i in resets if error_of(combined.cells[i]) is not None]
    if failed_reset:
        error = error_of(combined.cells[failed_reset[0]])
        problem = (f"the reset between notebooks failed ({error.get('ename')}: "
                   f"{error.get('evalue')})")
    seconds = round((time.monotonic() - started) / len(parts), 1)
    for result, first, count, checks in parts:
        part = nbformat.v4.new_notebook()
        part.cells = combined.cells[first:first + count]
        _score(result, part, checks, problem, limits)
        if failed_reset:  # no score from a kernel whose state leaked between notebooks
            result.status, result.score = "not graded", 0.0
        result.seconds = seconds
    return {result.student: result for result, *_ in parts}


def _together_two(assignment, notebooks, sandboxed, limits, started, transcript):
    """grade_together in two interpreters: the same two kernels for every notebook."""
    results, pairs = [], []
    for name, notebook in notebooks.items():
        results.append(_new_result(name, assignment))
        rebuilt, _, code = _prepare(results[-1], notebook, check_cells=False)
        pairs.append((rebuilt, code))
    budget = replace(limits, notebook_timeout=limits.notebook_timeout * len(pairs))
    problem, parts, failed = _run_two(assignment, pairs, None, sandboxed, budget, transcript)
    if failed is not None:
        problem = (f"the reset between notebooks failed ({failed.get('ename')}: "
                   f"{failed.get('evalue')})")
    seconds = round((time.monotonic() - started) / len(pairs), 1)
    for result, (student, trusted) in zip(results, parts, strict=True):
        tested = nbformat.v4.new_notebook()
        tested.cells = trusted
        _score(result, tested, {}, problem, limits, student_cells=student)
        if failed is not None:
            result.status, result.score = "not graded", 0.0
        result.seconds = seconds
    return {result.student: result for result in results}


def _call(job):
    grade, arguments = job
    return grade(**arguments)


def run_tasks(tasks, workers, log=None, grade=grade_submission):
    """grade(**task) for each task (a dict of arguments), on `workers` processes;
    results in the order of tasks."""
    jobs = [(grade, task) for task in tasks]
    if workers <= 1 or len(tasks) <= 1:
        results = []
        for job in jobs:
            results.append(_call(job))
            if log:
                log(results[-1])
        return results
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        results = []
        for result in pool.map(_call, jobs):
            results.append(result)
            if log:
                log(result)
        return results


def grade_notebooks(assignment, notebooks, workers=None, sandboxed=True, limits=DEFAULT_LIMITS):
    """{name: Result} for {name: notebook}, each graded as a student's submission (one
    kernel each): `make bench-grading` times it."""
    tasks = [{"student": name, "assignment": assignment, "notebook": nb,
              "sandboxed": sandboxed, "limits": limits} for name, nb in notebooks.items()]
    results = run_tasks(tasks, workers or os.cpu_count() or 1)
    return {r.student: r for r in results}


# ---------------------------------------------------------------- a class

def feedback_page(result):
    """The student's feedback: per test its name, points, pass or fail and message.
    Never the test code or the instructor's solution."""
    rows = []
    for t in result.tests:
        ok = t["score"] == t["points"]
        rows.append(f"<tr class='{'pass' if ok else 'fail'}'><td>{html.escape(t['name'])}</td>"
                    f"<td>{t['score']:g} / {t['points']:g}</td><td>{'passed' if ok else 'failed'}"
                    f"</td><td><pre>{html.escape(t['message'])}</pre></td></tr>")
    notes = "".join(f"<li>{html.escape(r)}</li>" for r in result.reasons + [
        f"needs review: {r}" for r in result.review])
    title = html.escape(f"{result.assignment}: {result.student}")
    status = ("Your instructor will review this submission before it is scored."
              if result.status == "needs review" else "")
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}
td,th{{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left}}
.fail td:nth-child(3){{color:#b00}} .pass td:nth-child(3){{color:#070}}
pre{{white-space:pre-wrap;margin:0}}</style></head><body>
<h1>{title}</h1>
<p>Score: <b>{result.score:g} / {result.max_score:g}</b> ({html.escape(result.status)}).
{status}</p>
<ul>{notes}</ul>
<table><tr><th>test</th><th>points</th><th>result</th><th>message</th></tr>
{''.join(rows)}</table>
<p>Test names match the test cells of your notebook; hidden tests are listed by name
only.</p></body></html>
"""


def checksum_tree(folder):
    """sha256 over every path, file content and symlink target under folder."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def grade_class(submitted_dir, output, names=None, workers=None, sandboxed=True,
                limits=DEFAULT_LIMITS, log=print, two_interpreters=None):
    """Grade every student folder in submitted_dir; write grades.csv and feedback pages."""
    submitted_dir, output = Path(submitted_dir), Path(output)
    names = names or course.assignments()
    unknown = sorted(set(names) - set(course.assignments()))
    if unknown:
        raise SystemExit(f"unknown assignments {unknown}; the course has {course.assignments()}")
    if not submitted_dir.is_dir():
        raise SystemExit(f"{submitted_dir} is not a folder of student submissions")
    if sandboxed:
        Sandbox().check(Path(tempfile.mkdtemp(prefix="rnn-grade-check-")))
    students = sorted(p.name for p in submitted_dir.iterdir()
                      if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
    tasks = [{"student": s, "assignment": a, "folder": submitted_dir / s / a,
              "sandboxed": sandboxed, "limits": limits, "two_interpreters": two_interpreters}
             for s in students for a in names]
    if output.exists():
        shutil.rmtree(output)
    (output / "feedback").mkdir(parents=True)

    def show(r):
        log(f"{r.student:>18} {r.assignment:<28} {r.score:5.1f} / {r.max_score:<5g} "
            f"{r.status:<12} {r.seconds:6.1f} s  {r.row()['reason']}")

    results = run_tasks(tasks, workers or os.cpu_count() or 1, log=show)
    for r in results:
        if r.status != "not graded":
            page = output / "feedback" / r.student / f"{r.assignment}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(feedback_page(r))
    with open(output / "grades.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_FIELDS)
        writer.writeheader()
        writer.writerows(r.row() for r in results)
    log(f"\n{len(results)} rows written to {output / 'grades.csv'}; "
        f"feedback in {output / 'feedback'}")
    return results
