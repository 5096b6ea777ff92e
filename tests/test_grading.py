"""The graded tests of every assignment must be able to fail.

For each assignment, in one nbgrader run: the instructor's solution scores full marks,
the untouched student version scores zero on every autograded cell, and each plausible
wrong answer loses exactly the points of the tests it should fail.
"""

import importlib

import pytest

from ci import grading

ASSIGNMENTS = grading.assignments()


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    assignment = request.param
    number = assignment.split("_")[0].removeprefix("assignment")
    wrong = importlib.import_module(f"tests.wrong_answers_assignment{number}").WRONG_ANSWERS
    workdir = grading.prepare_course(tmp_path_factory.mktemp(assignment), assignment)
    correct = grading.solution_sources(assignment)
    blank = grading.student_version(assignment)
    submissions = {"solution": grading.with_answers(blank, correct), "blank": blank}
    students = {}
    for index, (name, (grade_id, source, _)) in enumerate(wrong.items()):
        student = f"wrong{index:02d}"
        students[student] = name
        submissions[student] = grading.with_answers(blank, {**correct, grade_id: source})
    scores = grading.autograde(workdir, assignment, submissions)
    return assignment, wrong, students, scores


def test_solution_scores_full_marks(graded):
    _, _, _, scores = graded
    assert scores["solution"]["total"] == scores["solution"]["max_total"] > 0, scores["solution"]


def test_untouched_student_version_scores_zero(graded):
    _, _, _, scores = graded
    nonzero = {cell: s for cell, s in scores["blank"].items() if cell != "max_total" and s != 0}
    assert not nonzero, f"the blank notebook earns points in {nonzero}"


def test_each_wrong_answer_loses_exactly_its_points(graded):
    _, wrong, students, scores = graded
    full = scores["solution"]
    problems = []
    for student, name in students.items():
        should_fail = wrong[name][2]
        for cell, points in full.items():
            if cell in ("total", "max_total"):
                continue
            got = scores[student][cell]
            if cell in should_fail and got != 0:
                problems.append(f"{name!r}: {cell} should score 0, scored {got}")
            if cell not in should_fail and got != points:
                problems.append(f"{name!r}: {cell} should keep {points}, scored {got}")
    assert not problems, "\n".join(problems)
