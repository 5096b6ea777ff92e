"""A whole term, run with nbgrader's own commands in a scratch course and exchange.

The instructor generates and releases assignment 8; ada and bob fetch it and submit on
time, the due date passes, dan submits late, cy never does. The instructor collects,
grades the class with `rnn-grade`, changes one of ada's scores as formgrader does,
regrades bob with `nbgrader autograde` (which this course routes to its own grader),
exports, generates and releases feedback, and the students fetch it. Checked: every
score, the late penalty (in nbgrader's export, the course's CSV and the feedback), cy's
zero row, the override surviving another student's regrade, each grade's time and
grader, the statistics, and that nothing a student fetched holds a hidden-test line.
"""

import csv
import datetime
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grading import course
from grading.term import Term, grade_rows
from tests.conftest import ROOT
from tests.grader.test_grade_class import page_text

pytestmark = pytest.mark.slow  # sandboxed kernels; `make test-grader` installs bwrap

A = "assignment8_char_model"
FULL = 11.0
# bob answers the first two parts: the bigram loss (3 points) and the units (2 points).
BOB_PARTS = ("interpolated_bigram_loss", "perplexity_and_bits")
BOB = 5.0
OVERRIDE = ("bigram_small", 1.0)  # ada's and dan's 2-point test, set to 1 by hand


def _env(home=None):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    if home is not None:
        env["HOME"] = str(home)  # nbgrader's cache of a student's submissions
    return env


class Course:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.root, self.exchange = self.folder / "course", self.folder / "exchange"
        (self.root / "solutions").mkdir(parents=True)
        self.exchange.mkdir()
        (self.root / "solutions" / A).symlink_to(course.SOLUTIONS / A)
        config = (ROOT / "nbgrader_config.py").read_text()
        # The scratch exchange, and no grace period, so that a second late costs a day.
        config += (f"\nc.Exchange.root = {str(self.exchange)!r}\n"
                   "c.PenaltyPerDay.grace_minutes = 0.0\n")
        (self.root / "nbgrader_config.py").write_text(config)

    def instructor(self, *args):
        return self._run(args, self.root)

    def student(self, name, *args):
        home = self.folder / "home" / name
        if not home.exists():
            home.mkdir(parents=True)
            (home / "nbgrader_config.py").write_text(
                "c = get_config()\nc.CourseDirectory.course_id = 'rnn-tf2'\n"
                f"c.Exchange.root = {str(self.exchange)!r}\n")
        return self._run(args, home, home)

    def _run(self, args, cwd, home=None):
        done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd,
                              env=_env(home), capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"nbgrader {' '.join(args)}:\n{done.stderr[-4000:]}"
        return done.stdout + done.stderr

    def rnn_grade(self, *args):
        done = subprocess.run([sys.executable, "-m", "grading.cli", *args], cwd=self.root,
                              env=_env(), capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-4000:]
        return done.stdout

    def hand_in(self, name, answers):
        self.student(name, "fetch_assignment", A)
        path = self.folder / "home" / name / A / f"{A}.ipynb"
        nbformat.write(course.with_answers(nbformat.read(path, as_version=4), answers), path)
        self.student(name, "submit", A, f"--student={name}")

    def term(self):
        return Term.from_config(root=self.root)


