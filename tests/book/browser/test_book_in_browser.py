"""The built book as a reader meets it, in headless Chromium (Debian's package).

Runs after `jupyter-book build` (ci/run_tests.sh does that first) against
_build/html served on localhost. Every request that leaves localhost is blocked, as on a
reader's machine without a network: the pages, figures and quizzes must still work.
A screenshot of every page goes to _build/screenshots/ for a person to look at.

Chromium is found at $CHROMIUM, else on PATH, else /usr/bin/chromium; Playwright only
drives it (it never downloads a browser).
"""

import functools
import html
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from ci.setup_cell import settings
from tests.conftest import ROOT  # noqa: E402

HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
REPOSITORY = settings()[0]

# Console errors that are not the book's fault, each with the reason it is allowed.
ALLOWED_CONSOLE = [
    # pydata-sphinx-theme logs this on a reader's first visit (nothing stored yet).
    "Got invalid theme mode",
    # MathJax 2's HTML-CSS output declares an empty measuring font, MathJax_Blank, with
    # src url('about:blank'); Chromium reports the blocked font load. The formulas are
    # typeset all the same (test_maths_is_typeset_offline checks them).
    "Access to font at 'about:blank'",
]
# Words the search must find in each chapter (the chapter should be among the results).
SEARCH_WORDS = {
    "ch00_preface": "placeholder",
    "ch01_data": "echo",
    "ch02_expected_losses": "entropy",
    "ch03_vanilla_rnn": "truncated",
    "ch04_static_dynamic": "scan",
    "ch05_lstm": "forget",
    "ch06_multilayer": "stacked",
    "ch07_dropout": "dropout",
    "ch08_shakespeare": "Witten",
    "ch09_seq2seq": "Bahdanau",
}


def toc_pages():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


PAGES = toc_pages()
CHAPTERS = [p for p in PAGES if Path(p).name.startswith("ch")]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url():
    if not (HTML / "index.html").exists():
        pytest.fail("no built book in _build/html: run `make book` first")
    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail(f"no Chromium at {executable}: install Debian's `chromium` or set CHROMIUM")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update"])
        yield browser
        browser.close()


