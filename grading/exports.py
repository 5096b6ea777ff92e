"""Grades out of the gradebook, for people and for a learning management system.

    python -m grading.exports [--assignment A ...]      (or: make export-grades)

writes, for the given assignments or every assignment graded so far, into the term's
exports/ folder (term/exports/ in this course):

- `<assignment>_tests.csv`: one row per student, one column per test (the points the
  test gave, or the score an instructor set in formgrader), then the raw score, the late
  penalty, the score, the status and the reasons;
- `canvas.csv`: Canvas's gradebook import format (Student, ID, SIS User ID, SIS Login
  ID, Section, then one column per assignment, after a "Points Possible" row). Student
  is "last, first" when the gradebook has names, the ID column is the student's
  `lms_user_id` and SIS Login ID is the nbgrader id; set whichever your Canvas matches
  on in the roster you import with `nbgrader db student import`.

Every enrolled student (the gradebook's students) has a row in every file: without a
submission it scores 0 and its status is "no submission". In canvas.csv a submission
still under review (formgrader flags it) is left blank, not 0. The scores are the
gradebook's, so a score changed in formgrader is exported as changed. nbgrader's own
`nbgrader export` gives the totals from the same gradebook.
"""

import argparse
import csv

from grading import course
from grading.term import Term, assignments, grade_rows

CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def tests_table(rows, assignment):
    """(header, rows) of the student x test table of one assignment."""
    tests = [gid for gid, _ in course.tests(assignment)]
    header = ["student", *tests, "raw_score", "late_penalty", "score", "max_score", "status",
              "reason"]
    table = []
    for row in rows:
        if row["assignment"] != assignment:
            continue
        table.append([row["student"], *[row["tests"].get(t, 0.0) for t in tests],
                      row["raw_score"], row["late_penalty"], row["score"], row["max_score"],
                      row["status"], "; ".join(row["reasons"])])
    return header, table


def canvas_table(term, rows, names):
    """(header, rows) in Canvas's gradebook import format."""
    with term.gradebook() as gb:
        people = {s.id: s for s in gb.students}
        points = {a.name: float(a.max_score) for a in gb.assignments}
    header = [*CANVAS_FIXED, *names]
    table = [["Points Possible", "", "", "", "", *[points.get(n, 0.0) for n in names]]]
    # A submission still under review is left blank: Canvas would show a 0 as a grade.
    scores = {(r["student"], r["assignment"]): "" if r["status"] == "needs review"
              else r["score"] for r in rows}
    for sid in sorted(people):
        person = people[sid]
        name = (f"{person.last_name}, {person.first_name}" if person.last_name
                and person.first_name else sid)
        table.append([name, person.lms_user_id or "", "", sid, "",
                      *[scores.get((sid, n), 0.0) for n in names]])
    return header, table


def _write(path, header, table):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(table)
    return path


def export_grades(term, names=None):
    """Write every export; return their paths."""
    in_gradebook = list(assignments(term))
    # By default the assignments graded so far: one not yet due would post 0 for everyone.
    graded = [n for n in in_gradebook if term.records(n)]
    names = [n for n in (names or graded) if n in in_gradebook]
    rows = grade_rows(term, names)
    folder = term.folder / "exports"
    paths = [_write(folder / f"{name}_tests.csv", *tests_table(rows, name)) for name in names]
    paths.append(_write(folder / "canvas.csv", *canvas_table(term, rows, names)))
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grading.exports",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", dest="names")
    args = parser.parse_args(argv)
    for path in export_grades(Term.from_config(), args.names):
        print(f"written {path}")


if __name__ == "__main__":
    main()
