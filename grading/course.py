"""Where the course's assignments live, and the notebooks the grader builds from them.

`solutions/<assignment>/<assignment>.ipynb` is the instructor's source (nbgrader's
markup, solutions and hidden tests); `exercises/<assignment>/` is the student version
that `make assignments` generates from it.
"""

import copy
import os
from pathlib import Path

import nbformat

ROOT = Path(os.environ.get("RNN_COURSE_ROOT", Path(__file__).resolve().parents[1]))
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"


def assignments():
    """The assignments of the course: one folder each in solutions/."""
    return sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and not p.name.startswith("."))


def nbgrader_info(cell):
    """A cell's nbgrader metadata ({} when a notebook carries something else there)."""
    metadata = cell.get("metadata", {})
    info = metadata.get("nbgrader", {}) if isinstance(metadata, dict) else {}
    return info if isinstance(info, dict) else {}


def grade_id(cell):
    gid = nbgrader_info(cell).get("grade_id")
    return gid if isinstance(gid, str) else None


def is_test(cell):
    """An autograded test cell: code, with points."""
    info = nbgrader_info(cell)
    return cell.cell_type == "code" and bool(info.get("grade")) and not info.get("solution")


def source_notebook(assignment):
    """The instructor's notebook, hidden tests included."""
    return nbformat.read(SOLUTIONS / assignment / f"{assignment}.ipynb", as_version=4)


def student_version(assignment):
    """The committed student notebook of an assignment."""
    return nbformat.read(EXERCISES / assignment / f"{assignment}.ipynb", as_version=4)


def solution_sources(assignment):
    """{grade_id: source} of every solution cell in the instructor's notebook."""
    return {grade_id(c): c.source for c in source_notebook(assignment).cells
            if nbgrader_info(c).get("solution")}


def two_interpreters(assignment):
    """True when the assignment's test cells run in a trusted interpreter of their own,
    apart from the student's code: always, unless its notebook's metadata says
    rnn_grading.interpreters = 1 (the tests then run in the student's kernel)."""
    settings = source_notebook(assignment).metadata.get("rnn_grading", {})
    return settings.get("interpreters", 2) != 1


def tests(assignment):
    """[(grade_id, points)] of the autograded test cells, in notebook order."""
    return [(grade_id(c), float(nbgrader_info(c).get("points", 0)))
            for c in source_notebook(assignment).cells if is_test(c)]


def hidden_test_lines(assignment):
    """The lines between BEGIN and END HIDDEN TESTS in the instructor's notebook that
    no student version shows anyway (a hidden `assert np.allclose(got, want)` may repeat
    a visible one)."""
    visible = "\n".join(cell.source for a in assignments()
                        for cell in student_version(a).cells)
    lines = []
    for cell in source_notebook(assignment).cells:
        text = cell.source.splitlines()
        for number in sorted(hidden_line_numbers(cell.source)):
            line = text[number - 1].strip()
            if line and line not in visible:
                lines.append(line)
    return lines


def hidden_line_numbers(source):
    """The 1-based numbers of a cell's lines between BEGIN and END HIDDEN TESTS."""
    inside, numbers = False, set()
    for number, line in enumerate(source.splitlines(), 1):
        if "### BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "### END HIDDEN TESTS" in line:
            inside = False
        elif inside:
            numbers.add(number)
    return numbers


def solution_submission(assignment):
    """The student version with the instructor's solutions in it: a submission that
    must score full marks (limits, the statistics' reference, the course's tests)."""
    return with_answers(student_version(assignment), solution_sources(assignment))


def with_answers(nb, answers):
    """A copy of nb with the solution cells named in answers ({grade_id: source}) replaced."""
    nb = copy.deepcopy(nb)
    found = set()
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
            found.add(grade_id(cell))
    missing = set(answers) - found
    if missing:
        raise KeyError(f"no solution cells named {sorted(missing)}")
    return nb


def generate_release(workdir):
    """Run nbgrader's generate_assignment on a scratch copy of solutions/; return the
    release folder (one subfolder per assignment); the gradebook, with every assignment,
    is in workdir/term/ (nbgrader_config.py puts the term beside itself). Every
    assignment in one run: nbgrader's start-up and database set-up (about 7 s here) are
    paid once, not per assignment."""
    import shutil
    import subprocess
    import sys

    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", workdir / "nbgrader_config.py")
    shutil.copytree(SOLUTIONS, workdir / "source", dirs_exist_ok=True)
    command = [sys.executable, "-m", "nbgrader", "generate_assignment", "*", "--force",
               f"--CourseDirectory.root={workdir}",
               "--CourseDirectory.source_directory=source",
               "--CourseDirectory.release_directory=release"]
    # nbgrader's database migrations call the `alembic` script next to the interpreter.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    result = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{result.stderr}")
    return workdir / "release"
