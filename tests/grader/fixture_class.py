"""A class of submissions to assignment 1 that exercises everything that goes wrong.

build(folder) writes nbgrader's submitted/<student>/<assignment>/ layout and returns
{student: (expected score, words the reason must contain)}. It is built from the
committed student version at test time, so it never goes stale. The hostile students
at the end attack the grader itself: they must be marked "needs review" (score 0) and
must change nothing outside their scratch copy. Used by tests/grader/test_grade_class.py;
`python -m tests.fixture_class DIR` writes it for a try-out of
`make grade SUBMISSIONS=DIR` (after `make assignments`).
"""

import copy
import json
import sys
from pathlib import Path

import nbformat

from grading import course as grading

ASSIGNMENT = "assignment1_data"
FULL = 12.0


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _write(folder, student, nb=None, name=f"{ASSIGNMENT}.ipynb", raw=None):
    target = Path(folder) / student / ASSIGNMENT
    target.mkdir(parents=True, exist_ok=True)
    if raw is not None:
        (target / name).write_bytes(raw)
    elif nb is not None:
        nbformat.write(nb, target / name)


def build(folder):
    blank = grading.student_version(ASSIGNMENT)
    answers = grading.solution_sources(ASSIGNMENT)
    correct = grading.with_answers(blank, answers)
    expected = {}

    def add(student, score, reason_words, **kwargs):
        _write(folder, student, **kwargs)
        expected[student] = (score, reason_words)

    add("correct", FULL, [], nb=correct)
    # Part 1 (3 points) and part 3 (2 points) right, the rest left as the stub.
    right = ("xor_echo_series", "window_position")
    partly = grading.with_answers(blank, {k: answers[k] for k in right})
    add("partly_correct", 5.0, [], nb=partly)
    add("blank", 0.0, [], nb=blank)

    forever = "def unbatch(windows):\n    while True:\n        pass\n"
    looping = grading.with_answers(correct, {"unbatch": forever})
    # unbatch's 3 points are lost (each of its tests stopped at the limit), nothing else.
    add("infinite_loop", 9.0, ["time limit", "unbatch_order", "unbatch_general"], nb=looping)

    edited = copy.deepcopy(blank)
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "assert True  # the student made every test pass"
    add("tests_edited", 0.0, ["test cells edited", "instructor's tests"], nb=edited)

    deleted = copy.deepcopy(correct)
    deleted.cells = [c for c in deleted.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    add("tests_deleted", FULL, ["test cells edited or deleted"], nb=deleted)

    no_solution = copy.deepcopy(correct)
    no_solution.cells.remove(_cell(no_solution, "xor_echo_series"))
    add("solution_deleted", 9.0, ["solution cells missing", "xor_echo_series"], nb=no_solution)

    reordered = copy.deepcopy(correct)
    reordered.cells = list(reversed(reordered.cells))
    add("reordered", FULL, ["reordered"], nb=reordered)

    add("renamed", FULL, ["named"], nb=correct, name="Assignment 1 (copy).ipynb")
    (Path(folder) / "missing" / ASSIGNMENT).mkdir(parents=True)
    expected["missing"] = (0.0, ["no notebook"])
    add("invalid_json", 0.0, ["not valid JSON"], raw=b'{"cells": [ this is not json')
    add("empty_file", 0.0, ["empty"], raw=b"")

    # Saved by a Jupyter from 2014 (nbformat 3): read, converted and graded as usual.
    add("old_jupyter", FULL, [], raw=nbformat.writes(copy.deepcopy(correct), version=3).encode())
    newer = json.loads(nbformat.writes(correct))
    newer["nbformat"] = 5
    add("newer_jupyter", 0.0, ["nbformat version 5"], raw=json.dumps(newer).encode())

    chatty = grading.with_answers(correct, {"xor_echo_series": answers["xor_echo_series"].replace(
        "    ### BEGIN SOLUTION", "    print('x' * 4_000_000)")})
    add("huge_output", FULL, [], nb=chatty)
    dying = grading.with_answers(correct, {"window_position": "import os\nos._exit(1)\n"})
    add("kernel_dies", 0.0, ["kernel died"], nb=dying)
    hog = grading.with_answers(correct, {"window_position": "hog = bytearray(64 * 2**30)\n"})
    # The allocation fails under the memory limit: window_position's 2 points are lost,
    # the rest keeps its points.
    add("memory_hog", 10.0, ["MemoryError"], nb=hog)
    snooping = grading.with_answers(correct, {"xor_echo_series": answers["xor_echo_series"] + (
        "\nimport os\n"
        "# the scratch course keeps no instructor notebooks next to running code\n"
        "assert not os.path.exists('../../../source'), os.listdir('../../..')\n"
        "with open('../../../../escaped.txt', 'w') as f:\n"
        "    f.write('written outside the submission folder')\n")})
    add("snooping", 0.0, ["needs review", "imports os"], nb=snooping)
    # Metadata nbgrader never writes: one solution cell's nbgrader metadata a string,
    # another's grade id a list, a third's source null. Each such cell counts as
    # missing (graded as blank); the notebook is graded, and the class with it.
    odd = json.loads(nbformat.writes(correct))
    for cell in odd["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid == "window_position":
            cell["metadata"]["nbgrader"] = "x"
        elif gid == "unbatch":
            cell["metadata"]["nbgrader"]["grade_id"] = ["unbatch"]
        elif gid == "lagged_series":
            cell["source"] = None
    # lagged_series (4 points) runs empty, window_position (2) and unbatch (3) missing.
    add("odd_metadata", 3.0, ["solution cells missing", "window_position", "unbatch"],
        raw=json.dumps(odd).encode())
    # An assignment folder that is a link (an unpacked archive keeps links): to the
    # solutions, it would earn full marks as the student's.
    linked = Path(folder) / "linked_folder"
    linked.mkdir(parents=True)
    (linked / ASSIGNMENT).symlink_to(grading.SOLUTIONS / ASSIGNMENT)
    expected["linked_folder"] = (0.0, ["symbolic link"])
    add_hostile(folder, expected, blank, answers, partly)
    return expected



REVIEW = "needs review"
# Files outside every submission that hostile kernels try to write: the grades CSV and
# another student's notebook. tests/grader/test_grade_class.py points them at its own paths.
TARGETS = ["/tmp/rnn-grade-escaped.txt"]
MARKER = "rnn-grade-lingering-marker"

LINGERING = '''
import subprocess, sys
subprocess.Popen([sys.executable, "-c", """
import time, pathlib
time.sleep(3)
for target in TARGETS:
    try:
        pathlib.Path(target).write_text("student,assignment,score\\\\nhostile,a,12")
    except OSError:
        pass
time.sleep(600)  # MARKER
"""], start_new_session=True)
'''

OVERWRITE = '''
import glob
for path in glob.glob("/**/*.ipynb", recursive=True) + TARGETS:
    try:
        with open(path, "w") as handle:
            handle.write("overwritten")
    except OSError:
        pass
'''

SOLUTION_THIEF = '''
import os, json
for top, dirs, files in os.walk("/"):
    if "assignment1_data.ipynb" in files:
        text = open(os.path.join(top, "assignment1_data.ipynb")).read()
        if "BEGIN SOLUTION" in text:
            for cell in json.loads(text)["cells"]:
                if "BEGIN SOLUTION" in "".join(cell["source"]):
                    exec("".join(cell["source"]), globals())
'''


def add_hostile(folder, expected, blank, answers, partly):
    """Students who attack the grader; `partly` earns 5 of 12 honestly."""
    targets = repr(list(TARGETS))

    def tamper(student, code, words, base=partly, own=answers["xor_echo_series"], score=None):
        """score: what it earns unflagged (the screen of a two-interpreter assignment
        flags only what could hide a name from the rules); flagged, it earns 0."""
        code = code.replace("TARGETS", targets).replace("MARKER", MARKER)
        nb = grading.with_answers(base, {"xor_echo_series": own + "\n" + code})
        _write(folder, student, nb=nb)
        expected[student] = (0.0, [REVIEW, *words]) if score is None else (score, words)

    # Every later cell becomes `pass`, so every test "passes" (in one kernel); in two,
    # the student's kernel no longer answers: nothing is earned.
    tamper("hostile_later_cells",
           "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])",
           ["never started"], score=0.0)
    # The comparison functions the tests use are replaced by ones that always agree.
    tamper("hostile_numpy",
           "np.testing.assert_array_equal = lambda *a, **k: None\n"
           "np.array_equal = lambda *a, **k: True\n"
           "from numpy import testing as t\nt.assert_allclose = lambda *a, **k: None\n",
           [], score=5.0)
    # Errors swallowed by a custom exception handler.
    tamper("hostile_exceptions",
           "get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)", [], score=5.0)
    # No code of its own: finds the instructor's notebook on disk and runs it.
    tamper("hostile_solutions", SOLUTION_THIEF, ["imports os", "uses exec"], base=blank, own="")
    # Leaves a process behind that later rewrites the grades and another student's work.
    tamper("hostile_lingering", LINGERING, ["imports subprocess"])
    # Overwrites every notebook it can reach, other students' included.
    tamper("hostile_overwrite", OVERWRITE, ["imports glob"])
    # Not flagged by the screen, and harmless because the tests run in another
    # interpreter (grading.interpreters): each must earn no more than honest work.
    unflagged(folder, expected, answers, partly)
    # The graded parts imported from the course package instead of written.
    shortcut = grading.with_answers(blank, {
        "xor_echo_series": "from rnnbook.data import echo_series as xor_echo_series",
        "lagged_series": "from rnnbook.data import dependency_series as lagged_series"})
    _write(folder, "shortcut_package", nb=shortcut)
    expected["shortcut_package"] = (0.0, [REVIEW, "imports rnnbook.data"])


# IPython reached through attributes of a private NumPy module that imported sys (the
# screen reads names, not attribute chains); every later cell then becomes `pass`
# except the grader's check cells, which are easy to recognise.
IPYTHON_BY_ATTRIBUTES = """
shell = np._typing.sys.modules["IPython"].get_ipython()
shell.input_transformers_cleanup.append(
    lambda lines: lines if any(" + " in line and "assert" in line for line in lines)
    else ["pass\\n"])
"""
# A NumPy comparison replaced through an alias of the module.
NUMPY_BY_ALIAS = """
m = np
m.array_equal = lambda *a, **k: True
m.allclose = lambda *a, **k: True
"""
# Answers that lie: an object equal to everything, an "array" with the expected shape.
LIARS = """
class Agree:
    __hash__ = None

    def __eq__(self, other):
        return True


class Liar(Agree):
    shape = (24,)

    def __array__(self, dtype=None, copy=None):
        return np.arange(24)


def window_position(t, n, batch_size, num_steps):
    return Agree()
"""
LYING_UNBATCH = """
def unbatch(windows):
    return Liar()
"""
# Points given up to copy into the feedback what the kernel has seen (its input
# history): a hidden test's code, if the tests ran there.
LEAK = """
def unbatch(windows):
    raise ValueError("\\n".join(In))
"""


DISPLAY = """
from IPython.display import HTML, Javascript, display
display(Javascript("window.rnnGradeLeak = 1"), HTML("<script>window.rnnGradeLeak = 2</script>"))

def unbatch(windows):
    name = "Windows_" + str(sum(1 for _ in windows))
    raise type(name, (Exception,), {})()
"""


def unflagged(folder, expected, answers, partly):
    """Tampering the one-kernel screen did not flag, on top of `partly` (5 of 12
    honestly)."""

    def add(student, changes, score, words=()):
        _write(folder, student, nb=grading.with_answers(partly, changes))
        expected[student] = (score, list(words))

    own = answers["xor_echo_series"]
    # Flagged (a private part of NumPy); unflagged, its own cells would become `pass`
    # too, the grader's channel included: nothing earned either way.
    add("hostile_ipython_by_attributes",
        {"xor_echo_series": own + "\n" + IPYTHON_BY_ATTRIBUTES}, 0.0,
        [REVIEW, "np._typing"])
    add("hostile_numpy_by_alias", {"xor_echo_series": own + "\n" + NUMPY_BY_ALIAS}, 5.0)
    # window_position's 2 points lost to Agree; unbatch's 3 never earned.
    add("hostile_liars", {"window_position": LIARS, "unbatch": LYING_UNBATCH}, 3.0)
    add("hostile_leak_hidden", {"unbatch": LEAK}, 5.0)
    # Data smuggled out through an exception's type name in a hidden test, and a page
    # that would run script in formgrader: flagged for the import; the name and the
    # script never reach a page either way (test_grade_class checks).
    add("hostile_display", {"unbatch": DISPLAY}, 0.0, [REVIEW, "IPython"])


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/fixture_class")
    for student, (score, words) in build(target).items():
        print(f"{student:>18}: expect {score:4.1f} {words}")
    print(f"written to {target}; grade with: make grade SUBMISSIONS={target}")
