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
import hashlib
import html
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from grading import course
from grading.grade import grade_class
from grading.sandbox import Limits
from tests.conftest import ROOT, fresh_term
from tests.grader import fixture_class

# Assignment 1's cells take well under a second; the student stuck in a loop burns a
# core until each of three cells hits the limit, so the limit is short.
LIMITS = Limits(cell_timeout=5, notebook_timeout=180)


def checksum_tree(folder):
    """sha256 over every path, file content and symlink target under folder."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def page_text(page):
    """An HTML page's text as a reader sees it: no tags (nbconvert colours code token by
    token), entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def generate_feedback(term, assignment):
    """nbgrader's own generate_feedback on the term, as configured; the pages it wrote."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", assignment,
                           "--force"], cwd=term.coursedir.root, env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return sorted(term.path("feedback").rglob("*.html"))


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, generated_course):
    folder = tmp_path_factory.mktemp("fixture_class")
    term = fresh_term(generated_course, folder / "course")
    outside = folder / "outside.txt"
    fixture_class.TARGETS[:] = [str(term.folder / "grades.csv"), str(outside),
                                str(term.folder / "gradebook.db"),
                                str(folder / "submitted" / "correct" / fixture_class.ASSIGNMENT
                                    / f"{fixture_class.ASSIGNMENT}.ipynb")]
    expected = fixture_class.build(folder / "submitted")
    before = checksum_tree(folder / "submitted")
    results = grade_class(folder / "submitted", term, [fixture_class.ASSIGNMENT],
                          limits=LIMITS, log=print, reference=False)
    csv_text = (term.folder / "grades.csv").read_text()
    with open(term.folder / "gradebook.db", "rb") as handle:
        gradebook = handle.read()
    time.sleep(5)  # the lingering process would write after 3 s
    pages = generate_feedback(term, fixture_class.ASSIGNMENT)
    return {"expected": expected, "results": results, "term": term, "folder": folder,
            "before": before, "csv": csv_text, "outside": outside, "gradebook": gradebook,
            "pages": pages}


def test_every_submission_gets_a_row(graded_class):
    expected, term = graded_class["expected"], graded_class["term"]
    with open(term.folder / "grades.csv") as handle:
        written = [row for row in csv.DictReader(handle)
                   if row["assignment"] == fixture_class.ASSIGNMENT]
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
    term = graded_class["term"]
    assert (term.folder / "grades.csv").read_text() == graded_class["csv"]
    assert (term.folder / "gradebook.db").read_bytes() == graded_class["gradebook"]
    assert not graded_class["outside"].exists()
    assert not list(ROOT.glob("**/escaped.txt"))


def test_no_process_outlives_grading(graded_class):
    found = subprocess.run(["pgrep", "-f", fixture_class.MARKER], capture_output=True,
                           text=True, check=False)
    assert found.stdout == "", f"processes left running: {found.stdout}"


def test_feedback_shows_no_hidden_test(graded_class):
    hidden = course.hidden_test_lines(fixture_class.ASSIGNMENT)
    assert hidden, "assignment 1 has hidden tests"
    pages = graded_class["pages"]  # made by nbgrader's generate_feedback, as configured
    assert len(pages) >= 15
    released = "\n".join(c.source for c in course.student_version(fixture_class.ASSIGNMENT).cells)
    solutions = [line.strip() for text in course.solution_sources(
        fixture_class.ASSIGNMENT).values() for line in text.splitlines()
        if len(line) > 25 and line.strip() not in released]
    submitted = graded_class["folder"] / "submitted"
    for page in pages:
        text = page_text(page.read_text())
        student = page.parent.parent.name
        own = "\n".join(c.source or "" for p in (submitted / student).rglob("*.ipynb")
                        for c in nbformat.read(p, as_version=4).cells)
        # A student who handed in the instructor's solution sees it as their own code.
        leaked = [line for line in hidden + [s for s in solutions if s not in own]
                  if line in text]
        assert not leaked, f"{page} shows {leaked[:3]}"
    partly = (graded_class["term"].path("feedback", "partly_correct", fixture_class.ASSIGNMENT)
              / f"{fixture_class.ASSIGNMENT}.html").read_text()
    assert "xor_values" in partly and "5.0 / 12.0" in page_text(partly)


def test_what_a_student_displays_never_reaches_a_page(graded_class):
    """Formgrader renders autograded/ in the instructor's logged-in browser: text and
    images only. A class name chosen to carry a hidden test's inputs is not shown."""
    term, a = graded_class["term"], fixture_class.ASSIGNMENT
    for notebook in term.path("autograded").rglob("*.ipynb"):
        for cell in nbformat.read(notebook, as_version=4).cells:
            for output in cell.get("outputs", []):
                kinds = set(output.get("data", {}))
                assert kinds <= {"text/plain", "image/png", "image/jpeg"}, (notebook, kinds)
    page = (term.path("feedback", "hostile_display", a) / f"{a}.html").read_text()
    # The student's code is shown as text; nothing it displayed runs as script.
    assert not re.search(r"<script[^>]*>[^<]*rnnGradeLeak", page)
    # In a hidden test, the name its exception class was given (the hidden input) is not.
    [entry] = term.records(a, "hostile_display")
    hidden = {t["name"]: t["message"] for t in entry["tests"]}["unbatch_general"]
    assert hidden == "your code raised an exception of a class of its own in this test"
    assert hidden in page_text(page)


