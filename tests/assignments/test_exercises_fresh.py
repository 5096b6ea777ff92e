"""exercises/ must be exactly what nbgrader generates from solutions/ now."""

import filecmp

import pytest

from grading import course


@pytest.fixture(scope="module")
def release(generated_course):
    """Every assignment's student version, generated in one nbgrader run."""
    return generated_course / "release"


@pytest.mark.parametrize("assignment", course.assignments())
def test_student_version_is_up_to_date(assignment, release):
    fresh, committed = release / assignment, course.EXERCISES / assignment
    assert committed.is_dir(), f"exercises/{assignment} is missing: run `make assignments`"
    comparison = filecmp.dircmp(fresh, committed)
    stale = comparison.diff_files + comparison.left_only + comparison.right_only
    assert not stale, f"exercises/{assignment} is stale ({stale}): run `make assignments`"


def test_no_exercise_without_a_solution():
    extra = sorted({p.name for p in course.EXERCISES.iterdir() if p.is_dir()}
                   - set(course.assignments()))
    assert not extra, f"exercises/ has folders with no source in solutions/: {extra}"


@pytest.mark.parametrize("assignment", course.assignments())
def test_each_test_cell_says_its_points_first(assignment):
    """Students see what a test is worth: its first line, as nbgrader's metadata says."""
    wrong = []
    for cell in course.source_notebook(assignment).cells:
        if course.is_test(cell):
            points = float(course.nbgrader_info(cell)["points"])
            shown = f"{points:g} point{'' if points == 1 else 's'}"
            want = f"# Test {course.grade_id(cell)}: {shown}"
            if cell.source.split("\n", 1)[0] != want:
                wrong.append(f"{course.grade_id(cell)}: first line should be {want!r}")
    assert not wrong, "\n".join(wrong)
