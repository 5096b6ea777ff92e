"""Notebooks graded together in one kernel (how the course grades its own wrong
answers) score as they score alone, and a reset that leaves a name behind is caught."""

from grading import course, grade

ASSIGNMENT = "assignment1_data"  # NumPy only: a kernel starts in about a second


def notebooks():
    blank = course.student_version(ASSIGNMENT)
    return {"solution": course.with_answers(blank, course.solution_sources(ASSIGNMENT)),
            "blank": blank}


def test_together_scores_as_alone():
    together = grade.grade_together(ASSIGNMENT, notebooks(), sandboxed=False)
    solution, blank = together["solution"], together["blank"]
    assert solution.status == "graded" and solution.score == solution.max_score > 0, \
        solution.row()
    assert blank.status == "graded" and blank.score == 0, blank.row()


def test_a_name_that_survives_the_reset_stops_the_batch(monkeypatch):
    monkeypatch.setattr(grade, "RESET_BETWEEN", grade.RESET_BETWEEN.replace("%reset -f", ""))
    together = grade.grade_together(ASSIGNMENT, notebooks(), sandboxed=False)
    for result in together.values():
        assert result.status == "not graded" and result.score == 0, result.row()
        assert "names survived the reset" in result.row()["reason"], result.row()
