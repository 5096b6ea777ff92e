"""Grade submissions: the orchestration. Each submission is read and rebuilt from the
instructor's notebook (grading.submission), screened (grading.screen), run sandboxed
(grading.execute), scored (grading.scoring) and recorded in nbgrader's gradebook
(grading.term).

One path for everyone: `rnn-grade` (and `make grade`) call grade_class, which grades
each submission with grade_submission in kernels of its own. The course's own tests
grade its solutions, blanks and wrong answers with grade_together, several to a kernel,
through the same rebuilding, screening and scoring.

An assignment is run in one of two ways (its notebook's metadata, rnn_grading):

- two interpreters (grading.interpreters): the student's kernel, in the sandbox, runs
  the instructor's context cells and the student's solution cells; a trusted kernel
  outside runs the context cells and the test cells, calling the student's functions
  through stand-ins that pass data only (grading.bridge, grading.wire). No test reaches
  the student's kernel, and nothing the student's code does there changes a test.
- one kernel: the notebook runs as a student runs it, with the tests in the student's
  kernel; after every test cell a check cell must fail with a random token, or the
  submission is marked "needs review" (something changed how cells run).

Either way every process of the student's is dead before scores are read, and a
submission the screen flags is marked "needs review".
"""

import contextlib
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

import nbformat

from grading import course, interpreters, screen
from grading.bridge import CHANNEL_BROKEN
from grading.execute import RESET_BETWEEN, execute, execute_pair
from grading.sandbox import Limits, NoSandbox, Sandbox
from grading.scoring import Result, error_of, output_problems, score
from grading.submission import add_check_cells, find_notebook, read_notebook, rebuild

DEFAULT_LIMITS = Limits()
# How a write past Limits.disk_mb fails: Python's ENOSPC, and NumPy's tofile.


def _new_result(student, assignment):
    result = Result(student, assignment, max_score=sum(p for _, p in course.tests(assignment)))
    result.tests = [{"name": g, "points": p, "score": 0.0, "message": "not run"}
                    for g, p in course.tests(assignment)]
    return result


def _prepare(result, notebook, two_interpreters=False):
    """(notebook to run, its check cells, student code by grade id): the rebuilt,
    screened notebook; in two interpreters, no check cells and the screen for the rules."""
    source = course.source_notebook(result.assignment)
    release = course.student_version(result.assignment)
    rebuilt, notes, code = rebuild(source, release, notebook)
    result.reasons += notes
    modules = screen.module_names(source)
    for gid, text in code.items():
        result.review += [f"{gid} {reason}"
                          for reason in screen.screen(text, modules, two_interpreters)]
    return rebuilt, {} if two_interpreters else add_check_cells(rebuilt), code


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


def _without_checks(nb, checks):
    """nb without the check cells add_check_cells inserted (indices in checks)."""
    kept = nbformat.v4.new_notebook(metadata=nb.metadata)
    kept.cells = [c for i, c in enumerate(nb.cells) if i not in checks]
    return kept


def _as_one(rebuilt, student, trusted):
    """The rebuilt notebook with the outputs each cell had where it ran: a test cell's
    from the trusted kernel, every other cell's from the student's."""
    student, trusted = iter(student[1:]), iter(trusted[1:])  # after the preludes
    nb = nbformat.v4.new_notebook(metadata=rebuilt.metadata)
    for cell in rebuilt.cells:
        if course.is_test(cell):
            nb.cells.append(next(trusted, cell))
        else:
            nb.cells.append(next(student, cell))
            next(trusted, None)  # its copy, or the stand-ins in place of a solution
    return nb


def grade_submission(student, assignment, folder=None, notebook=None, sandboxed=True,
                     limits=DEFAULT_LIMITS, transcript=None, two_interpreters=None):
    """Grade one submission: a folder (the student's, read only) or a notebook.

    transcript: a file to which every request sent to the student's interpreter is
    appended (two-interpreter assignments; for the grader's own tests).
    two_interpreters: as grade_together's (None: the assignment's own setting).

    Whatever the submission holds, this returns a Result: a notebook that breaks the
    grader itself is "not graded", with the error as its reason, and the rest of the
    class is graded."""
    try:
        return _grade_submission(student, assignment, folder, notebook, sandboxed, limits,
                                 transcript, two_interpreters)
    except Exception as error:  # noqa: BLE001 - one submission must not stop a class
        result = _new_result(student, assignment)
        result.status = "not graded"
        result.reasons.append(f"the grader could not grade this submission "
                              f"({type(error).__name__}: {str(error)[:200]})")
        return result


