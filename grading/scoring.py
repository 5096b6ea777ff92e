"""Scoring an executed notebook: what each test cell earned, and why points were lost.

A test cell scores its points when it ran and produced no error; nothing the student's
kernel writes to a file is read. Messages of a student's exception in a cell with hidden
tests are cut to the exception's type (its text could carry the hidden inputs).
"""

import builtins
import re
from dataclasses import dataclass, field

from grading import course
from grading.bridge import FROM_STUDENT

DISK_FULL = ("[Errno 28]", "No space left on device", "Not enough free space to write")
MESSAGE_CHARS = 400  # of a failed test's message shown in the feedback


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
    notebook: object = None  # the executed notebook (the instructor's code cells), if it ran

    def row(self):
        reasons = self.reasons + [f"needs review: {r}" for r in self.review]
        return {"student": self.student, "assignment": self.assignment,
                "score": self.score, "max_score": self.max_score, "status": self.status,
                "observed_score": self.observed_score, "reason": "; ".join(reasons)}

    @property
    def cells(self):
        return {t["name"]: t["score"] for t in self.tests}


def error_of(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output
    return None


ANSI = re.compile(r"\x1b\[[0-9;]*m")
FRAME = re.compile(r"Cell In\[(\d+)\], line (\d+)")


def failed_in_hidden(source, error):
    """True when a test cell with hidden tests failed inside them, or where it failed
    cannot be told: from the cell's own frames in IPython's traceback."""
    hidden = course.hidden_line_numbers(source)
    if not hidden:
        return False
    frames = [FRAME.search(ANSI.sub("", str(entry))) for entry in error.get("traceback", [])]
    frames = [(m.group(1), int(m.group(2))) for m in frames if m]
    if not frames:
        return True
    cell = frames[0][0]  # the test cell's own input number; later frames may be others
    return any(number in hidden for run, number in frames if run == cell)


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
                    # The message could carry a hidden test's inputs: the type alone,
                    # and only a built-in one (a class's name is the student's to choose).
                    kind = raised.split(":")[0].strip()
                    builtin = getattr(builtins, kind, None)
                    if not (isinstance(builtin, type) and issubclass(builtin, BaseException)):
                        kind = "an exception of a class of its own"
                    message = f"your code raised {kind} in this test"
            elif failed_in_hidden(cell.source, error):
                # The instructor's message may name a hidden input or its expected value.
                message = f"{name} in a hidden test of this cell"
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
