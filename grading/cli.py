"""rnn-grade: grade a class of submissions in nbgrader's layout.

    rnn-grade SUBMITTED_DIR [--assignment A ...] [--output DIR] [--workers N]
    (or: make grade SUBMISSIONS=path/to/submitted)

SUBMITTED_DIR holds <student>/<assignment>/<assignment>.ipynb (what `nbgrader collect`
or `zip_collect` produce); it is only read. One row per student and assignment goes
into <output>/grades.csv (student, assignment, score, max_score, status,
observed_score, reason) and a feedback page into <output>/feedback/<student>/.
"""

import argparse
import os
import sys
from pathlib import Path

from grading.course import ROOT
from grading.grade import grade_class
from grading.sandbox import Limits, SandboxUnavailable


def main(argv=None):
    parser = argparse.ArgumentParser(prog="rnn-grade", description=__doc__.splitlines()[0])
    parser.add_argument("submitted", type=Path, help="folder with <student>/<assignment>/ inside")
    parser.add_argument("--assignment", action="append", dest="names",
                        help="grade only this assignment (repeatable); default: all")
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "grades")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="submissions graded at once (default: the number of cores)")
    parser.add_argument("--unsandboxed", action="store_true",
                        help="run student code as yourself, without bubblewrap (not advised)")
    defaults = Limits()
    parser.add_argument("--cell-timeout", type=int, default=defaults.cell_timeout,
                        help="seconds per cell")
    parser.add_argument("--notebook-timeout", type=int, default=defaults.notebook_timeout,
                        help="seconds for a whole notebook")
    parser.add_argument("--memory-mb", type=int, default=defaults.memory_mb,
                        help="address-space limit of a kernel")
    parser.add_argument("--processes", type=int, default=defaults.processes,
                        help="processes a kernel may start")
    args = parser.parse_args(argv)
    limits = Limits(cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                    memory_mb=args.memory_mb, processes=args.processes)
    try:
        grade_class(args.submitted, args.output, args.names, args.workers,
                    sandboxed=not args.unsandboxed, limits=limits)
    except SandboxUnavailable as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