class Visit:
    """One page load, with what the console said and which requests failed."""

    def __init__(self, browser, base_url, path):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.base_url = base_url
        self.console_errors, self.failed_local, self.blocked = [], [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self.response = self.page.goto(f"{base_url}/{path}", wait_until="load")
        self.page.wait_for_timeout(500)  # let the theme's and the quizzes' scripts run

    def _local(self, url):
        return url.startswith(self.base_url) or url.startswith("data:")

    def _route(self, route):
        if self._local(route.request.url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _console(self, message):
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if "Failed to load resource" in message.text and source and not self._local(source):
            return  # an external resource we blocked on purpose
        if any(allowed in message.text for allowed in ALLOWED_CONSOLE):
            return
        self.console_errors.append(f"{message.text} ({source})")

    def _failed(self, request):
        if self._local(request.url):
            self.failed_local.append(f"{request.url}: {request.failure}")

    def _response(self, response):
        if self._local(response.url) and response.status >= 400:
            self.failed_local.append(f"{response.url}: HTTP {response.status}")

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def visit(browser, base_url):
    """Each page is loaded once and every check of it reads that load (loading is most
    of these tests' time). The console and the failed requests are recorded from the
    load on, so a check still sees everything that went wrong on the page; only the quiz
    check clicks, and the checks that run after it see its feedback open."""
    visits = {}

    def open_page(path):
        if path not in visits:
            visits[path] = Visit(browser, base_url, path)
        return visits[path]

    yield open_page
    for v in visits.values():
        v.close()


def page_path(toc_file):
    return f"{toc_file}.html"


@pytest.mark.parametrize("toc_file", PAGES)
def test_page_loads_cleanly(visit, toc_file):
    v = visit(page_path(toc_file))
    assert v.response is not None and v.response.ok, f"{toc_file}: HTTP {v.response.status}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # JPEG: a chapter is about 27,000 pixels tall, which Chromium encodes twice as fast
    # as a PNG (1.6 s against 3.2 s for chapter 3 here).
    v.page.screenshot(path=SCREENSHOTS / f"{Path(toc_file).name}.jpg", full_page=True,
                      type="jpeg", quality=70)
    assert not v.failed_local, f"{toc_file}: local requests failed: {v.failed_local}"
    assert not v.console_errors, f"{toc_file}: console errors: {v.console_errors}"
    assert v.page.locator("article h1").count() == 1, f"{toc_file}: no page title"


@pytest.mark.parametrize("toc_file", CHAPTERS)
def test_chapter_shows_a_loaded_figure(visit, toc_file):
    v = visit(page_path(toc_file))
    widths = v.page.eval_on_selector_all(
        "article img", "images => images.map(image => image.naturalWidth)")
    assert any(w > 0 for w in widths), f"{toc_file}: no figure loaded ({widths})"


@pytest.mark.parametrize("toc_file", CHAPTERS)
def test_launch_and_download_buttons_point_at_the_chapter(visit, toc_file, base_url):
    v = visit(page_path(toc_file))
    links = v.page.eval_on_selector_all("a", "links => links.map(link => link.href)")
    colab = [link for link in links if "colab.research.google.com" in link]
    assert colab == [f"https://colab.research.google.com/github/{REPOSITORY.split('github.com/')[1]}"
                     f"/blob/main/{toc_file}.ipynb"], f"{toc_file}: Colab links {colab}"
    downloads = [link for link in links if link.endswith(f"_sources/{toc_file}.ipynb")]
    assert downloads, f"{toc_file}: no download link for its notebook"
    response = v.page.request.get(downloads[0])
    assert response.ok and b'"cells"' in response.body(), f"{toc_file}: download failed"


def plain(text):
    """Feedback text without its maths (rendered or not), without HTML tags (feedback is
    stored as HTML and read back as text) and with single spaces."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text or ""))
    text = re.sub(r"\$[^$]*\$|\\\(.*?\\\)", " ", text)
    return " ".join(text.split())


def feedback(page, quiz, expected, seconds=5):
    """The quiz's feedback once it shows `expected`, or whatever it shows after
    `seconds` (so a busy machine only slows it)."""
    for _ in range(int(seconds / 0.05)):
        shown = plain(quiz.locator(".Feedback").inner_text())
        if expected and expected in shown:
            return shown
        page.wait_for_timeout(50)
    return shown


def answer_choice(page, quiz, button, expected):
    button.click()
    return feedback(page, quiz, expected)


def answer_number(page, quiz, value, expected):
    field = quiz.locator(".Input-text")
    field.fill(str(value))
    field.press("Enter")
    return feedback(page, quiz, expected)


@pytest.mark.parametrize("toc_file", CHAPTERS)
def test_every_quiz_answers_back(visit, toc_file):
    import json

    v = visit(page_path(toc_file))
    quizzes = v.page.locator(".Quiz")
    try:  # the quizzes are drawn by a script after the page has loaded
        v.page.wait_for_function("document.querySelectorAll('.Quiz').length >= 3",
                                 timeout=10_000)
    except PlaywrightTimeout:
        pass
    assert quizzes.count() >= 3, f"{toc_file}: only {quizzes.count()} quiz questions"
    for index in range(quizzes.count()):
        quiz = quizzes.nth(index)
        quiz.scroll_into_view_if_needed()
        where = f"{toc_file}, question {index + 1}"
        buttons = quiz.locator(".MCButton")
        if buttons.count():
            kinds = [buttons.nth(i).get_attribute("data-correct") == "true"
                     for i in range(buttons.count())]
            assert any(kinds) and not all(kinds), f"{where}: needs right and wrong answers"
            for i, correct in enumerate(kinds):
                expected = plain(buttons.nth(i).get_attribute("data-feedback"))
                shown = answer_choice(v.page, quiz, buttons.nth(i), expected)
                assert expected and expected in shown, (
                    f"{where}: clicking a {'correct' if correct else 'wrong'} answer showed "
                    f"{shown!r}, expected {expected!r}")
        else:
            answers = json.loads(quiz.locator(".Input-text").get_attribute("data-answers"))
            right = next(a for a in answers if a.get("correct"))
            value = sum(right["range"]) / 2 if right["type"] == "range" else right["value"]
            shown = answer_number(v.page, quiz, value, plain(right["feedback"]))
            assert plain(right["feedback"]) in shown, f"{where}: {value} showed {shown!r}"
            wrong = [a for a in answers if a.get("correct") is False and a["type"] == "value"]
            fallback = next((a for a in answers if a["type"] == "default"), None)
            probe, expected = ((wrong[0]["value"], wrong[0]["feedback"]) if wrong
                               else (987654, fallback["feedback"] if fallback else ""))
            shown = answer_number(v.page, quiz, probe, plain(expected))
            assert plain(expected) in shown and shown != plain(right["feedback"]), (
                f"{where}: the wrong answer {probe} showed {shown!r}")


@pytest.mark.parametrize("toc_file", [c for c in CHAPTERS if Path(c).name != "ch00_preface"])
def test_maths_is_typeset_offline(visit, toc_file):
    """MathJax is served by the book itself: with every other host blocked, each formula
    on the page is typeset (MathJax 2 puts its rendering in .MathJax elements)."""
    v = visit(page_path(toc_file))
    # Sphinx marks every formula `math notranslate`; MathJax adds its rendering inside.
    formulas = v.page.locator("article .math.notranslate").count()
    assert formulas > 0, f"{toc_file}: no maths found"
    v.page.wait_for_function(
        "n => document.querySelectorAll('article .math.notranslate .MathJax').length >= n",
        arg=formulas, timeout=30_000)
    errors = v.page.locator("article .MathJax_Error, article merror").count()
    assert errors == 0, f"{toc_file}: {errors} formulas failed to typeset"
    assert not [u for u in v.blocked if "mathjax" in u.lower()], \
        f"{toc_file}: MathJax was requested from another host: {v.blocked}"


@pytest.mark.parametrize("toc_file", CHAPTERS)
def test_figures_have_captions_and_alt_text(visit, toc_file):
    """A screen reader hears what each figure shows, not its file name."""
    v = visit(page_path(toc_file))
    images = v.page.eval_on_selector_all("article img", """images => images.map(image => ({
        alt: image.getAttribute('alt') || '',
        caption: image.closest('figure')?.querySelector('figcaption')?.innerText || ''}))""")
    assert images, f"{toc_file}: no figures"
    for index, image in enumerate(images):
        where = f"{toc_file}, figure {index + 1}"
        assert len(image["alt"]) >= 40 and not re.search(r"\.(png|svg|jpe?g)$", image["alt"]), \
            f"{where}: alt text {image['alt']!r} does not describe the figure"
        assert len(image["caption"]) >= 20, f"{where}: no caption"


@pytest.mark.parametrize("toc_file", CHAPTERS)
def test_code_fits_the_page(visit, toc_file):
    """No code cell scrolls sideways at a laptop's width (1280 pixels)."""
    v = visit(page_path(toc_file))
    wide = v.page.eval_on_selector_all("article div.cell_input pre", """blocks => blocks
        .filter(block => block.scrollWidth > block.clientWidth + 2)
        .map(block => block.innerText.split('\\n')
             .reduce((a, b) => (b.length > a.length ? b : a), ''))""")
    assert not wide, f"{toc_file}: code wider than the page, longest lines: {wide}"


@pytest.mark.parametrize("toc_file", CHAPTERS)
def test_outputs_fit_the_page(visit, toc_file):
    """No HTML output (a table, a grid of samples) or figure scrolls sideways at a
    laptop's width: a reader would see it cut at the edge of the text column. (Printed
    lines longer than the column still scroll inside their box; not checked yet.)

    Checked twice: as built, and with a 300-character run with no space added to every
    preformatted block of an HTML output, the worst a generated sample can hold, so
    that the check does not depend on what a training run happened to sample."""
    v = visit(page_path(toc_file))
    measure = """() => [...document.querySelectorAll(
            'article div.cell_output .text_html, article div.cell_output img')]
        .filter(box => box.scrollWidth > box.clientWidth + 2
                || box.getBoundingClientRect().right
                   > document.querySelector('article').getBoundingClientRect().right + 2)
        .map(box => box.className + ': ' + (box.innerText || box.alt).slice(0, 60))"""
    wide = v.page.evaluate(measure)
    assert not wide, f"{toc_file}: outputs wider than the page: {wide}"
    blocks = v.page.evaluate("""() => {
        const blocks = [...document.querySelectorAll('article div.cell_output .text_html pre')];
        blocks.forEach(pre => { pre.dataset.original = pre.textContent;
                                pre.textContent += 'RMEJEYZYCXULK'.repeat(24); });
        return blocks.length; }""")
    try:
        wide = v.page.evaluate(measure)
    finally:  # the page is shared with the other checks: put the text back
        v.page.evaluate("""() => document.querySelectorAll('pre[data-original]')
            .forEach(pre => { pre.textContent = pre.dataset.original;
                              delete pre.dataset.original; })""")
    assert not wide, (f"{toc_file}: with a long unbroken run in its {blocks} preformatted "
                      f"HTML blocks, outputs wider than the page: {wide}")


@pytest.mark.parametrize(("chapter", "word"), sorted(SEARCH_WORDS.items()))
def test_search_finds_a_chapter(visit, chapter, word):
    v = visit(f"search.html?q={word}")
    v.page.wait_for_selector("#search-results li", timeout=10_000)
    hrefs = v.page.eval_on_selector_all("#search-results li a", "a => a.map(x => x.href)")
    assert any(urlparse(h).path.endswith(f"/book/{chapter}.html") for h in hrefs), (
        f"searching for {word!r} did not list {chapter}: {hrefs[:10]}")
