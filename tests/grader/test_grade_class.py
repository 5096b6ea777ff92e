"""Grading a whole class end to end: every kind of broken submission, and students
who attack the grader.

The fixture class (tests/fixture_class.py) is graded by the instructor's command, in
the sandbox. Each student gets the expected score and a reason that says what happened;
nobody is skipped; the submissions folder is byte-identical afterwards; no file outside
the grader's scratch is written; no process outlives grading; no feedback page shows a
hidden test. A second, small class checks that grading is repeatable and that a
re-submission replaces the old one.
"""

import csv
import subprocess
import time

import pytest

from grading import course
from grading.grade import grade_class
from grading.report import checksum_tree
from grading.sandbox import Limits
from tests.conftest import ROOT
from tests.grader import fixture_class

# Assignment 1's cells take well under a second; the student stuck in a loop burns a
# core until each of three cells hits the limit, so the limit is short.
LIMITS = Limits(cell_timeout=5, notebook_timeout=180)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fixture_class")
    output = folder / "grades"
    outside = folder / "outside.txt"
    fixture_class.TARGETS[:] = [str(output / "grades.csv"), str(outside),
                                str(folder / "submitted" / "correct" / fixture_class.ASSIGNMENT
                                    / f"{fixture_class.ASSIGNMENT}.ipynb")]
    expected = fixture_class.build(folder / "submitted")
    before = checksum_tree(folder / "submitted")
    results = grade_class(folder / "submitted", output, [fixture_class.ASSIGNMENT],
                          limits=LIMITS, log=print)
    csv_text = (output / "grades.csv").read_text()
    time.sleep(5)  # the lingering process would write after 3 s
    return {"expected": expected, "results": results, "output": output, "folder": folder,
            "before": before, "csv": csv_text, "outside": outside}


def test_every_submission_gets_a_row(graded_class):
    expected, output = graded_class["expected"], graded_class["output"]
    with open(output / "grades.csv") as handle:
        written = list(csv.DictReader(handle))
    assert sorted(r["student"] for r in written) == sorted(expected)
    assert all(float(r["max_score"]) == fixture_class.FULL for r in written)


def test_scores_and_reasons(graded_class):
    problems = []
    for result in graded_class["results"]:
        row = result.row()
        score, words = graded_class["expected"][row["student"]]
        if row["score"] != score:
            problems.append(f"{row['student']}: score {row['score']}, expected {score} "
                            f"(reason: {row['reason']!r})")
        for word in words:
            if word not in row["reason"] + row["status"]:
                problems.append(f"{row['student']}: reason {row['reason']!r} lacks {word!r}")
        if not words and row["reason"]:
            problems.append(f"{row['student']}: unexpected reason {row['reason']!r}")
    assert not problems, "\n".join(problems)


def test_tampering_earns_nothing(graded_class):
    """Flagged or not, no tampering earns more than the same honest code: the tests run
    in an interpreter the student's code cannot reach."""
    honest = {r.student: r for r in graded_class["results"]}["partly_correct"].score
    tamperers = [r for r in graded_class["results"]
                 if r.student.startswith(("hostile", "shortcut"))]
    assert len(tamperers) >= 11
    for result in tamperers:
        assert result.score <= honest and result.observed_score <= honest, result.row()
        if result.status == "needs review":
            assert result.score == 0, result.row()


def test_the_sandbox_hides_the_solutions(graded_class):
    thief = {r.student: r for r in graded_class["results"]}["hostile_solutions"]
    assert thief.observed_score == 0, thief.row()


def test_submissions_are_never_modified(graded_class):
    assert checksum_tree(graded_class["folder"] / "submitted") == graded_class["before"]


def test_nothing_outside_the_scratch_is_written(graded_class):
    assert (graded_class["output"] / "grades.csv").read_text() == graded_class["csv"]
    assert not graded_class["outside"].exists()
    assert not list(ROOT.glob("**/escaped.txt"))


def test_no_process_outlives_grading(graded_class):
    found = subprocess.run(["pgrep", "-f", fixture_class.MARKER], capture_output=True,
                           text=True, check=False)
    assert found.stdout == "", f"processes left running: {found.stdout}"


def test_feedback_shows_no_hidden_test(graded_class):
    hidden = course.hidden_test_lines(fixture_class.ASSIGNMENT)
    assert hidden, "assignment 1 has hidden tests"
    pages = list((graded_class["output"] / "feedback").rglob("*.html"))
    assert len(pages) >= 15
    solutions = [line.strip() for text in course.solution_sources(
        fixture_class.ASSIGNMENT).values() for line in text.splitlines() if len(line) > 25]
    for page in pages:
        text = page.read_text()
        leaked = [line for line in hidden + solutions if line in text]
        assert not leaked, f"{page} shows {leaked[:3]}"
    partly = (graded_class["output"] / "feedback" / "partly_correct" /
              f"{fixture_class.ASSIGNMENT}.html").read_text()
    assert "xor_values" in partly and "5 / 12" in partly


def test_grading_twice_is_repeatable_and_resubmission_replaces(tmp_path):
    blank = course.student_version(fixture_class.ASSIGNMENT)
    answers = course.solution_sources(fixture_class.ASSIGNMENT)
    correct = course.with_answers(blank, answers)
    partly = course.with_answers(blank, {"xor_echo_series": answers["xor_echo_series"]})
    submitted = tmp_path / "submitted"
    fixture_class._write(submitted, "ada", nb=correct)
    fixture_class._write(submitted, "bob", nb=partly)
    names = [fixture_class.ASSIGNMENT, "assignment2_expected_losses"]
    first = grade_class(submitted, tmp_path / "run1", names, limits=LIMITS, log=print)
    second = grade_class(submitted, tmp_path / "run2", names, limits=LIMITS, log=print)
    assert (tmp_path / "run1" / "grades.csv").read_text() == (
        tmp_path / "run2" / "grades.csv").read_text()
    assert [r.row() for r in first] == [r.row() for r in second]
    # Bob re-submits a complete notebook into the same folder: only that counts now.
    fixture_class._write(submitted, "bob", nb=correct)
    third = {(r.student, r.assignment): r for r in
             grade_class(submitted, tmp_path / "run3", names, limits=LIMITS, log=print)}
    assert third["bob", fixture_class.ASSIGNMENT].score == fixture_class.FULL
    # Assignments a student has not submitted are listed, with a reason, not skipped.
    others = [r for key, r in third.items() if key[1] != fixture_class.ASSIGNMENT]
    assert others and all(r.score == 0 and "nothing submitted" in r.row()["reason"]
                          for r in others)
