"""The pieces of a term's grading, each on its own (the whole term: test_term.py)."""

import nbformat
import pytest

from grading import course, limits, statistics
from grading.late import PenaltyPerDay
from grading.nbgrader_plugins import feedback_cells
from grading.scoring import Result
from grading.term import Term, autograded_notebook
from tests.conftest import ROOT

DAY = 86400


def test_late_penalty_per_started_day_after_the_grace():
    plugin = PenaltyPerDay(percent_per_day=10.0, grace_minutes=15.0)
    assert plugin.late_submission_penalty("s", 10.0, 0) == 0.0
    assert plugin.late_submission_penalty("s", 10.0, 14 * 60) == 0.0
    assert plugin.late_submission_penalty("s", 10.0, 16 * 60) == pytest.approx(1.0)
    assert plugin.late_submission_penalty("s", 10.0, DAY + 16 * 60) == pytest.approx(2.0)
    # Days count from the due date: 24 h 10 min late is a second started day.
    assert plugin.late_submission_penalty("s", 10.0, DAY + 10 * 60) == pytest.approx(2.0)
    harsh = PenaltyPerDay(percent_per_day=60.0, grace_minutes=0.0)
    assert harsh.late_submission_penalty("s", 10.0, 2 * DAY) == 10.0  # never past the score


def test_the_course_configures_the_late_policy_and_keeps_the_term_out_of_build():
    term = Term.from_config(root=ROOT)
    assert isinstance(term.late.plugin_inst, PenaltyPerDay)
    build = (ROOT / "_build").resolve()
    for step in ("submitted", "autograded", "feedback"):
        assert build not in term.path(step).resolve().parents, step
    assert build not in term.folder.resolve().parents
    assert term.folder.resolve() == (ROOT / "term").resolve()


def test_limits_come_from_the_solutions_time_with_floors():
    assert limits.derive([(1.2, "a"), (0.3, "b")]) == (limits.CELL_FLOOR, limits.NOTEBOOK_FLOOR)
    assert limits.derive([(5.0, "x")] * 30) == (50, 750)


def test_every_assignment_has_recorded_limits():
    recorded = limits.recorded()["assignments"]
    assert sorted(recorded) == course.assignments(), "run `make limits`"
    for name, entry in recorded.items():
        assert entry["cell_timeout"] >= limits.CELL_FLOOR, name
        assert entry["notebook_timeout"] >= limits.NOTEBOOK_FLOOR, name
        assert limits.limits_for(name).cell_timeout == entry["cell_timeout"]


def _row(student, tests, score, status="graded"):
    return {"student": student, "assignment": A, "tests": tests, "score": score,
            "status": status}


A = "assignment8_char_model"


def test_statistics_flag_a_test_nobody_passes_and_one_the_solution_fails():
    points = dict(course.tests(A))
    full = dict(points)
    rows = [_row("ada", {**full, "generate_values": 0.0}, 9.0),
            _row("bob", {**{k: 0.0 for k in points}, "bigram_small": 2.0}, 2.0),
            _row("cy", {}, 0.0, "no submission")]
    reference = Result("solution", A, tests=[
        {"name": k, "points": p, "score": 0.0 if k == "sample_draws" else p, "message": ""}
        for k, p in points.items()])
    summary = statistics.summarise(rows, {A: reference}, [A])[A]
    by_name = {t["name"]: t for t in summary["tests"]}
    assert by_name["bigram_small"]["passed"] == 1.0 and by_name["bigram_small"]["mean"] == 2.0
    assert by_name["temperature_values"]["passed"] == 0.5
    assert by_name["generate_values"]["flags"] == ["nobody passed"]
    assert by_name["sample_draws"]["flags"] == ["the instructor's solution fails it"]
    assert summary["submissions"] == 2 and summary["absent"] == 1
    assert summary["histogram"] == [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]  # 2 and 9 of 11
    assert "nobody passed" in statistics.as_text({A: summary})


def test_feedback_shows_no_hidden_test_and_no_output_but_the_graders():
    hidden = course.hidden_test_lines(A)
    result = Result("ada", A, tests=[{"name": g, "points": p, "score": 0.0,
                                      "message": "AssertionError: wrong"}
                                     for g, p in course.tests(A)])
    source = course.source_notebook(A)
    result.notebook = nbformat.v4.new_notebook()
    for cell in source.cells:
        if cell.cell_type == "code":  # every cell "printed" a hidden test
            ran = nbformat.v4.new_code_cell(cell.source)
            ran.outputs = [nbformat.v4.new_output("stream", name="stdout", text=hidden[0])]
            result.notebook.cells.append(ran)
    nb = feedback_cells(autograded_notebook(result), A, {"tests": result.tests})
    text = nbformat.writes(nb)
    assert not [line for line in hidden if line in text]
    release = course.student_version(A)
    assert [c.source for c in nb.cells if course.is_test(c)] == [
        c.source for c in release.cells if course.is_test(c)]
    assert "[grader] AssertionError: wrong" in text
    assert [c.source for c in nb.cells if c.cell_type == "markdown"] == [
        c.source for c in release.cells if c.cell_type == "markdown"]


def test_make_clean_keeps_the_term():
    """`make clean` removes only what it names; none of it holds the term's files."""
    lines = (ROOT / "Makefile").read_text().split("\nclean:", 1)[1].splitlines()[1:]
    removed = [w for line in lines if line.startswith("\t") for w in line.split()
               if w not in ("rm", "-rf")]
    assert removed, "the clean recipe"
    term = Term.from_config(root=ROOT)
    kept = [term.folder, term.path("submitted"), term.path("autograded"),
            term.path("feedback")]
    for name in removed:
        target = (ROOT / name).resolve()
        assert all(target != k.resolve() and target not in k.resolve().parents
                   for k in kept), name
