"""rnn-grade: grade submissions in the sandbox and record them in nbgrader's gradebook.

    rnn-grade [SUBMITTED_DIR] [--assignment A ...] [--student S ...] [--workers N]
    (or: make grade [ASSIGNMENT=a] [STUDENTS="s1 s2"])

SUBMITTED_DIR (default: the term's submitted/ folder, as nbgrader_config.py sets it)
holds <student>/<assignment>/<assignment>.ipynb, what `nbgrader collect` or
`zip_collect` produce; it is only read. Each submission graded now replaces that
student's grade for that assignment, and only that: in the gradebook (formgrader shows
it, `nbgrader export` exports it), in autograded/ and in the course's records
(grading.term). Then term/grades.csv and term/statistics.html are rewritten from the
gradebook and the statistics are printed.
"""

import argparse
import os
import sys
from pathlib import Path

from grading.grade import grade_class
from grading.sandbox import Limits, SandboxUnavailable
from grading.term import Term


def main(argv=None):
    parser = argparse.ArgumentParser(prog="rnn-grade", description=__doc__.splitlines()[0])
    parser.add_argument("submitted", type=Path, nargs="?",
                        help="folder with <student>/<assignment>/ inside (default: the term's)")
    parser.add_argument("--assignment", action="append", dest="names",
                        help="grade only this assignment (repeatable); default: all")
    parser.add_argument("--student", action="append", dest="students",
                        help="grade only this student (repeatable); default: every folder")
    parser.add_argument("--no-reference", action="store_true",
                        help="do not grade the instructor's solution beside the class")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="submissions graded at once (default: the number of cores)")
    parser.add_argument("--unsandboxed", action="store_true",
                        help="run student code as yourself, without bubblewrap (not advised)")
    defaults = Limits()
    parser.add_argument("--cell-timeout", type=int,
                        help="seconds per cell (default: each assignment's recorded limits, "
                             "solutions/grading_limits.json)")
    parser.add_argument("--notebook-timeout", type=int, help="seconds for a whole notebook")
    parser.add_argument("--memory-mb", type=int,
                        help=f"address-space limit of a kernel (default {defaults.memory_mb})")
    parser.add_argument("--processes", type=int,
                        help=f"processes a kernel may start (default {defaults.processes})")
    args = parser.parse_args(argv)
    # Only what is given replaces the assignment's limits; the rest stay as recorded.
    overrides = {name: value for name, value in (
        ("cell_timeout", args.cell_timeout), ("notebook_timeout", args.notebook_timeout),
        ("memory_mb", args.memory_mb), ("processes", args.processes)) if value}
    term = Term.from_config()
    try:
        grade_class(args.submitted or term.path("submitted"), term, args.names, args.workers,
                    sandboxed=not args.unsandboxed, students=args.students,
                    reference=not args.no_reference, overrides=overrides)
    except SandboxUnavailable as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
