"""Grading a whole class end to end, with every kind of broken submission.

The fixture class (tests/fixture_class.py) is graded by the instructor's command; each
student must get the expected score and a reason that says what happened, and nobody
may be skipped. A second, small class checks that grading is repeatable and that a
re-submission replaces the old one.
"""

import csv
from pathlib import Path

import pytest

from ci import grading
from ci.grade_class import grade_class
from tests import fixture_class

ROOT = Path(__file__).resolve().parents[1]
LIMITS = {"cell_timeout": 10, "notebook_timeout": 180, "memory_mb": 8192}


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fixture_class")
    expected = fixture_class.build(folder / "submitted")
    output = folder / "grades"
    rows = grade_class(folder / "submitted", output, [fixture_class.ASSIGNMENT], log=print,
                       **LIMITS)
    return expected, rows, output


def test_every_submission_gets_a_row(graded_class):
    expected, rows, output = graded_class
    assert sorted(r["student"] for r in rows) == sorted(expected)
    with open(output / "grades.csv") as handle:
        written = list(csv.DictReader(handle))
    assert [r["student"] for r in written] == [r["student"] for r in rows]
    assert all(float(r["max_score"]) == fixture_class.FULL for r in written)


def test_scores_and_reasons(graded_class):
    expected, rows, _ = graded_class
    problems = []
    for row in rows:
        score, words = expected[row["student"]]
        if row["score"] != score:
            problems.append(f"{row['student']}: score {row['score']}, expected {score} "
                            f"(reason: {row['reason']!r})")
        for word in words:
            if word not in row["reason"]:
                problems.append(f"{row['student']}: reason {row['reason']!r} lacks {word!r}")
        if not words and row["reason"]:
            problems.append(f"{row['student']}: unexpected reason {row['reason']!r}")
    assert not problems, "\n".join(problems)


def test_feedback_for_every_graded_submission(graded_class):
    expected, rows, output = graded_class
    for row in rows:
        page = output / "feedback" / row["student"] / f"{fixture_class.ASSIGNMENT}.html"
        if row["score"] > 0:
            assert page.exists(), f"no feedback page for {row['student']}"
    assert "echo_shift" in (output / "feedback" / "partly_correct" /
                            f"{fixture_class.ASSIGNMENT}.html").read_text()


def test_student_code_writes_only_into_the_scratch_output(graded_class):
    assert not (ROOT / "escaped.txt").exists()
    assert not list(ROOT.glob("**/escaped.txt"))


def test_grading_twice_is_repeatable_and_resubmission_replaces(tmp_path):
    blank = grading.student_version(fixture_class.ASSIGNMENT)
    answers = grading.solution_sources(fixture_class.ASSIGNMENT)
    correct = grading.with_answers(blank, answers)
    partly = grading.with_answers(blank, {"echo_series": answers["echo_series"]})
    submitted = tmp_path / "submitted"
    fixture_class._write(submitted, "ada", nb=correct)
    fixture_class._write(submitted, "bob", nb=partly)
    first = grade_class(submitted, tmp_path / "run1", log=print, **LIMITS)
    second = grade_class(submitted, tmp_path / "run2", log=print, **LIMITS)
    assert (tmp_path / "run1" / "grades.csv").read_text() == (
        tmp_path / "run2" / "grades.csv").read_text()
    assert first == second
    # Bob re-submits a complete notebook into the same folder: only that counts now.
    fixture_class._write(submitted, "bob", nb=correct)
    third = {(r["student"], r["assignment"]): r for r in
             grade_class(submitted, tmp_path / "run3", log=print, **LIMITS)}
    assert third["bob", fixture_class.ASSIGNMENT]["score"] == fixture_class.FULL
    # Assignments a student has not submitted are listed, with a reason, not skipped.
    others = [r for key, r in third.items() if key[1] != fixture_class.ASSIGNMENT]
    assert others and all(r["score"] == 0 and "nothing submitted" in r["reason"] for r in others)
