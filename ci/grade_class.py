"""Grade a class: autograde every submission, write feedback and a grades CSV.

    python -m ci.grade_class SUBMITTED_DIR [--assignment A ...] [--output DIR]
    (or: make grade SUBMISSIONS=path/to/submitted)

SUBMITTED_DIR has nbgrader's layout, ``<student>/<assignment>/<assignment>.ipynb``
(what ``nbgrader collect`` or ``zip_collect`` produce). For every student folder and
every assignment, one row goes into ``<output>/grades.csv`` (student, assignment, score,
max_score, reason), and a feedback page into ``<output>/feedback/<student>/<assignment>.html``.
Nothing found is skipped: a submission that cannot be graded gets a score of 0 and a
reason, and the rest of the class is graded as usual.

What makes it robust:

- Each submission is rebuilt from the released student version: the student's code is
  taken from the solution cells (matched by their nbgrader id), every other cell is the
  instructor's. Edited or deleted test cells, reordered or extra cells, and missing
  solution cells therefore cannot change which tests run; the reason says what was
  found.
- Each notebook runs in its own nbgrader process in a scratch course directory, with a
  time limit per cell, a time limit for the whole notebook and a memory limit, so an
  infinite loop, a crashing kernel or a memory hog costs only that submission.
- The scratch course holds no instructor notebooks while student code runs. This is
  not a sandbox: student code runs as your user. See the instructor's guide in the book
  for running each submission in a container.
- Every run starts from a fresh gradebook, so grading twice gives the same CSV, and
  a re-submission (a newer file in the same folder) replaces the old one.
"""

import argparse
import copy
import csv
import json
import resource
import shutil
import subprocess
from pathlib import Path

import nbformat

from ci.grading import EXERCISES, ROOT, SOLUTIONS, assignments, nbgrader_command

DEFAULT_OUTPUT = ROOT / "_build" / "grades"


def nbgrader_limited(args, cwd, memory_mb, timeout):
    """Run nbgrader in cwd under an address-space limit and a wall-clock limit."""
    command, env = nbgrader_command(args, cwd)
    env.update(TF_CPP_MIN_LOG_LEVEL="3", HOME=str(cwd))  # HOME: nothing outside the scratch

    def limit_memory():  # runs in the child; the kernel it starts inherits the limit
        if memory_mb:
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    try:
        return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout, preexec_fn=limit_memory, check=False)
    except subprocess.TimeoutExpired as error:
        return subprocess.CompletedProcess(command, -9, "", f"TIMEOUT after {error.timeout} s")


def prepare_course(workdir, names, memory_mb):
    """A fresh scratch course that knows the assignments; their sources then removed."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", workdir / "nbgrader_config.py")
    for name in names:
        shutil.copytree(SOLUTIONS / name, workdir / "source" / name)
        result = nbgrader_limited(["generate_assignment", name, "--force"], workdir, None, 600)
        if result.returncode != 0:
            raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n{result.stderr}")
    # The gradebook now holds everything autograde needs; the instructor's notebooks (with
    # the hidden tests) are not left lying next to the code that is about to run.
    shutil.rmtree(workdir / "source")
    shutil.rmtree(workdir / "release", ignore_errors=True)


def find_notebook(folder, assignment):
    """(path or None, note): the notebook to grade in a student's assignment folder."""
    expected = folder / f"{assignment}.ipynb"
    if expected.exists():
        return expected, None
    if not folder.is_dir():
        return None, "nothing submitted for this assignment"
    others = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if len(others) == 1:
        return others[0], f"notebook was named {others[0].name}; graded it as {expected.name}"
    if others:
        names = ", ".join(p.name for p in others)
        return None, f"no {expected.name}, and several other notebooks ({names}): not graded"
    return None, f"no notebook in the submission folder (expected {expected.name})"


