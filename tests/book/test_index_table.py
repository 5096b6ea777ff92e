"""The assignments table on the book's front page matches the assignments: every one
listed, in order, with the points its test cells add up to."""

import re

from grading import course
from tests.conftest import ROOT


def test_points_table_matches_the_notebooks():
    text = (ROOT / "book" / "index.md").read_text()
    rows = re.findall(r"^\| `(assignment\w+)` \| (\d+) \| .* \| (\d+) \|$", text, re.MULTILINE)
    assert [name for name, _, _ in rows] == course.assignments(), rows
    for name, chapter, points in rows:
        total = sum(p for _, p in course.tests(name))
        assert float(points) == total, f"book/index.md gives {name} {points} points, " \
                                       f"its test cells add up to {total:g}"
        assert name.removeprefix("assignment").startswith(chapter), (name, chapter)
