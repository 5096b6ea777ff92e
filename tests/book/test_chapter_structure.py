"""Every chapter has the same frame: the notation at its start, exercises at its end,
captions and alt text on its figures."""

import re

import nbformat
import pytest

from tests.conftest import ROOT

CHAPTERS = sorted((ROOT / "book").glob("ch*.ipynb"))
WITH_MATHS = [p for p in CHAPTERS if not p.name.startswith("ch00")]


def markdown(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


@pytest.mark.parametrize("path", WITH_MATHS, ids=lambda p: p.name)
def test_chapter_starts_with_the_notation(path):
    cells = markdown(path)
    assert "```{include} _notation.md" in cells[1].source, \
        f"{path.name}: the cell after the title should fold in book/_notation.md"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_exercises(path):
    sections = [c.source for c in markdown(path) if c.source.startswith("## Exercises")]
    assert len(sections) == 1, f"{path.name}: needs one '## Exercises' section"
    items = re.findall(r"^\d+\. ", sections[0], flags=re.M)
    assert 3 <= len(items) <= 5, f"{path.name}: {len(items)} exercises, expected 3 to 5"
    hints = re.findall(r"^   ```\{admonition\} Hint\n   :class: dropdown$", sections[0], flags=re.M)
    assert len(hints) == len(items), f"{path.name}: every exercise needs a folded hint"


@pytest.mark.parametrize("path", sorted((ROOT / "book").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_figure_cell_has_a_caption_and_alt_text(path):
    """A cell that draws (matplotlib) says what its figure shows, for the caption and for
    screen readers; the browser test checks that both reach the page."""
    for cell in nbformat.read(path, as_version=4).cells:
        draws = cell.cell_type == "code" and re.search(r"plt\.(subplots|figure|show)", cell.source)
        if not draws:
            continue
        options = cell.metadata.get("mystnb", {})
        caption = options.get("figure", {}).get("caption", "")
        alt = options.get("image", {}).get("alt", "")
        where = f"{path.name}, cell {cell.get('id')}"
        assert len(caption) >= 20, f"{where}: no figure caption in metadata mystnb.figure"
        assert len(alt) >= 40, f"{where}: no alt text in metadata mystnb.image"
