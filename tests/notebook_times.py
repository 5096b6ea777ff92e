"""pytest plugin: add up the time of every nbval cell and print one line per notebook.

nbval reports each cell as its own test item; an instructor wants to know how long a
whole chapter takes, so the per-cell times are summed by notebook at the end of the run.
"""

import collections
import os

# Kernels started by nbval inherit this: TensorFlow's C++ start-up log lines (which
# differ between CPU and GPU machines) stay out of the outputs nbval compares.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

_seconds = collections.defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _seconds:
        return
    terminalreporter.section("notebook execution times")
    for path, seconds in sorted(_seconds.items()):
        terminalreporter.write_line(f"{seconds:8.1f} s  {path}")
    terminalreporter.write_line(f"{sum(_seconds.values()):8.1f} s  total")
