"""Autograde student notebooks with nbgrader in a scratch course directory.

Used by the tests (solution, blank and wrong-answer submissions of every assignment)
and by the instructor's grading command. Everything happens in a scratch copy: the
repository's solutions/ and gradebook are never touched by student code.
"""

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"


def assignments():
    """The assignments of the course: one folder each in solutions/."""
    return sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and not p.name.startswith("."))


def nbgrader_command(args, cwd):
    """The command line of one nbgrader command on the course directory cwd, and its
    environment (nbgrader's database migrations call the `alembic` script next to the
    interpreter, so that folder leads PATH)."""
    command = [
        sys.executable, "-m", "nbgrader", *args,
        f"--CourseDirectory.root={cwd}",
        "--CourseDirectory.source_directory=source",
        "--CourseDirectory.release_directory=release",
        f"--CourseDirectory.db_url=sqlite:///{cwd}/gradebook.db",
    ]
    return command, {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}


def nbgrader(*args, cwd):
    """Run one nbgrader command with the course's configuration, in course directory cwd."""
    command, env = nbgrader_command(args, cwd)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


def prepare_course(workdir, assignment):
    """Make a scratch course directory that knows the assignment (and its hidden tests)."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", workdir / "nbgrader_config.py")
    shutil.copytree(SOLUTIONS / assignment, workdir / "source" / assignment, dirs_exist_ok=True)
    result = nbgrader("generate_assignment", assignment, "--force", cwd=workdir)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{result.stderr}")
    return workdir


def solution_sources(assignment, notebook=None):
    """{grade_id: source} of every solution cell in the instructor's notebook."""
    notebook = notebook or assignment
    nb = nbformat.read(SOLUTIONS / assignment / f"{notebook}.ipynb", as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def student_version(assignment, notebook=None):
    """The committed student notebook of an assignment, as a NotebookNode."""
    notebook = notebook or assignment
    return nbformat.read(EXERCISES / assignment / f"{notebook}.ipynb", as_version=4)


def with_answers(nb, answers):
    """A copy of nb with the solution cells named in answers ({grade_id: source}) replaced."""
    nb = copy.deepcopy(nb)
    found = set()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
            found.add(grade_id)
    missing = set(answers) - found
    if missing:
        raise KeyError(f"no solution cells named {sorted(missing)}")
    return nb


def autograde(workdir, assignment, submissions):
    """Grade {student_id: notebook} submissions; return {student_id: {grade_id: score}}.

    Each score dictionary also holds "total" and "max_total".
    """
    workdir = Path(workdir)
    for student, nb in submissions.items():
        folder = workdir / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")
    result = nbgrader("autograde", assignment, "--force", cwd=workdir)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader autograde failed:\n{result.stderr[-3000:]}")
    return read_scores(workdir, assignment, submissions)


def read_scores(workdir, assignment, students):
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{Path(workdir)}/gradebook.db") as gradebook:
        for student in students:
            submission = gradebook.find_submission(assignment, student)
            cells = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.auto_score is not None or grade.max_score:
                        cells[grade.name] = grade.score
            cells["total"] = submission.score
            cells["max_total"] = submission.max_score
            scores[student] = cells
    return scores
