"""After every grading run: how the class did, per test and in total.

Per test: the share of the submissions that passed it and the mean points; a test that
no submission passes, or that the instructor's solution fails (graded beside the class
as a reference, never recorded), is flagged. Per assignment: a histogram of the totals.
Printed, and written as one HTML page (term/statistics.html).
"""

import html

from grading import course

BINS = 10


def summarise(rows, references, names):
    """{assignment: {tests: [...], totals: [...], histogram: [...], ...}} from
    grading.term.grade_rows; references: {assignment: the solution's Result}."""
    summary = {}
    for name in names:
        mine = [r for r in rows if r["assignment"] == name]
        # Pass rates over what the tests judged: not a submission still under review (its
        # tests score 0 until decided) or one with nothing gradable in it.
        graded = [r for r in mine if r["status"] in ("graded", "reviewed")]
        absent = sum(1 for r in mine if r["status"] == "no submission")
        review = sum(1 for r in mine if r["status"] == "needs review")
        broken = sum(1 for r in mine if r["status"] == "not graded")
        reference = references.get(name)
        ref_scores = {t["name"]: t["score"] for t in reference.tests} if reference else {}
        tests = []
        for gid, points in course.tests(name):
            scores = [r["tests"].get(gid, 0.0) for r in graded]
            passed = sum(1 for s in scores if s >= points)
            flags = []
            if graded and passed == 0:
                flags.append("nobody passed")
            if reference is not None and ref_scores.get(gid, 0.0) < points:
                flags.append("the instructor's solution fails it")
            tests.append({"name": gid, "points": points,
                          "passed": passed / len(graded) if graded else None,
                          "mean": sum(scores) / len(scores) if scores else None,
                          "flags": flags})
        max_score = sum(p for _, p in course.tests(name))
        totals = [r["score"] for r in graded]
        counts = [0] * BINS
        for total in totals:
            counts[min(BINS - 1, int(BINS * total / max_score)) if max_score else 0] += 1
        summary[name] = {"tests": tests, "totals": totals, "max_score": max_score,
                         "histogram": counts, "submissions": len(graded), "absent": absent,
                         "review": review, "not_graded": broken}
    return summary


def _edges(max_score, k):
    return f"{max_score * k / BINS:g}-{max_score * (k + 1) / BINS:g}"


def as_text(summary):
    lines = []
    for name, s in summary.items():
        mean = sum(s["totals"]) / len(s["totals"]) if s["totals"] else 0.0
        lines.append(f"{name}: {s['submissions']} graded, {s['review']} to review, "
                     f"{s['not_graded']} with nothing gradable, {s['absent']} without a "
                     f"submission; mean total {mean:.2f} of {s['max_score']:g}")
        for t in s["tests"]:
            share = "   -" if t["passed"] is None else f"{100 * t['passed']:4.0f}%"
            mean_points = "-" if t["mean"] is None else f"{t['mean']:.2f}"
            flag = f"  <- {', '.join(t['flags'])}" if t["flags"] else ""
            lines.append(f"  {t['name']:<28} {share} passed, mean {mean_points} of "
                         f"{t['points']:g}{flag}")
        top = max(s["histogram"]) or 1
        for k, count in enumerate(s["histogram"]):
            lines.append(f"  {_edges(s['max_score'], k):>11} | {'#' * round(20 * count / top)} "
                         f"{count}")
    return "\n".join(lines)


def _svg(histogram, max_score):
    width, height, bar = 400, 120, 40
    top = max(histogram) or 1
    parts = [f'<svg width="{width}" height="{height + 30}" role="img" '
             f'aria-label="histogram of totals">']
    for k, count in enumerate(histogram):
        h = round(height * count / top)
        parts.append(f'<rect x="{k * bar}" y="{height - h}" width="{bar - 4}" height="{h}" '
                     f'fill="#4a7ab0"><title>{_edges(max_score, k)}: {count}</title></rect>'
                     f'<text x="{k * bar + 2}" y="{height + 14}" font-size="10">'
                     f'{max_score * k / BINS:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _row(t):
    passed = "-" if t["passed"] is None else f"{100 * t['passed']:.0f}%"
    mean = "-" if t["mean"] is None else f"{t['mean']:.2f}"
    return (f"<tr class='{'flag' if t['flags'] else ''}'><td>{html.escape(t['name'])}</td>"
            f"<td>{t['points']:g}</td><td>{passed}</td><td>{mean}</td>"
            f"<td>{html.escape(', '.join(t['flags']))}</td></tr>")


def write_page(term, summary):
    """term/statistics.html: every assignment's table of tests and histogram of totals."""
    sections = []
    for name, s in summary.items():
        rows = "".join(_row(t) for t in s["tests"])
        sections.append(
            f"<h2>{html.escape(name)}</h2><p>{s['submissions']} graded, {s['review']} to "
            f"review, {s['not_graded']} with nothing gradable, {s['absent']} without a "
            f"submission.</p><table><tr><th>test</th><th>points</th>"
            f"<th>passed</th><th>mean points</th><th>flag</th></tr>{rows}</table>"
            f"<p>Totals (of {s['max_score']:g}):</p>{_svg(s['histogram'], s['max_score'])}")
    page = term.folder / "statistics.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Grading statistics</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}
td,th{{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}}
.flag td{{color:#b00}}</style></head><body><h1>Grading statistics</h1>
{''.join(sections)}</body></html>
""")
    return page
