"""The course's grader inside nbgrader's own commands (configured in nbgrader_config.py).

- `GradeInSandbox` replaces every preprocessor of nbgrader's autograde step, so that
  `nbgrader autograde` and formgrader's *Autograde* button grade a submission exactly
  as `rnn-grade` does: in the sandbox, tests in the trusted interpreter, scored by the
  course's rule, recorded by grading.term.record. nbgrader's own `Execute` would run the
  student's code unsandboxed, with the tests in the student's kernel, and its scoring
  rule takes a test's points for any output to stderr (nbgrader.utils.determine_grade).
- `RefreshLatePenalty` (before GetGrades in generate_feedback) and
  `CsvExportWithCurrentPenalties` (nbgrader export's plugin) recompute late penalties
  from the current scores, so that a score changed in formgrader changes the penalty.
- `FeedbackWithoutTests` goes into nbgrader's generate_feedback, after `GetGrades`: every
  test cell becomes what the student's own notebook shows (its visible part) and the
  grader's message for it, so that neither a hidden test nor a traceback through one
  reaches a feedback page, whether `nbgrader generate_feedback` or formgrader's button
  made it (nbgrader's template prints every cell's source; nbgrader issue #917).
"""

import html
import tempfile

import nbformat
from nbgrader.api import MissingEntry
from nbgrader.plugins import CsvExportPlugin
from nbgrader.preprocessors import NbGraderPreprocessor

from grading import course


def _term(config):
    from grading.term import Term
    return Term.from_config(config)


class GradeInSandbox(NbGraderPreprocessor):
    """Autograde one submission with the course's grader; returns the graded notebook."""

    def preprocess(self, nb, resources):
        from grading.grade import grade_submission
        from grading.limits import limits_for
        from grading.sandbox import Sandbox
        from grading.term import autograded_notebook, record

        info = resources["nbgrader"]
        student, assignment = info["student"], info["assignment"]
        term = _term(self.config)
        with tempfile.TemporaryDirectory(prefix="rnn-grade-check-") as scratch:
            Sandbox().check(scratch)  # SandboxUnavailable says how to install bubblewrap
        folder = term.path("submitted", student, assignment)
        result = grade_submission(student, assignment, folder=folder,
                                  limits=limits_for(assignment))
        entry = record(term, result, folder, write_notebook=False)
        self.log.info("%s %s: %g / %g (%s) %s", student, assignment, entry["score"],
                      entry["max_score"], entry["status"], "; ".join(entry["reasons"]))
        if result.notebook is None:  # nothing gradable: the released notebook, no outputs
            return course.student_version(assignment), resources
        return autograded_notebook(result), resources


class RefreshLatePenalty(NbGraderPreprocessor):
    """generate_feedback, before GetGrades: this student's penalty from today's score."""

    def preprocess(self, nb, resources):
        from grading.term import refresh_late_penalties
        info = resources["nbgrader"]
        refresh_late_penalties(_term(self.config), info["assignment"], info["student"])
        return nb, resources


class CsvExportWithCurrentPenalties(CsvExportPlugin):
    """nbgrader export's CSV, after recomputing every late penalty."""

    def export(self, gradebook):
        from grading.term import refresh_late_penalties
        refresh_late_penalties(_term(self.config), gb=gradebook)
        super().export(gradebook)


def feedback_cells(nb, assignment, entry):
    """nb's cells as a student may see them: text as released, code without its outputs,
    test cells as released with the grader's message as their only output. A test cell's
    score is the gradebook's when GetGrades put it in the cell (an instructor's score
    counts), else the record's."""
    release = course.student_version(assignment).cells
    released = {course.grade_id(c): c.source for c in release if course.is_test(c)}
    messages = {t["name"]: t for t in (entry or {}).get("tests", [])}
    hidden = set(course.hidden_test_lines(assignment))
    for index, cell in enumerate(nb.cells):
        gid = course.grade_id(cell)
        if cell.cell_type != "code":  # the text as released (the source's may differ)
            same = index < len(release) and release[index].cell_type == cell.cell_type
            cell.source = release[index].source if same else ""
            continue
        if course.is_test(cell):
            cell.source = released.get(gid, f"# Test {gid}")
            test = messages.get(gid, {})
            info = course.nbgrader_info(cell)
            score = info.get("score", test.get("score"))
            points = info.get("points", test.get("points"))
            if score is not None and points is not None and score >= points:
                text = "passed"
            elif test.get("score") is not None and test["score"] >= test.get("points", 0):
                text = f"scored {score:g} of {points:g} by your instructor"
            else:
                text = test.get("message") or "failed"
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                   text=f"[grader] {text}\n")]
        else:
            # The student's code and the context cells, without what they printed: in a
            # notebook graded in one kernel, code that ran after a test could print it.
            # A hidden line never reaches a page, whatever cell it ended up in.
            cell.source = "\n".join(line for line in cell.source.splitlines()
                                    if line.strip() not in hidden)
            cell.outputs = []
    return nb


def _under_review(config, assignment, student):
    """True while the gradebook still flags the submission for manual grading."""
    with _term(config).gradebook() as gb:
        try:
            return bool(gb.find_submission_notebook(assignment, assignment,
                                                    student).needs_manual_grade)
        except MissingEntry:
            return False


class FeedbackWithoutTests(NbGraderPreprocessor):
    """generate_feedback: no hidden test, no test traceback; the grader's notes on top."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        student, assignment = info["student"], info["assignment"]
        saved = _term(self.config).records(assignment, student)
        entry = saved[0] if saved else None
        nb = feedback_cells(nb, assignment, entry)
        if entry is not None:
            reviewing = _under_review(self.config, assignment, student)
            notes = entry["reasons"] + ([f"set aside for review: {r}" for r in entry["review"]]
                                        if reviewing else [])
            header = [f"**Graded** {entry['graded_at']} (grader {entry['grader']})."]
            if reviewing:
                header.append("Your instructor reviews this submission before it is scored.")
            header += [f"- {html.escape(note)}" for note in notes]
            header.append("Test cells show the part you could see and the grader's message; "
                          "hidden tests are listed by name only.")
            nb.cells.insert(0, nbformat.v4.new_markdown_cell("\n\n".join(header)))
        return nb, resources
