"""Time limits that fit each assignment, derived from its solution's measured time.

    python -m grading.limits [ASSIGNMENT ...]      (or: make limits)

grades each solution as a submission (sandboxed, as a class is graded), reads how long
its slowest cell and the whole notebook took, and writes solutions/grading_limits.json:
per assignment a cell limit of CELL_MULTIPLE times the slowest cell (at least
CELL_FLOOR seconds) and a notebook limit of NOTEBOOK_MULTIPLE times the whole (at least
NOTEBOOK_FLOOR), with what was measured, where and when. Run it when an assignment
changes and before a term, on the machine that grades; commit the file with the release.
The grader uses these limits unless the command line sets others.

Why: with one limit for all (120 s a cell), a student stuck in a loop in three cells held
a worker for six minutes on an assignment whose cells take a second.
"""

import datetime
import json
import math
import platform
import sys
from dataclasses import replace

from grading import course
from grading.sandbox import Limits

PATH = course.SOLUTIONS / "grading_limits.json"
CELL_MULTIPLE, CELL_FLOOR = 10, 20
NOTEBOOK_MULTIPLE, NOTEBOOK_FLOOR = 5, 120
DEFAULT = Limits()


def cell_seconds(nb):
    """[(seconds, grade id or cell index)] of the executed cells, from nbclient's timing."""
    from nbgrader.utils import parse_utc
    times = []
    for index, cell in enumerate(nb.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if start and end:
            seconds = (parse_utc(end) - parse_utc(start)).total_seconds()
            times.append((seconds, course.grade_id(cell) or f"cell {index}"))
    return times


def derive(times):
    """(cell limit, notebook limit) in whole seconds from [(seconds, name)]."""
    slowest = max((s for s, _ in times), default=0.0)
    total = sum(s for s, _ in times)
    return (max(CELL_FLOOR, math.ceil(CELL_MULTIPLE * slowest)),
            max(NOTEBOOK_FLOOR, math.ceil(NOTEBOOK_MULTIPLE * total)))


def measure(assignment, sandboxed=True):
    """The entry for one assignment: its limits and what they were derived from."""
    from grading.grade import grade_submission
    solution = course.solution_submission(assignment)
    result = grade_submission("solution", assignment, notebook=solution, sandboxed=sandboxed)
    if result.score != result.max_score:
        raise SystemExit(f"{assignment}: the solution scored {result.score} of "
                         f"{result.max_score} ({result.row()['reason']}); fix it first")
    times = cell_seconds(result.notebook)
    cell, notebook = derive(times)
    slowest = max(times, default=(0.0, ""))
    return {"cell_timeout": cell, "notebook_timeout": notebook,
            "slowest_cell": slowest[1], "slowest_cell_seconds": round(slowest[0], 2),
            "cells_seconds": round(sum(s for s, _ in times), 2)}


def recorded():
    return json.loads(PATH.read_text()) if PATH.is_file() else {"assignments": {}}


def limits_for(assignment, base=DEFAULT):
    """base with the assignment's recorded time limits (base alone if none recorded)."""
    entry = recorded()["assignments"].get(assignment)
    if entry is None:
        return base
    return replace(base, cell_timeout=entry["cell_timeout"],
                   notebook_timeout=entry["notebook_timeout"])


def main(argv=None):
    names = (argv if argv is not None else sys.argv[1:]) or course.assignments()
    data = recorded()
    for name in names:
        data["assignments"][name] = measure(name)
        entry = data["assignments"][name]
        print(f"{name:<30} slowest cell {entry['slowest_cell_seconds']:6.2f} s "
              f"({entry['slowest_cell']}), all cells {entry['cells_seconds']:6.2f} s -> "
              f"limits {entry['cell_timeout']} s a cell, {entry['notebook_timeout']} s a notebook")
    data["rule"] = (f"cell: {CELL_MULTIPLE} x the slowest cell, at least {CELL_FLOOR} s; "
                    f"notebook: {NOTEBOOK_MULTIPLE} x all cells, at least {NOTEBOOK_FLOOR} s")
    data["measured_on"] = {"date": datetime.date.today().isoformat(),
                           "machine": f"{platform.machine()}, {platform.processor() or '?'}",
                           "python": platform.python_version()}
    data["assignments"] = dict(sorted(data["assignments"].items()))
    PATH.write_text(json.dumps(data, indent=1) + "\n")
    print(f"written to {PATH}")


if __name__ == "__main__":
    main()
