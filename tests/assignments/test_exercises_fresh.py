"""exercises/ must be exactly what nbgrader generates from solutions/ now."""

import filecmp

import pytest

from grading import course


@pytest.mark.parametrize("assignment", course.assignments())
def test_student_version_is_up_to_date(assignment, tmp_path):
    fresh, committed = course.generate_release(tmp_path, assignment), course.EXERCISES / assignment
    assert committed.is_dir(), f"exercises/{assignment} is missing: run `make assignments`"
    comparison = filecmp.dircmp(fresh, committed)
    stale = comparison.diff_files + comparison.left_only + comparison.right_only
    assert not stale, f"exercises/{assignment} is stale ({stale}): run `make assignments`"
