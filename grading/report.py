"""What a grading run writes: the grades CSV and a feedback page per submission."""

import csv
import hashlib
import html
import os
from pathlib import Path

CSV_FIELDS = ["student", "assignment", "score", "max_score", "status", "observed_score",
              "reason"]


def write_grades(output, results):
    """grades.csv (one row per result) and feedback/<student>/<assignment>.html."""
    output = Path(output)
    for r in results:
        if r.status != "not graded":
            page = output / "feedback" / r.student / f"{r.assignment}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(feedback_page(r))
    with open(output / "grades.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_FIELDS)
        writer.writeheader()
        writer.writerows(r.row() for r in results)


def feedback_page(result):
    """The student's feedback: per test its name, points, pass or fail and message.
    Never the test code or the instructor's solution."""
    rows = []
    for t in result.tests:
        ok = t["score"] == t["points"]
        rows.append(f"<tr class='{'pass' if ok else 'fail'}'><td>{html.escape(t['name'])}</td>"
                    f"<td>{t['score']:g} / {t['points']:g}</td><td>{'passed' if ok else 'failed'}"
                    f"</td><td><pre>{html.escape(t['message'])}</pre></td></tr>")
    notes = "".join(f"<li>{html.escape(r)}</li>" for r in result.reasons + [
        f"needs review: {r}" for r in result.review])
    title = html.escape(f"{result.assignment}: {result.student}")
    status = ("Your instructor will review this submission before it is scored."
              if result.status == "needs review" else "")
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}
td,th{{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left}}
.fail td:nth-child(3){{color:#b00}} .pass td:nth-child(3){{color:#070}}
pre{{white-space:pre-wrap;margin:0}}</style></head><body>
<h1>{title}</h1>
<p>Score: <b>{result.score:g} / {result.max_score:g}</b> ({html.escape(result.status)}).
{status}</p>
<ul>{notes}</ul>
<table><tr><th>test</th><th>points</th><th>result</th><th>message</th></tr>
{''.join(rows)}</table>
<p>Test names match the test cells of your notebook; hidden tests are listed by name
only.</p></body></html>
"""


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
