"""The graded tests of every assignment must be able to fail.

For each assignment, graded by the grader's own code, in the sandbox: the instructor's
solution scores full marks, the untouched student version scores zero on every
autograded cell, and each plausible wrong answer loses exactly the points of the tests
it should fail. Wrong answers live in the assignment's own folder of tests/.

An assignment whose tests run in a trusted interpreter of their own (grading.interpreters)
is graded both ways: in two interpreters, as the grader does, every notebook; in one
kernel, as a student runs the notebook, its solution and its blank, so that the tests
also hold in the student's own kernel. The wrong answers are graded the way grades are
given: an assignment graded in two interpreters never gives a grade from one kernel.
(Grading them in one kernel as well cost 300 s of one worker per CI run, 2026-12-03.)

Each way, an assignment is graded in two kernels (grading.grade.grade_together): each notebook is
rebuilt, screened and scored as a student's submission is, and the kernel's namespace is
emptied (and checked empty) between two notebooks, so TensorFlow is imported twice per
assignment instead of once per notebook. The solution opens one kernel and the blank
the other, so both are graded in a fresh kernel exactly as a student's would be; the
solution is graded once more at the end, after every other notebook, and must score
the same.
"""

import os

import nbformat
import pytest

from grading import course
from grading.grade import grade_together, run_tasks
from grading.limits import limits_for
from grading.nbgrader_plugins import feedback_cells
from grading.term import autograded_notebook
from tests import notebook_times
from tests.conftest import wrong_answers

ASSIGNMENTS = course.assignments()
# Grading time of each assignment, longest first (seconds of one worker in two
# interpreters, from this suite's own report on 2026-12-03: 110, 109, 55, 53, 48, 40 and
# 36 s; assignments 2 and 8, 32 and 21 s, follow in course order). Only the order
# matters: both cores stay busy to the end.
LONGEST_FIRST = ["assignment3_truncated_bptt", "assignment7_dropout", "assignment5_lstm",
                 "assignment1_data", "assignment9_seq2seq", "assignment6_multilayer",
                 "assignment4_static_dynamic"]


def submissions(assignment):
    """The solution, the blank and one notebook per wrong answer {student: (name, nb)}."""
    correct = course.solution_sources(assignment)
    blank = course.student_version(assignment)
    notebooks = {"solution": ("solution", course.with_answers(blank, correct)),
                 "blank": ("blank", blank)}
    for index, (name, (grade_id, source, _)) in enumerate(wrong_answers(assignment).items()):
        notebooks[f"wrong{index:02d}"] = (name, course.with_answers(
            blank, {**correct, grade_id: source}))
    return notebooks


def ways(assignment):
    """How the assignment is graded: in one kernel, as a student runs it (always), and
    in two interpreters, as the grader does, where the assignment says so."""
    return [ONE_KERNEL, TWO_INTERPRETERS] if course.two_interpreters(assignment) else [
        ONE_KERNEL]


ONE_KERNEL, TWO_INTERPRETERS = "one kernel", "two interpreters"


def graded_way(assignment, way):
    """True when the assignment's grades come from this way of grading: its wrong
    answers are graded this way."""
    return way == TWO_INTERPRETERS or not course.two_interpreters(assignment)


def tasks(assignment, notebooks, transcripts):
    """Per way of grading, two kernels: the solution then the first half of the wrong
    answers; the blank, the other half, and the solution again (the wrong answers only
    in the way grades are given); with the time limits a class is graded with
    (solutions/grading_limits.json), so the solution must fit them. In two interpreters,
    everything sent to the student's is recorded in transcripts/<assignment>-<k>.txt."""
    work = []
    for way in ways(assignment):
        wrong = [s for s in notebooks if s.startswith("wrong")] if graded_way(
            assignment, way) else []
        half = (len(wrong) + 1) // 2
        first = {"solution": notebooks["solution"], **{s: notebooks[s] for s in wrong[:half]}}
        second = {"blank": notebooks["blank"], **{s: notebooks[s] for s in wrong[half:]},
                  "solution (after the others)": notebooks["solution"]}
        work += [{"assignment": assignment, "notebooks": batch,
                  "limits": limits_for(assignment), "two_interpreters": way == TWO_INTERPRETERS,
                  **({"transcript": transcripts / f"{assignment}-{k}.txt"}
                     if way == TWO_INTERPRETERS else {})}
                 for k, batch in enumerate((first, second))]
    return work


@pytest.fixture(scope="module")
def transcripts(tmp_path_factory):
    return tmp_path_factory.mktemp("sent_to_the_student")


