"""A term's files and nbgrader's gradebook: where grades are kept and how they get there.

Everything a term writes lives in the folders that `nbgrader_config.py` names (in this
course `term/`, beside `_build/` and never inside it, so `make clean` keeps it):
nbgrader's gradebook, its `submitted/`, `autograded/` and `feedback/` folders, and the
course's own record of each grade (`records/<assignment>/<student>.json`: per test its
score and message, the status, the reasons, when it was graded and by which grader).

`record` puts one graded submission into all of them, the same way whether it was graded
by `rnn-grade` (many at once) or by nbgrader's own `autograde` command or formgrader's
button (grading.nbgrader_plugins routes both to the course's grader):

- the submission, with the timestamp nbgrader's `collect` wrote, and every test cell's
  score as its automatic score;
- a submission marked "needs review" scores 0 on every test and each of its test cells is
  flagged as needing manual grading, with the reason and the points the tests gave in the
  comment of its first solution cell, so formgrader lists it and the instructor decides;
- a score an instructor gave in formgrader (a manual score) is never overwritten; when a
  regrade changes the automatic score beneath it, the cell is flagged for review again;
- the late penalty of the plugin `nbgrader_config.py` configures (nbgrader's
  `AssignLatePenalties.plugin_class`), from the due date and any extension in the
  gradebook;
- the executed notebook in `autograded/`, which formgrader shows and `nbgrader
  generate_feedback` turns into the student's feedback.
"""

import datetime
import glob
import html
import json
import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import AssignLatePenalties
from nbgrader.utils import parse_utc
from traitlets.config.loader import PyFileConfigLoader

from grading import course


def course_root():
    """Where nbgrader's commands would look: the current folder when it holds an
    nbgrader_config.py (as nbgrader reads it), else this repository."""
    here = Path.cwd()
    return here if (here / "nbgrader_config.py").is_file() else course.ROOT


def load_config(root=None):
    """nbgrader's configuration of the course at root (its nbgrader_config.py)."""
    root = course_root() if root is None else root
    path = Path(root) / "nbgrader_config.py"
    config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    config.CourseDirectory.root = str(Path(root).resolve())
    return config


@dataclass
class Term:
    """The folders and the gradebook of one term, as nbgrader's configuration sets them."""

    coursedir: CourseDirectory
    late: AssignLatePenalties

    @classmethod
    def from_config(cls, config=None, root=None):
        config = load_config(root) if config is None else config
        coursedir = CourseDirectory(config=config)
        late = AssignLatePenalties(config=config)
        late.init_plugin()
        return cls(coursedir, late)

    @property
    def db_url(self):
        return self.coursedir.db_url

    @property
    def course_id(self):
        return self.coursedir.course_id

    @property
    def folder(self):
        """The folder that holds the gradebook; the course's records and exports go in it."""
        url = self.db_url
        if not url.startswith("sqlite:///"):
            return Path(self.coursedir.root) / "term"
        return Path(url[len("sqlite:///"):]).parent

    def path(self, step, student="", assignment=""):
        return Path(self.coursedir.format_path(getattr(self.coursedir, f"{step}_directory"),
                                               student or ".", assignment or "."))

    def records(self, assignment=None, student=None):
        """The course's records of grades, as dicts, for one assignment and one student
        or for all of them."""
        folder = self.folder / "records"
        if assignment and student:
            path = folder / assignment / f"{student}.json"
            return [json.loads(path.read_text())] if path.is_file() else []
        pattern = f"{glob.escape(assignment) if assignment else '*'}/*.json"
        found = [json.loads(p.read_text()) for p in sorted(folder.glob(pattern))]
        return [r for r in found if student in (None, r["student"])]

    def gradebook(self):
        return Gradebook(self.db_url, self.course_id)


def grader_version():
    """The commit of the course that graded (with '+changes' if its grader or the
    assignments differ from it), or the package version outside a git checkout."""
    def git(*args):
        return subprocess.run(["git", "-C", str(course.ROOT), *args], capture_output=True,
                              text=True, check=False)
    head = git("rev-parse", "--short=12", "HEAD")
    if head.returncode != 0:
        from importlib.metadata import version
        return f"rnnbook {version('rnnbook')}"
    dirty = git("status", "--porcelain", "--", "grading", "solutions", "rnnbook").stdout.strip()
    return head.stdout.strip() + ("+changes" if dirty else "")


def submission_time(folder):
    """The time nbgrader's collect recorded for a submission folder, or None."""
    text = _submission_file(folder, "timestamp.txt")
    if text is None:
        return None
    try:
        return parse_utc(text.strip())
    except (ValueError, OverflowError):
        return None


