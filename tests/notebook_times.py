"""pytest plugin: the time of every nbval cell summed per notebook, and the wrong-answer
suite's grading time per assignment, printed at the end of the run.

nbval reports each cell as its own test item; an instructor wants to know how long a
whole chapter takes, so the per-cell times are summed by notebook at the end of the run.
"""

import collections
import os

# Kernels started by nbval inherit this: TensorFlow's C++ start-up log lines (which
# differ between CPU and GPU machines) stay out of the outputs nbval compares.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

_seconds = collections.defaultdict(float)
# {what was graded: (seconds of one worker, notebooks)}, filled by the wrong-answer suite.
grading = {}


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    if grading:
        terminalreporter.section("grading time per assignment (seconds of one worker)")
        for name, (seconds, count) in sorted(grading.items(), key=lambda kv: -kv[1][0]):
            terminalreporter.write_line(
                f"{seconds:8.1f} s  {count:3d} notebooks  {seconds / count:5.2f} s each  {name}")
    if not _seconds:
        return
    terminalreporter.section("notebook execution times")
    for path, seconds in sorted(_seconds.items()):
        terminalreporter.write_line(f"{seconds:8.1f} s  {path}")
    terminalreporter.write_line(f"{sum(_seconds.values()):8.1f} s  total")