def read_notebook(path):
    """(notebook or None, problem): read any nbformat version we can convert to 4."""
    text = path.read_bytes()
    if not text.strip():
        return None, "the notebook file is empty"
    try:
        raw = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"the notebook file is not valid JSON ({error})"
    major = raw.get("nbformat") if isinstance(raw, dict) else None
    if major not in (3, 4):
        return None, f"not a notebook this course can read (nbformat version {major!r}, expected 4)"
    try:
        return nbformat.reads(text.decode("utf-8"), as_version=4), None
    except Exception as error:  # nbformat raises several kinds on malformed content
        return None, f"the notebook could not be read ({type(error).__name__}: {error})"


def nbgrader_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def rebuild(release, submitted):
    """The released notebook with the student's solution cells in it, and what differed."""
    notes = []
    student_cells = {}
    for cell in submitted.cells:
        grade_id = nbgrader_id(cell)
        if grade_id and grade_id not in student_cells:
            student_cells[grade_id] = cell
    rebuilt = copy.deepcopy(release)
    missing, edited_tests = [], []
    for cell in rebuilt.cells:
        info = cell.metadata.get("nbgrader", {})
        grade_id = info.get("grade_id")
        if info.get("solution"):
            if grade_id in student_cells:
                cell.source = student_cells[grade_id].source
            else:
                missing.append(grade_id)
        elif info.get("grade") and grade_id in student_cells:
            if student_cells[grade_id].source != cell.source:
                edited_tests.append(grade_id)
    deleted_tests = [
        nbgrader_id(c) for c in release.cells
        if c.metadata.get("nbgrader", {}).get("grade") and nbgrader_id(c) not in student_cells
    ]
    release_order = [nbgrader_id(c) for c in release.cells if nbgrader_id(c)]
    student_order = [g for g in (nbgrader_id(c) for c in submitted.cells) if g in release_order]
    if missing:
        notes.append(f"solution cells missing, graded as blank: {', '.join(missing)}")
    if edited_tests or deleted_tests:
        changed = ", ".join(edited_tests + deleted_tests)
        notes.append(f"test cells edited or deleted ({changed}): the instructor's tests were run")
    if student_order != [g for g in release_order if g in student_order]:
        notes.append("cells were reordered: graded in the original order")
    return rebuilt, notes


def execution_problem(result):
    """A short reason when nbgrader's run of a notebook did not finish normally."""
    log = result.stderr
    if result.returncode == -9 and log.startswith("TIMEOUT"):
        return f"the whole notebook ran out of time ({log.split('after ')[1]})"
    if "DeadKernelError" in log or "Kernel died" in log or "kernel died" in log.lower():
        return "the kernel died while running (os._exit, a crash, or the memory limit)"
    if "CellTimeoutError" in log or "Cell execution timed out" in log:
        return "a cell ran past the time limit and was stopped"
    if "MemoryError" in log:
        return "the notebook ran out of memory"
    if result.returncode != 0:
        last = [line for line in log.strip().splitlines() if line.strip()][-1:]
        return f"nbgrader could not grade the notebook: {last[0] if last else 'no message'}"
    return None


def problems_in_outputs(notebook_path, limits):
    """Reasons from the graded notebook: cells stopped at the time limit, or out of memory."""
    if not notebook_path.exists():
        return []
    stopped, out_of_memory = [], []
    for index, cell in enumerate(nbformat.read(notebook_path, as_version=4).cells):
        name = nbgrader_id(cell) or f"cell {index}"
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            if output.get("ename") == "KeyboardInterrupt":  # how nbgrader stops a slow cell
                stopped.append(name)
            elif output.get("ename") == "MemoryError":
                out_of_memory.append(name)
    reasons = []
    if stopped:
        reasons.append(f"stopped at the {limits['cell_timeout']} s time limit per cell: "
                       f"{', '.join(stopped)}")
    if out_of_memory:
        reasons.append(f"MemoryError (limit {limits['memory_mb']} MB) in "
                       f"{', '.join(out_of_memory)}")
    return reasons


