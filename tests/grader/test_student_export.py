"""The student export holds no solutions, hidden tests or wrong answers, and the check
that proves it can fail."""

import pytest

from grading import course
from grading.student_edition import check, export
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export(tmp_path_factory.mktemp("student") / "course")


def test_export_has_the_students_course(exported):
    for name in ("book", "exercises", "rnnbook", "README.md", "pyproject.toml"):
        assert (exported / name).exists(), name
    assert sorted(p.name for p in (exported / "exercises").iterdir()) == course.assignments()
    for absent in ("solutions", "tests", "grading", "ci"):
        assert not (exported / absent).exists(), absent
    check(exported)


def test_the_instructors_guide_stays_with_instructors(exported):
    """The guide (which says how the grader defends itself) is not shipped, and the
    student book's table of contents names only pages that are there."""
    import yaml

    assert not (exported / "book" / "instructors_guide.md").exists()
    toc = yaml.safe_load((exported / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    missing = [f for f in files if not list(exported.glob(f"{f}.*"))]
    assert not missing and len(files) > 10, missing
    assert "jupyter-book build" in (exported / "README.md").read_text()


def test_check_finds_a_leaked_hidden_test(exported, tmp_path):
    line = course.hidden_test_lines("assignment5_lstm")[0]
    (exported / "book" / "leak.md").write_text(f"Here is a test: {line}\n")
    try:
        with pytest.raises(AssertionError, match="hidden test line"):
            check(exported)
    finally:
        (exported / "book" / "leak.md").unlink()


def test_check_finds_solutions_and_wrong_answers(exported):
    (exported / "solutions").mkdir()
    (exported / "wrong_answers.py").write_text("")
    try:
        with pytest.raises(AssertionError, match="solutions is in the export"):
            check(exported)
    finally:
        (exported / "solutions").rmdir()
        (exported / "wrong_answers.py").unlink()
    notebook = ROOT / "solutions" / "assignment1_data" / "assignment1_data.ipynb"
    (exported / "copy.ipynb").write_bytes(notebook.read_bytes())
    try:
        with pytest.raises(AssertionError, match="BEGIN SOLUTION"):
            check(exported)
    finally:
        (exported / "copy.ipynb").unlink()
