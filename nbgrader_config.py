"""nbgrader configuration for the course: one place for where a term's files live, how
nbgrader's own commands grade, and the late policy.

solutions/<assignment>/ holds the instructor versions (nbgrader's "source"); running
`make assignments` writes the student versions to exercises/<assignment>/ ("release").
"""

from pathlib import Path

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)
HERE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "rnn-tf2"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# Everything a term writes, in one folder outside _build/ (so `make clean` keeps it) and
# outside git: the gradebook, collected and graded submissions, feedback, and the
# course's records, exports and statistics beside the gradebook.
TERM = HERE / "term"
TERM.mkdir(exist_ok=True)  # the gradebook's folder must exist before nbgrader opens it
c.CourseDirectory.submitted_directory = str(TERM / "submitted")
c.CourseDirectory.autograded_directory = str(TERM / "autograded")
c.CourseDirectory.feedback_directory = str(TERM / "feedback")
c.CourseDirectory.db_url = f"sqlite:///{TERM / 'gradebook.db'}"

# What a student sees in place of a solution: a stub that fails loudly and says why.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\n"
    'raise NotImplementedError("Write your solution here, then delete this line.")'
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# `nbgrader autograde` and formgrader's Autograde button grade with the course's grader:
# sandboxed, the tests in a trusted interpreter, recorded as `make grade` records them.
# nbgrader's own preprocessors would run student code unsandboxed and score by another
# rule. The submitted notebook is read by the course's grader itself, so nothing is
# sanitised here.
c.Autograde.sanitize_preprocessors = []
c.Autograde.autograde_preprocessors = ["grading.nbgrader_plugins.GradeInSandbox"]

# Feedback (`nbgrader generate_feedback`, formgrader's button) shows each test cell as
# the student's own notebook shows it, with the grader's message: no hidden test, no
# traceback through one.
c.GenerateFeedback.preprocessors = [
    "grading.nbgrader_plugins.RefreshLatePenalty",
    "nbgrader.preprocessors.GetGrades",
    "grading.nbgrader_plugins.FeedbackWithoutTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Pages nbconvert renders (formgrader's view of a submission, feedback) are sanitised:
# a student's code could display HTML or JavaScript, and formgrader runs in the
# instructor's logged-in browser. (grading.term keeps only text and images anyway.)
c.HTMLExporter.sanitize_html = True

# `nbgrader export`: late penalties recomputed from the current scores first.
c.ExportApp.plugin_class = "grading.nbgrader_plugins.CsvExportWithCurrentPenalties"

# Late work: 10% of the score per started day after the due date (nbgrader db assignment
# add --duedate), nothing within 15 minutes of it; extensions from the gradebook.
c.AssignLatePenalties.plugin_class = "grading.late.PenaltyPerDay"
c.PenaltyPerDay.percent_per_day = 10.0
c.PenaltyPerDay.grace_minutes = 15.0