def read_score(workdir, assignment, student):
    """The student's autograded score, or None if nbgrader recorded no submission."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{workdir}/gradebook.db") as gradebook:
        try:
            return gradebook.find_submission(assignment, student).score
        except MissingEntry:
            return None


def max_score(workdir, assignment):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{workdir}/gradebook.db") as gradebook:
        return gradebook.find_assignment(assignment).max_score


def grade_one(workdir, output, student, assignment, folder, limits):
    row = {"student": student, "assignment": assignment, "score": 0.0, "max_score": None,
           "reason": ""}
    reasons = []
    path, note = find_notebook(folder, assignment)
    if note:
        reasons.append(note)
    submitted = None
    if path is not None:
        submitted, problem = read_notebook(path)
        if problem:
            reasons.append(problem)
    if submitted is not None:
        release = nbformat.read(EXERCISES / assignment / f"{assignment}.ipynb", as_version=4)
        rebuilt, notes = rebuild(release, submitted)
        reasons.extend(notes)
        target = workdir / "submitted" / student / assignment
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(rebuilt, target / f"{assignment}.ipynb")
        result = nbgrader_limited(
            ["autograde", assignment, f"--student={student}", "--force",
             f"--ExecutePreprocessor.timeout={limits['cell_timeout']}"],
            workdir, limits["memory_mb"], limits["notebook_timeout"])
        problem = execution_problem(result)
        if problem:
            reasons.append(problem)
        reasons.extend(problems_in_outputs(
            workdir / "autograded" / student / assignment / f"{assignment}.ipynb", limits))
        score = read_score(workdir, assignment, student)
        if score is not None:
            row["score"] = score  # tests that ran before a problem keep their points
            feedback = nbgrader_limited(
                ["generate_feedback", assignment, f"--student={student}", "--force"],
                workdir, None, 300)
            pages = sorted((workdir / "feedback" / student / assignment).glob("*.html"))
            if feedback.returncode == 0 and pages:
                destination = output / "feedback" / student / f"{assignment}.html"
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(pages[0], destination)
            elif problem is None:
                reasons.append("graded, but the feedback page could not be generated")
    row["max_score"] = max_score(workdir, assignment)
    row["reason"] = "; ".join(reasons)
    return row


def grade_class(submitted_dir, output=DEFAULT_OUTPUT, names=None, cell_timeout=120,
                notebook_timeout=1800, memory_mb=8192, log=print):
    """Grade every student folder in submitted_dir; return the rows written to grades.csv."""
    submitted_dir, output = Path(submitted_dir), Path(output)
    names = names or assignments()
    unknown = sorted(set(names) - set(assignments()))
    if unknown:
        raise SystemExit(f"unknown assignments {unknown}; the course has {assignments()}")
    if not submitted_dir.is_dir():
        raise SystemExit(f"{submitted_dir} is not a folder of student submissions")
    students = sorted(p.name for p in submitted_dir.iterdir() if p.is_dir()
                      and not p.name.startswith("."))
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    workdir = output / "course"
    prepare_course(workdir, names, memory_mb)
    limits = {"cell_timeout": cell_timeout, "notebook_timeout": notebook_timeout,
              "memory_mb": memory_mb}
    rows = []
    for student in students:
        for assignment in names:
            row = grade_one(workdir, output, student, assignment,
                            submitted_dir / student / assignment, limits)
            rows.append(row)
            log(f"{student:>16} {assignment:<28} {row['score']:5.1f} / {row['max_score']:<5}"
                f" {row['reason']}")
    with open(output / "grades.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, ["student", "assignment", "score", "max_score", "reason"])
        writer.writeheader()
        writer.writerows(rows)
    log(f"\n{len(rows)} rows written to {output / 'grades.csv'}; feedback in {output / 'feedback'}")
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submitted", type=Path, help="folder with <student>/<assignment>/ inside")
    parser.add_argument("--assignment", action="append", dest="names",
                        help="grade only this assignment (repeatable); default: all")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--cell-timeout", type=int, default=120, help="seconds per cell")
    parser.add_argument("--notebook-timeout", type=int, default=1800,
                        help="seconds for a whole notebook")
    parser.add_argument("--memory-mb", type=int, default=8192,
                        help="address-space limit per notebook (kernel included)")
    args = parser.parse_args(argv)
    grade_class(args.submitted, args.output, args.names, args.cell_timeout,
                args.notebook_timeout, args.memory_mb)


if __name__ == "__main__":
    main()
