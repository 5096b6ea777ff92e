"""The graded tests of every assignment must be able to fail.

For each assignment, graded by the grader's own code, in the sandbox: the instructor's
solution scores full marks, the untouched student version scores zero on every
autograded cell, and each plausible wrong answer loses exactly the points of the tests
it should fail. Wrong answers live in the assignment's own folder of tests/.

The solution and the blank are graded exactly as a student's submission is, one kernel
each. The wrong answers are the course's own code, so they are graded in batches that
share a kernel (grading.grade.grade_together: rebuilt, screened and scored the same way,
the namespace emptied between two notebooks and checked empty), which pays TensorFlow's
import once per batch instead of once per wrong answer. The batches also grade the
solution after a wrong answer and the blank after the last one: both must score what
they score alone.
"""

import os

import pytest

from grading import course
from grading.grade import feedback_page, run_tasks
from tests.conftest import wrong_answers

ASSIGNMENTS = course.assignments()
# Wrong answers per shared kernel: small enough that the last batch to finish is short.
BATCH = 5
# Grading time of each assignment's submissions, longest first (measured 2026-11-30);
# the others follow in course order. Only the order matters: both cores stay busy.
LONGEST_FIRST = ["assignment7_dropout", "assignment3_truncated_bptt", "assignment5_lstm",
                 "assignment4_static_dynamic", "assignment6_multilayer"]


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


def tasks(assignment):
    """One task for the solution, one for the blank, and batches of the wrong answers;
    the first batch grades the solution again after its first wrong answer, the last
    one the blank again after all of it."""
    notebooks = submissions(assignment)
    wrong = [s for s in notebooks if s.startswith("wrong")]
    batches = [wrong[i:i + BATCH] for i in range(0, len(wrong), BATCH)] or [[]]
    batches[0][1:1] = ["solution"]
    batches[-1].append("blank")
    alone = [{"student": s, "assignment": assignment, "notebook": notebooks[s][1]}
             for s in ("solution", "blank")]
    shared = [{"together": True, "assignment": assignment,
               "notebooks": {(f"{s} (batched)" if s in ("solution", "blank") else s):
                             notebooks[s][1] for s in batch}} for batch in batches]
    return shared + alone


@pytest.fixture(scope="module")
def every_assignment_graded(request):
    """{assignment: {student: Result}}: the assignments of the selected tests (all, or
    those picked with -k), graded in one pool of workers (one per core), longest first."""
    selected = {item.callspec.params["graded"] for item in request.session.items
                if "graded" in getattr(getattr(item, "callspec", None), "params", {})}
    order = sorted(selected, key=lambda a: LONGEST_FIRST.index(a)
                   if a in LONGEST_FIRST else len(LONGEST_FIRST))
    work = [task for assignment in order for task in tasks(assignment)]
    graded = {a: {} for a in ASSIGNMENTS}
    for task, result in zip(work, run_tasks(work, os.cpu_count() or 1)):
        results = result if task.get("together") else {result.student: result}
        graded[task["assignment"]].update(results)
    return graded


@pytest.fixture(params=ASSIGNMENTS)
def graded(request, every_assignment_graded):
    assignment = request.param
    names = {s: name for s, (name, _) in submissions(assignment).items()}
    return wrong_answers(assignment), names, every_assignment_graded[assignment]


def test_solution_scores_full_marks(graded):
    _, _, results = graded
    for name in ("solution", "solution (batched)"):
        solution = results[name]
        assert solution.status == "graded", (name, solution.row())
        assert solution.score == solution.max_score > 0, (name, solution.row())
    assert results["solution (batched)"].cells == results["solution"].cells


def test_untouched_student_version_scores_zero(graded):
    _, _, results = graded
    for name in ("blank", "blank (batched)"):
        nonzero = {cell: s for cell, s in results[name].cells.items() if s != 0}
        assert not nonzero, f"the {name} notebook earns points in {nonzero}"


def test_each_wrong_answer_loses_exactly_its_points(graded):
    wrong, names, results = graded
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
    assignment = request.node.callspec.params["graded"]
    hidden = course.hidden_test_lines(assignment)
    for name, result in results.items():
        page = feedback_page(result)
        leaked = [line for line in hidden if line in page]
        assert not leaked, f"the feedback page of {name} shows hidden test lines {leaked[:3]}"