def _comment_cell(assignment):
    """The grade id of the assignment's first solution cell: where notes go."""
    return next(iter(course.solution_sources(assignment)))


def _late_text(seconds):
    hours = seconds / 3600
    return f"{hours / 24:.1f} days" if hours >= 24 else f"{hours:.1f} hours"


def record(term, result, folder=None, version=None, write_notebook=True):
    """Put one graded submission (a grading.scoring.Result whose .notebook is the
    executed notebook, or None) into the gradebook, autograded/ and the records.
    folder: the submission's folder (for its timestamp and secret). write_notebook=False
    when nbgrader's autograde writes the notebook itself. Returns the record.

    A folder that exists is a submission, even one with nothing gradable in it (it
    scores 0, with the reason); without a folder (or a notebook) nothing enters the
    gradebook and the student shows as "no submission"."""
    a, s = result.assignment, result.student
    graded_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    entry = {"student": s, "assignment": a, "status": result.status, "score": result.score,
             "max_score": result.max_score, "observed_score": result.observed_score,
             "reasons": list(result.reasons), "review": list(result.review),
             "tests": result.tests, "graded_at": graded_at,
             "grader": version or grader_version(), "timestamp": None,
             "late_penalty": 0.0, "overridden": [], "seconds": result.seconds}
    submitted = result.notebook is not None or (folder is not None and Path(folder).is_dir()
                                                and not Path(folder).is_symlink())
    with term.gradebook() as gb:
        gb.update_or_create_student(s)
        if submitted:
            timestamp = submission_time(folder) if folder is not None else None
            kwargs = {"timestamp": timestamp} if timestamp is not None else {}
            submission = gb.update_or_create_submission(a, s, **kwargs)
            if submission.timestamp is not None:
                entry["timestamp"] = submission.timestamp.isoformat()
            elif submission.duedate is not None:
                entry["reasons"].append("no timestamp.txt in the submission: "
                                        "lateness not checked")
            _write_scores(gb, result, entry)
            entry["late_penalty"] = assign_late_penalty(term, gb, a, s)
            late = submission.total_seconds_late
            if late > 0:
                entry["reasons"].append(
                    f"submitted {_late_text(late)} late: late penalty "
                    f"{entry['late_penalty']:g} points (recomputed from the current score "
                    "at every export and feedback)")
            _write_comment(gb, result, entry)
    if write_notebook:
        _write_autograded(term, result, folder, graded_at)
    path = _record_path(term, a, s)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entry, indent=1))
    return entry


def _record_path(term, assignment, student):
    return term.folder / "records" / assignment / f"{student}.json"


def _write_scores(gb, result, entry):
    review = result.status == "needs review"
    by_name = {t["name"]: t for t in result.tests}
    for gid, _ in course.tests(result.assignment):
        grade = gb.find_grade(gid, result.assignment, result.assignment, result.student)
        new = 0.0 if review else float(by_name.get(gid, {}).get("score", 0.0))
        changed = grade.auto_score is not None and grade.auto_score != new
        grade.auto_score = new
        if grade.manual_score is not None:
            entry["overridden"].append(gid)
            # Look again only when the automatic score beneath it moved away from it.
            grade.needs_manual_grade = bool(changed and grade.manual_score != new)
        else:
            grade.needs_manual_grade = review
    gb.db.commit()


def assign_late_penalty(term, gb, assignment, student):
    """nbgrader's AssignLatePenalties for one notebook, from its current score (manual
    scores included): the configured plugin's penalty, kept between 0 and the score."""
    submission = gb.find_submission(assignment, student)
    notebook = gb.find_submission_notebook(assignment, assignment, student)
    notebook.late_submission_penalty = None
    gb.db.commit()
    seconds = submission.total_seconds_late
    if seconds > 0:
        penalty = term.late.plugin_inst.late_submission_penalty(student, notebook.score, seconds)
        if penalty is not None:
            notebook.late_submission_penalty = min(max(0.0, float(penalty)), notebook.score)
            gb.db.commit()
    return float(notebook.late_submission_penalty or 0.0)


def refresh_late_penalties(term, assignment=None, student=None, gb=None):
    """Recompute every (or one assignment's, or one student's) late penalty from the
    current scores: a score changed in formgrader changes the penalty too. gb: an open
    Gradebook to use (nbgrader's export holds one)."""
    if gb is None:
        with term.gradebook() as own:
            return refresh_late_penalties(term, assignment, student, own)
    for a in gb.assignments:
        if assignment and a.name != assignment:
            continue
        for submission in list(a.submissions):
            if student and submission.student.id != student:
                continue
            if submission.notebooks:
                assign_late_penalty(term, gb, a.name, submission.student.id)
    return None