def _utc(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


@pytest.fixture(scope="module")
def term_run(tmp_path_factory):
    run = Course(tmp_path_factory.mktemp("term"))
    answers = course.solution_sources(A)
    run.instructor("generate_assignment", A, "--force")
    due = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    run.instructor("db", "assignment", "add", A, f"--duedate={_utc(due)}")
    roster = run.folder / "roster.csv"  # the class list, as a registrar exports it
    roster.write_text("id,last_name,first_name,lms_user_id\n" + "".join(
        f"{name},{name.title()},Student,{1001 + k}\n"
        for k, name in enumerate(("ada", "bob", "cy", "dan"))))
    run.instructor("db", "student", "import", str(roster))
    # An extension for cy, who will never hand in: still a zero row, "no submission".
    subprocess.run([sys.executable, "-m", "grading.term", "extension", A, "cy", "--days=2"],
                   cwd=run.root, env=_env(), check=True, capture_output=True)
    run.instructor("release_assignment", A)
    run.hand_in("ada", answers)
    run.hand_in("bob", {k: answers[k] for k in BOB_PARTS})
    # The due date passes (moved to now); dan submits after it, cy never does.
    run.instructor("db", "assignment", "add", A,
                   f"--duedate={_utc(datetime.datetime.now(datetime.UTC))}")
    run.hand_in("dan", answers)
    run.instructor("collect", A)
    graded = run.rnn_grade()  # the class, as the guide says: `make grade`
    term = run.term()
    with term.gradebook() as gb:  # what formgrader's grade handler does with a new score
        for student in ("ada", "dan"):
            grade = gb.find_grade(OVERRIDE[0], A, A, student)
            grade.manual_score = OVERRIDE[1]
            grade.needs_manual_grade = False
        gb.db.commit()
    first = {r["student"]: r for r in term.records(A)}
    regraded = run.instructor("autograde", A, "--student=bob", "--force")
    run.instructor("export", f"--to={run.folder / 'nbgrader_export.csv'}")
    exported = subprocess.run([sys.executable, "-m", "grading.exports"], cwd=run.root, env=_env(),
                              capture_output=True, text=True, check=True).stdout
    run.instructor("generate_feedback", A)
    run.instructor("release_feedback", A)
    for name in ("ada", "dan"):
        run.student(name, "fetch_feedback", A, f"--student={name}")
    return {"run": run, "term": term, "graded": graded, "first": first,
            "regraded": regraded, "exported": exported}


def _nbgrader_export(term_run):
    with open(term_run["run"].folder / "nbgrader_export.csv") as handle:
        return {r["student_id"]: r for r in csv.DictReader(handle)}


def test_nbgraders_export_has_every_grade_with_the_late_penalty(term_run):
    rows = _nbgrader_export(term_run)
    assert sorted(rows) == ["ada", "bob", "cy", "dan"]
    ada_raw = FULL - 2.0 + OVERRIDE[1]  # the override replaced a 2-point test's score
    assert float(rows["ada"]["raw_score"]) == ada_raw
    assert float(rows["ada"]["late_submission_penalty"]) == 0.0
    assert float(rows["bob"]["score"]) == BOB
    # dan: one started day late, 10% of the score, of the score after his override too.
    assert float(rows["dan"]["raw_score"]) == ada_raw
    assert float(rows["dan"]["late_submission_penalty"]) == pytest.approx(0.1 * ada_raw)
    assert float(rows["dan"]["score"]) == pytest.approx(0.9 * ada_raw)
    assert rows["cy"]["timestamp"] == "" and float(rows["cy"]["score"]) == 0.0


def test_the_override_survives_another_students_regrade(term_run):
    term = term_run["term"]
    with term.gradebook() as gb:
        grade = gb.find_grade(OVERRIDE[0], A, A, "ada")
        assert grade.manual_score == OVERRIDE[1] and grade.score == OVERRIDE[1]
        assert not grade.needs_manual_grade
    first, now = term_run["first"], {r["student"]: r for r in term.records(A)}
    assert now["ada"] == first["ada"]  # not regraded
    assert now["bob"]["graded_at"] >= first["bob"]["graded_at"]
    assert "bob assignment8_char_model: 5 / 11 (graded)" in term_run["regraded"]


def test_every_grade_says_when_and_by_which_grader(term_run):
    for entry in term_run["term"].records(A):
        assert datetime.datetime.fromisoformat(entry["graded_at"])
        assert entry["grader"], entry


def test_course_exports_and_the_zero_row(term_run):
    folder = term_run["term"].folder / "exports"
    with open(folder / f"{A}_tests.csv") as handle:
        tests = {r["student"]: r for r in csv.DictReader(handle)}
    assert tests["cy"]["status"] == "no submission" and float(tests["cy"]["score"]) == 0.0
    assert float(tests["ada"][OVERRIDE[0]]) == OVERRIDE[1]
    assert float(tests["dan"]["late_penalty"]) == pytest.approx(0.1 * (FULL - 1))
    assert float(tests["bob"]["temperature_values"]) == 0.0
    with open(folder / "canvas.csv") as handle:
        canvas = list(csv.reader(handle))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[0][5:] == [A] and canvas[1][0] == "Points Possible"
    by_login = {row[3]: row for row in canvas[2:]}
    assert sorted(by_login) == ["ada", "bob", "cy", "dan"]
    assert by_login["cy"][:2] == ["Cy, Student", "1003"] and float(by_login["cy"][5]) == 0.0
    assert float(by_login["dan"][5]) == pytest.approx(0.9 * (FULL - 1))


def test_statistics_are_printed_and_written(term_run):
    assert "temperature_values" in term_run["graded"]
    assert "the instructor's solution fails" not in term_run["graded"]
    page = (term_run["term"].folder / "statistics.html").read_text()
    assert "<svg" in page and A in page
    rows = grade_rows(term_run["term"], [A])
    assert [r["status"] for r in rows].count("no submission") == 1


def test_students_fetch_feedback_without_a_hidden_test(term_run):
    home = term_run["run"].folder / "home"
    pages = sorted(home.glob(f"*/{A}/feedback/*/{A}.html"))
    assert [p.parents[3].name for p in pages] == ["ada", "dan"]
    hidden = course.hidden_test_lines(A)
    for page in pages:
        text = page_text(page.read_text())
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{page} shows {leaked[:3]}"
    dan = page_text(pages[1].read_text())
    assert "late penalty" in dan and "[grader] passed" in dan
    term = term_run["term"]
    bob = page_text((term.path("feedback", "bob", A) / f"{A}.html").read_text())
    assert "[grader] your code raised NotImplementedError" in bob
