"""How fast a class is graded, sandboxed and not: the figure an instructor plans with.

    python -m bench.grading [--students 8] [--rounds 2] [--workers N]
    (or: make bench-grading)

Finds the heaviest assignment (the one whose solution takes longest to grade), then
grades a class of `students` correct submissions of it with `workers` processes,
sandboxed and unsandboxed in alternation (`rounds` times each, so that a slow spell of a
noisy machine hits both alike). Prints submissions per minute side by side and the
sandbox's overhead as a ratio; writes bench/grading.json.
"""

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from grading import course
from grading.grade import grade_class, grade_notebooks

RESULTS = Path(__file__).with_name("grading.json")


def heaviest_assignment():
    """(assignment, seconds) whose solution takes longest to grade, sandboxed."""
    times = {}
    for assignment in course.assignments():
        solution = course.with_answers(course.student_version(assignment),
                                       course.solution_sources(assignment))
        result = grade_notebooks(assignment, {"solution": solution}, workers=1)["solution"]
        assert result.score == result.max_score, result.row()
        times[assignment] = result.seconds
        print(f"  {assignment:<30} {result.seconds:6.1f} s per submission")
    return max(times.items(), key=lambda item: item[1]), times


def make_class(folder, assignment, students):
    solution = course.with_answers(course.student_version(assignment),
                                   course.solution_sources(assignment))
    for index in range(students):
        target = Path(folder) / f"student{index:02d}" / assignment
        target.mkdir(parents=True)
        nbformat.write(solution, target / f"{assignment}.ipynb")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    print("Grading each assignment's solution once, sandboxed:")
    (assignment, _), per_assignment = heaviest_assignment()
    print(f"Heaviest: {assignment}. A class of {args.students}, {args.workers} workers:")
    scratch = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    make_class(scratch / "submitted", assignment, args.students)
    per_minute = {"sandboxed": [], "unsandboxed": []}
    try:
        for _ in range(args.rounds):
            for mode in per_minute:
                start = time.perf_counter()
                results = grade_class(scratch / "submitted", scratch / mode, [assignment],
                                      workers=args.workers, sandboxed=mode == "sandboxed",
                                      log=lambda *_: None)
                seconds = time.perf_counter() - start
                assert all(r.score == r.max_score for r in results), [r.row() for r in results]
                per_minute[mode].append(60 * len(results) / seconds)
                print(f"  {mode:<12} {per_minute[mode][-1]:6.1f} submissions per minute")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    best = {mode: max(values) for mode, values in per_minute.items()}
    overhead = best["unsandboxed"] / best["sandboxed"] - 1
    print(f"\nBest of {args.rounds}: sandboxed {best['sandboxed']:.1f}, unsandboxed "
          f"{best['unsandboxed']:.1f} submissions per minute; the sandbox costs "
          f"{overhead:+.1%}.")
    RESULTS.write_text(json.dumps({
        "assignment": assignment, "students": args.students, "workers": args.workers,
        "cores": os.cpu_count(), "machine": platform.machine(),
        "seconds_per_solution": per_assignment, "per_minute": per_minute,
        "best_per_minute": best, "sandbox_overhead": overhead}, indent=1) + "\n")
    print(f"Written to {RESULTS}")


if __name__ == "__main__":
    main()