def _write_comment(gb, result, entry):
    notes = list(entry["reasons"])
    if result.status == "needs review":
        passed = ", ".join(f"{t['name']} {t['score']:g}/{t['points']:g}" for t in result.tests)
        notes += [f"needs review: {r}" for r in result.review]
        notes.append(f"scored 0 until reviewed; the tests gave {result.observed_score:g} of "
                     f"{result.max_score:g} ({passed})")
    comment = gb.find_comment(_comment_cell(result.assignment), result.assignment,
                              result.assignment, result.student)
    # Shown as Markdown rendered to HTML (formgrader, feedback): escaped, since a reason
    # can quote a file name the student chose.
    comment.auto_comment = "\n".join(html.escape(n) for n in notes) or None
    gb.db.commit()


# Output types kept in autograded/ (formgrader renders it in the instructor's logged-in
# browser): text and images only, never HTML or JavaScript the student's code displayed.
SAFE_DATA = ("text/plain", "image/png", "image/jpeg")


def _safe_outputs(outputs):
    kept = []
    for output in outputs or []:
        kind = output.get("output_type")
        if kind == "stream":
            kept.append(nbformat.v4.new_output("stream", name=output.get("name", "stdout"),
                                               text=output.get("text", "")))
        elif kind == "error":
            kept.append(nbformat.v4.new_output("error", ename=str(output.get("ename", "")),
                                               evalue=str(output.get("evalue", "")),
                                               traceback=[str(t) for t in
                                                          output.get("traceback", [])]))
        elif kind in ("execute_result", "display_data"):
            data = {k: v for k, v in output.get("data", {}).items() if k in SAFE_DATA}
            if data:
                kept.append(nbformat.v4.new_output("display_data", data=data))
    return kept


def autograded_notebook(result):
    """The instructor's notebook as graded: every cell of the source notebook, its code
    cells with the student's code and the outputs they had when graded, text and images
    only (nbgrader's cell ids and points kept, so formgrader can show and score it)."""
    source = course.source_notebook(result.assignment)
    executed = iter(result.notebook.cells)
    nb = nbformat.v4.new_notebook(metadata=source.metadata)
    for cell in source.cells:
        if cell.cell_type == "code":
            ran = next(executed, None)
            cell = nbformat.from_dict(dict(cell, source=ran.source if ran else cell.source,
                                           outputs=_safe_outputs(ran.get("outputs"))
                                           if ran else [],
                                           execution_count=ran.get("execution_count")
                                           if ran else None))
        nb.cells.append(cell)
    return nb


def _submission_file(folder, name, limit=4096):
    """The text of a small regular file nbgrader's collect wrote, or None (never a link)."""
    path = Path(folder) / name if folder is not None else None
    if path is None or path.is_symlink() or not path.is_file() or path.stat().st_size > limit:
        return None
    return path.read_text(errors="replace")


def _write_autograded(term, result, folder, graded_at):
    """autograded/<student>/<assignment>/: the graded notebook and the two files
    nbgrader's feedback steps need (written when the submission lacks them, so that
    release_feedback never stops at one student's folder); removed when nothing could
    be graded, so formgrader never shows an old run."""
    target = term.path("autograded", result.student, result.assignment)
    if target.exists():
        shutil.rmtree(target)
    if result.notebook is None:
        return
    target.mkdir(parents=True)
    nbformat.write(autograded_notebook(result), target / f"{result.assignment}.ipynb")
    stamp = _submission_file(folder, "timestamp.txt")
    secret = _submission_file(folder, "submission_secret.txt")
    (target / "timestamp.txt").write_text(stamp if stamp is not None else graded_at)
    (target / "submission_secret.txt").write_text(
        secret if secret is not None else secrets.token_hex(16))
    os.utime(target)


def stale_in_gradebook(term, names):
    """What keeps the gradebook from taking these assignments' grades: an assignment it
    lacks, or test cells other than solutions/ has (make assignments not rerun)."""
    problems = []
    with term.gradebook() as gb:
        for name in names:
            try:
                notebook = gb.find_notebook(name, name)
            except MissingEntry:
                problems.append(f"{name} is not in it")
                continue
            cells = sorted(c.name for c in notebook.grade_cells)
            if cells != sorted(g for g, _ in course.tests(name)):
                problems.append(f"{name}'s test cells differ")
    return problems


