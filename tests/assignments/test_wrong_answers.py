"""The graded tests of every assignment must be able to fail.

For each assignment, graded by the same pipeline that grades a class (sandboxed): the
instructor's solution scores full marks, the untouched student version scores zero on
every autograded cell, and each plausible wrong answer loses exactly the points of the
tests it should fail. Wrong answers live in the assignment's own folder of tests/.
"""

import pytest

from grading import course
from grading.grade import feedback_page, grade_notebooks
from tests.conftest import wrong_answers

ASSIGNMENTS = course.assignments()


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request):
    assignment = request.param
    wrong = wrong_answers(assignment)
    correct = course.solution_sources(assignment)
    blank = course.student_version(assignment)
    submissions = {"solution": course.with_answers(blank, correct), "blank": blank}
    students = {}
    for index, (name, (grade_id, source, _)) in enumerate(wrong.items()):
        student = f"wrong{index:02d}"
        students[student] = name
        submissions[student] = course.with_answers(blank, {**correct, grade_id: source})
    return wrong, students, grade_notebooks(assignment, submissions)


def test_solution_scores_full_marks(graded):
    _, _, results = graded
    solution = results["solution"]
    assert solution.status == "graded", solution.row()
    assert solution.score == solution.max_score > 0, solution.row()


def test_untouched_student_version_scores_zero(graded):
    _, _, results = graded
    nonzero = {cell: s for cell, s in results["blank"].cells.items() if s != 0}
    assert not nonzero, f"the blank notebook earns points in {nonzero}"


def test_each_wrong_answer_loses_exactly_its_points(graded):
    wrong, students, results = graded
    full = results["solution"].cells
    problems = []
    for student, name in students.items():
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