def _grade_submission(student, assignment, folder, notebook, sandboxed, limits, transcript,
                      two_interpreters):
    started = time.monotonic()
    result = _new_result(student, assignment)
    if notebook is None and Path(folder).is_symlink():
        result.reasons.append("the assignment folder is a symbolic link: not graded")
        result.status = "not graded"
        return result
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
        rebuilt, _, code = _prepare(result, notebook, two_interpreters=True)
        problem, [(student, trusted)], _ = _run_two(assignment, [(rebuilt, code)], folder,
                                                     sandboxed, limits, transcript)
        tested = nbformat.v4.new_notebook()
        tested.cells = trusted
        _score(result, tested, {}, problem, limits, student_cells=student)
        result.notebook = _as_one(rebuilt, student, trusted)
    else:
        rebuilt, checks, _ = _prepare(result, notebook)
        problem = _run(rebuilt, folder, sandboxed, limits)
        _score(result, rebuilt, checks, problem, limits)
        result.notebook = _without_checks(rebuilt, checks)
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
        result.notebook = _without_checks(part, checks)
        if failed_reset:  # no score from a kernel whose state leaked between notebooks
            result.status, result.score = "not graded", 0.0
        result.seconds = seconds
    return {result.student: result for result, *_ in parts}


def _together_two(assignment, notebooks, sandboxed, limits, started, transcript):
    """grade_together in two interpreters: the same two kernels for every notebook."""
    results, pairs = [], []
    for name, notebook in notebooks.items():
        results.append(_new_result(name, assignment))
        rebuilt, _, code = _prepare(results[-1], notebook, two_interpreters=True)
        pairs.append((rebuilt, code))
    budget = replace(limits, notebook_timeout=limits.notebook_timeout * len(pairs))
    problem, parts, failed = _run_two(assignment, pairs, None, sandboxed, budget, transcript)
    if failed is not None:
        problem = (f"the reset between notebooks failed ({failed.get('ename')}: "
                   f"{failed.get('evalue')})")
    seconds = round((time.monotonic() - started) / len(pairs), 1)
    for result, (rebuilt, _), (student, trusted) in zip(results, pairs, parts, strict=True):
        tested = nbformat.v4.new_notebook()
        tested.cells = trusted
        _score(result, tested, {}, problem, limits, student_cells=student)
        result.notebook = _as_one(rebuilt, student, trusted)
        if failed is not None:
            result.status, result.score = "not graded", 0.0
        result.seconds = seconds
    return {result.student: result for result in results}


def _call(job):
    grade, arguments = job
    return grade(**arguments)


def run_tasks(tasks, workers, log=None, grade=grade_submission):
    """grade(**task) for each task (a dict of arguments), on `workers` processes;
    results in the order of tasks. log(index, result) as each arrives, in order."""
    jobs = [(grade, task) for task in tasks]
    if workers <= 1 or len(tasks) <= 1:
        results = []
        for job in jobs:
            results.append(_call(job))
            if log:
                log(len(results) - 1, results[-1])
        return results
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        results = []
        for result in pool.map(_call, jobs):
            results.append(result)
            if log:
                log(len(results) - 1, result)
        return results


def grade_notebooks(assignment, notebooks, workers=None, sandboxed=True, limits=DEFAULT_LIMITS):
    """{name: Result} for {name: notebook}, each graded as a student's submission (one
    kernel each): `make bench-grading` times it."""
    tasks = [{"student": name, "assignment": assignment, "notebook": nb,
              "sandboxed": sandboxed, "limits": limits} for name, nb in notebooks.items()]
    results = run_tasks(tasks, workers or os.cpu_count() or 1)
    return {r.student: r for r in results}