def assignments(term):
    """{name: due date or None} of the assignments in the gradebook."""
    with term.gradebook() as gb:
        return {a.name: a.duedate for a in gb.assignments}


def grade_rows(term, names=None, log=print):
    """One row per enrolled or graded student and assignment, with the gradebook's
    scores (manual overrides included, late penalties recomputed from them) and the
    course's record: the source of every export and of the statistics."""
    refresh_late_penalties(term)
    rows = []
    with term.gradebook() as gb:
        students = sorted(st.id for st in gb.students)
        for assignment in gb.assignments:
            if names and assignment.name not in names:
                continue
            if assignment.name not in course.assignments():
                log(f"the gradebook's assignment {assignment.name!r} is not in solutions/: "
                    "left out (a typo in `nbgrader db assignment add`?)")
                continue
            points = dict(course.tests(assignment.name))
            for student in students:
                saved = term.records(assignment.name, student)
                row = {"student": student, "assignment": assignment.name,
                       "max_score": float(assignment.max_score), "tests": {},
                       "status": "no submission", "reasons": [], "late_penalty": 0.0,
                       "score": 0.0, "raw_score": 0.0, "graded_at": "", "grader": "",
                       "timestamp": ""}
                try:
                    submission = gb.find_submission(assignment.name, student)
                except MissingEntry:
                    submission = None
                if submission is not None and saved and submission.notebooks:
                    entry, notebook = saved[0], submission.notebooks[0]
                    row["tests"] = {g.name: float(g.score) for g in notebook.grades
                                    if g.name in points}
                    penalty = float(notebook.late_submission_penalty or 0.0)
                    row.update(status=entry["status"], reasons=entry["reasons"]
                               + [f"needs review: {r}" for r in entry["review"]],
                               raw_score=float(notebook.score), late_penalty=penalty,
                               score=max(0.0, float(notebook.score) - penalty),
                               graded_at=entry["graded_at"], grader=entry["grader"],
                               timestamp=entry["timestamp"] or "")
                    manual = any(g.manual_score is not None for g in notebook.grades)
                    if notebook.needs_manual_grade:
                        row["status"] = "needs review"
                    elif entry["status"] == "needs review":
                        row["status"] = "reviewed"
                    if manual:
                        row["reasons"].append("a score was set by hand in formgrader")
                rows.append(row)
    return rows


GRADES_FIELDS = ["student", "assignment", "score", "max_score", "raw_score", "late_penalty",
                 "status", "timestamp", "graded_at", "grader", "reason"]


def write_grades_csv(term, rows):
    """term/grades.csv: one row per student and assignment (from grade_rows)."""
    import csv
    path = term.folder / "grades.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, GRADES_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({**{k: row[k] for k in GRADES_FIELDS if k != "reason"},
                             "reason": "; ".join(row["reasons"])})
    return path


def grant_extension(term, assignment, student, hours):
    """Give a student `hours` more for an assignment (0 removes the extension); the
    gradebook holds it and the next grading of that submission applies it. Returns the
    new due date."""
    with term.gradebook() as gb:
        try:
            due = gb.find_assignment(assignment).duedate
            gb.find_student(student)
        except MissingEntry as error:
            raise SystemExit(f"{error}: extensions are for an assignment and a student the "
                             "gradebook knows (nbgrader db assignment list, student list)"
                             ) from None
        if due is None:
            raise SystemExit(f"{assignment} has no due date: set one first "
                             f"(nbgrader db assignment add {assignment} --duedate=...)")
        try:
            gb.find_submission(assignment, student)
        except MissingEntry:  # before they hand in: a submission row without grades due
            submission = gb.update_or_create_submission(assignment, student)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grade.needs_manual_grade = False  # nothing to grade yet
            gb.db.commit()
        gb.grant_extension(assignment, student, hours=hours)
        return gb.find_submission(assignment, student).duedate


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(prog="python -m grading.term",
                                     description="Extensions in the term's gradebook.")
    sub = parser.add_subparsers(dest="command", required=True)
    extension = sub.add_parser("extension", help="give a student more time (then regrade)")
    extension.add_argument("assignment")
    extension.add_argument("student")
    extension.add_argument("--days", type=float, default=0.0)
    extension.add_argument("--hours", type=float, default=0.0)
    args = parser.parse_args(argv)
    term = Term.from_config()
    due = grant_extension(term, args.assignment, args.student, 24 * args.days + args.hours)
    print(f"{args.student} now has until {due} UTC for {args.assignment}; regrade with "
          f"make grade ASSIGNMENT={args.assignment} STUDENTS={args.student}")


if __name__ == "__main__":
    main()