@pytest.fixture(scope="module")
def every_assignment_graded(request, transcripts):
    """{assignment: ({student: wrong answer's name}, {student: Result})}: the assignments
    of the selected tests (all, or those picked with -k), graded in one pool of workers
    (one per core), longest first."""
    selected = {item.callspec.params["graded"][0] for item in request.session.items
                if "graded" in getattr(getattr(item, "callspec", None), "params", {})}
    order = sorted(selected, key=lambda a: LONGEST_FIRST.index(a)
                   if a in LONGEST_FIRST else len(LONGEST_FIRST))
    graded, work = {}, []
    for assignment in order:
        notebooks = submissions(assignment)
        graded[assignment] = ({s: name for s, (name, _) in notebooks.items()},
                              {way: {} for way in ways(assignment)})
        work += tasks(assignment, {s: nb for s, (_, nb) in notebooks.items()}, transcripts)
    seconds = {}
    for task, results in zip(work, run_tasks(work, os.cpu_count() or 1, grade=grade_together)):
        way = TWO_INTERPRETERS if task["two_interpreters"] else ONE_KERNEL
        graded[task["assignment"]][1][way].update(results)
        key = task["assignment"], way
        total, count = seconds.get(key, (0.0, 0))
        seconds[key] = (total + sum(r.seconds for r in results.values()), count + len(results))
    # Where the step's time goes, printed at the end of the run (tests/notebook_times.py).
    for (assignment, way), (total, count) in seconds.items():
        notebook_times.grading[f"{assignment}, {way}"] = (total, count)
    return graded


@pytest.fixture(params=[(a, way) for a in ASSIGNMENTS for way in ways(a)],
                ids=lambda p: f"{p[0]}, {p[1]}")
def graded(request, every_assignment_graded):
    assignment, way = request.param
    names, results = every_assignment_graded[assignment]
    return wrong_answers(assignment), names, results[way]


def test_solution_scores_full_marks(graded):
    _, _, results = graded
    for name in ("solution", "solution (after the others)"):
        solution = results[name]
        assert solution.status == "graded", (name, solution.row())
        assert solution.score == solution.max_score > 0, (name, solution.row())
    assert results["solution (after the others)"].cells == results["solution"].cells


def test_untouched_student_version_scores_zero(graded):
    _, _, results = graded
    nonzero = {cell: s for cell, s in results["blank"].cells.items() if s != 0}
    assert not nonzero, f"the blank notebook earns points in {nonzero}"


def test_each_wrong_answer_loses_exactly_its_points(graded, request):
    wrong, names, results = graded
    if not graded_way(*request.node.callspec.params["graded"]):
        pytest.skip("no grade comes from this way of grading: its wrong answers are not "
                    "graded this way")
    assert wrong and any(s.startswith("wrong") for s in results), "no wrong answer graded"
    full = results["solution"].cells
    problems = []
    for student, name in names.items():
        if not student.startswith("wrong"):
            continue
        should_fail = wrong[name][2]
        got = results[student]
        if got.status != "graded":
            problems.append(f"{name!r}: {got.status}: {got.row()['reason']}")
            continue
        for cell, points in full.items():
            if cell in should_fail and got.cells[cell] != 0:
                problems.append(f"{name!r}: {cell} should score 0, scored {got.cells[cell]}")
            if cell not in should_fail and got.cells[cell] != points:
                problems.append(f"{name!r}: {cell} should keep {points}, "
                                f"scored {got.cells[cell]}")
    assert not problems, "\n".join(problems)


def test_no_feedback_page_shows_a_hidden_test(graded, request):
    _, _, results = graded
    assignment = request.node.callspec.params["graded"][0]
    hidden = course.hidden_test_lines(assignment)
    for name, result in results.items():
        page = nbformat.writes(feedback_cells(autograded_notebook(result), assignment,
                                              {"tests": result.tests}))
        # The submission's own code may hold a hidden test's line (wrong answers are
        # built from the solution): it is the student's to see.
        own = "\n".join(c.source for c in result.notebook.cells
                        if course.nbgrader_info(c).get("solution"))
        leaked = [line for line in hidden if line in page and line not in own]
        assert not leaked, f"the feedback page of {name} shows hidden test lines {leaked[:3]}"


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if course.two_interpreters(a)])
def test_no_byte_sent_to_the_student_holds_a_hidden_test(assignment, every_assignment_graded,
                                                         transcripts, request):
    """Every cell the student's kernel ran and every request it got while its solution,
    blank and wrong answers were graded, recorded as sent: no hidden-test line (but
    those the instructor's solution holds, which the solution notebook sends)."""
    if assignment not in every_assignment_graded:
        pytest.skip("not graded in this run")
    sent = "".join(p.read_text() for p in sorted(transcripts.glob(f"{assignment}-*.txt")))
    assert "__rnn_grader__.loop(" in sent and '"op": "call"' in sent  # it was recorded
    own = "\n".join(course.solution_sources(assignment).values())
    hidden = [line for line in course.hidden_test_lines(assignment) if line not in own]
    assert hidden, "the assignment has hidden tests"
    leaked = [line for line in hidden if line in sent]
    assert not leaked, f"sent to the student's interpreter: {leaked[:3]}"
