"""The two-interpreter run (grading.interpreters): nothing of a test reaches the
student's interpreter, and a call that never returns is stopped at the time limit."""

import pytest

from grading import course
from grading.grade import grade_submission
from grading.sandbox import Limits

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("assignment", ["assignment1_data", "assignment5_lstm"])
def test_no_byte_sent_to_the_student_holds_a_test(tmp_path, assignment):
    """Every cell the student's kernel runs and every request it gets, recorded as sent:
    no hidden-test line (but those the student's own code holds)."""
    assert course.two_interpreters(assignment)
    solution = course.with_answers(course.student_version(assignment),
                                   course.solution_sources(assignment))
    transcript = tmp_path / "sent.txt"
    result = grade_submission("solution", assignment, notebook=solution,
                              transcript=transcript)
    assert result.score == result.max_score, result.row()
    sent = transcript.read_text()
    assert "__rnn_grader__.loop(" in sent and '"op": "call"' in sent  # it was recorded
    own = "\n".join(course.solution_sources(assignment).values())  # the student's code
    hidden = [line for line in course.hidden_test_lines(assignment) if line not in own]
    assert hidden
    leaked = [line for line in hidden if line in sent]
    assert not leaked, f"sent to the student's interpreter: {leaked[:3]}"


def test_a_call_that_never_returns_is_stopped(tmp_path):
    assignment = "assignment1_data"
    answers = course.solution_sources(assignment)
    looping = course.with_answers(course.student_version(assignment), {
        **answers, "unbatch": "def unbatch(windows):\n    while True:\n        pass\n"})
    result = grade_submission("looping", assignment, notebook=looping,
                              limits=Limits(cell_timeout=5, notebook_timeout=120))
    scores = result.cells
    assert scores["unbatch_order"] == scores["unbatch_general"] == 0
    assert result.score == result.max_score - 3, result.row()
    assert "time limit" in result.row()["reason"]