def test_grading_twice_is_repeatable_and_resubmission_replaces(tmp_path, generated_course):
    blank = course.student_version(fixture_class.ASSIGNMENT)
    answers = course.solution_sources(fixture_class.ASSIGNMENT)
    correct = course.with_answers(blank, answers)
    partly = course.with_answers(blank, {"xor_echo_series": answers["xor_echo_series"]})
    submitted = tmp_path / "submitted"
    fixture_class._write(submitted, "ada", nb=correct)
    fixture_class._write(submitted, "bob", nb=partly)
    names = [fixture_class.ASSIGNMENT, "assignment2_expected_losses"]
    terms = [fresh_term(generated_course, tmp_path / f"run{k}") for k in (1, 2)]
    first, second = (grade_class(submitted, term, names, limits=LIMITS, log=print,
                                 reference=False) for term in terms)

    def scores(term):  # grades.csv without the times it records
        with open(term.folder / "grades.csv") as handle:
            return [{k: v for k, v in row.items() if k not in ("graded_at",)}
                    for row in csv.DictReader(handle)]
    assert scores(terms[0]) == scores(terms[1])
    assert [r.row() for r in first] == [r.row() for r in second]
    # Bob re-submits a complete notebook into the same folder: only that counts now.
    fixture_class._write(submitted, "bob", nb=correct)
    third = {(r.student, r.assignment): r for r in
             grade_class(submitted, terms[0], names, limits=LIMITS, log=print,
                         reference=False)}
    assert third["bob", fixture_class.ASSIGNMENT].score == fixture_class.FULL
    # Assignments a student has not submitted are listed, with a reason, not skipped.
    others = [r for key, r in third.items() if key[1] != fixture_class.ASSIGNMENT]
    assert others and all(r.score == 0 and "nothing submitted" in r.row()["reason"]
                          for r in others)


def test_formgrader_lists_each_submission_set_aside_with_its_reason(graded_class):
    """What formgrader shows comes from nbgrader's API over the gradebook and renders
    the autograded notebook: every submission marked needs review is flagged there, its
    score is 0 until the instructor decides, and its comment says why."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    term, a = graded_class["term"], fixture_class.ASSIGNMENT
    api = NbGraderAPI(coursedir=term.coursedir)
    listed = {s["student"]: s for s in api.get_submissions(a)}
    flagged = sorted(r.student for r in graded_class["results"] if r.status == "needs review")
    assert flagged and sorted(s for s, v in listed.items() if v["needs_manual_grade"]) == flagged
    first_solution = next(iter(course.solution_sources(a)))
    with term.gradebook() as gb:
        for student in flagged:
            assert listed[student]["score"] == 0.0, listed[student]
            comment = gb.find_comment(first_solution, a, a, student).auto_comment
            assert "needs review: " in comment and "the tests gave" in comment, comment
    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    page, _ = HTMLExporter(config=config).from_filename(
        str(term.path("autograded", flagged[0], a) / f"{a}.ipynb"),
        resources={"assignment_id": a, "notebook_id": a, "submission_id": "x", "index": 0,
                   "total": 1, "base_url": "", "student": flagged[0], "last_name": "",
                   "first_name": "", "notebook_path": ""})
    assert "xor_shape" in page  # the graded test cells, by their nbgrader ids