def grade_class(submitted_dir, term, names=None, workers=None, sandboxed=True,
                limits=None, log=print, two_interpreters=None, students=None,
                reference=True, overrides=None):
    """Grade the submissions in submitted_dir (every student folder, or `students`) for
    `names` (default: every assignment that someone handed in) and record each in the
    term (grading.term): nbgrader's gradebook, autograded/, the course's records. Only
    the submissions graded now are replaced; every other grade stays. Then the term's
    grades.csv and statistics page are rewritten from the gradebook.

    limits: one Limits for every assignment, or None for each assignment's recorded ones
    (grading.limits), with `overrides` ({field: value} of Limits) on top. reference: also
    grade each assignment's solution (not recorded), so that the statistics can flag a
    test the instructor's solution fails."""
    from grading import statistics
    from grading.limits import limits_for
    from grading.term import (
        grade_rows,
        grader_version,
        record,
        stale_in_gradebook,
        write_grades_csv,
    )

    submitted_dir = Path(submitted_dir)
    if not submitted_dir.is_dir():
        raise SystemExit(f"{submitted_dir} is not a folder of student submissions")
    if sandboxed:  # first: without a sandbox nothing can be graded
        with tempfile.TemporaryDirectory(prefix="rnn-grade-check-") as scratch:
            Sandbox().check(scratch)
    if not names:  # every assignment someone handed in
        handed_in = {p.name for p in submitted_dir.glob("*/*") if p.is_dir()}
        names = [a for a in course.assignments() if a in handed_in]
        if not names:
            raise SystemExit(f"no submission of any assignment in {submitted_dir} "
                             f"(<student>/<assignment>/ folders of {course.assignments()})")
    unknown = sorted(set(names) - set(course.assignments()))
    if unknown:
        raise SystemExit(f"unknown assignments {unknown}; the course has {course.assignments()}")
    stale = stale_in_gradebook(term, names)
    if stale:
        raise SystemExit(f"the gradebook {term.db_url} does not match solutions/ ("
                         f"{'; '.join(stale)}): run `make assignments` "
                         "(nbgrader generate_assignment) first")
    found = sorted(p.name for p in submitted_dir.iterdir()
                   if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
    if students:
        absent = sorted(set(students) - set(found))
        if absent:
            log(f"no folder in {submitted_dir} for {absent}: recorded as nothing submitted")
        found = sorted(students)
    def limits_of(a):
        return replace(limits or limits_for(a), **(overrides or {}))

    tasks = [{"student": s, "assignment": a, "folder": submitted_dir / s / a,
              "sandboxed": sandboxed, "limits": limits_of(a),
              "two_interpreters": two_interpreters}
             for s in found for a in names]
    if reference:
        tasks += [{"student": "(the instructor's solution)", "assignment": a,
                   "sandboxed": sandboxed,
                   "notebook": course.solution_submission(a),
                   "limits": limits_of(a), "two_interpreters": two_interpreters}
                  for a in names]

    version, entries, failed = grader_version(), {}, []

    def show(index, r):
        task = tasks[index]
        if "folder" in task:  # a student's: recorded at once, so nothing graded is lost
            try:
                entries[index] = record(term, r, task["folder"], version=version)
            except Exception as error:  # noqa: BLE001 - say so, and record the others
                failed.append(f"{r.student} {r.assignment}: {type(error).__name__}: {error}")
                log(f"COULD NOT RECORD {failed[-1]}")
        log(f"{r.student:>18} {r.assignment:<28} {r.score:5.1f} / {r.max_score:<5g} "
            f"{r.status:<12} {r.seconds:6.1f} s  {r.row()['reason']}")

    results = run_tasks(tasks, workers or os.cpu_count() or 1, log=show)
    graded = [r for i, r in enumerate(results) if "folder" in tasks[i]]
    references = {r.assignment: r for i, r in enumerate(results) if "folder" not in tasks[i]}
    rows = grade_rows(term, log=log)
    csv_path = write_grades_csv(term, rows)
    summary = statistics.summarise(rows, references, names)
    page = statistics.write_page(term, summary)
    log("")
    log(statistics.as_text(summary))
    log(f"{len(entries)} submissions recorded in the gradebook ({term.db_url}); all grades "
        f"in {csv_path}; statistics in {page}")
    if failed:
        raise SystemExit("not recorded (graded again by the same command once fixed):\n"
                         + "\n".join(failed))
    return graded


