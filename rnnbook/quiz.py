"""Quiz blocks: a small text format for self-check questions, shown with jupyterquiz.

The format descends from the ``??`` blocks of the original tutorials. A chapter
writes its questions as text in a code cell and calls :func:`show`::

    ??
    What replaces `tf.placeholder` in TensorFlow 2?
    \\w: `tf.Variable`
    \\f: Variables hold what training changes, not the data you feed in.
    \\c: An argument of a Python function
    \\f: Yes: the data is passed in each time the function is called.
    ??

Lines between the ``??`` fences:

- the first lines, up to the first answer, are the question (maths in $...$, code in
  backticks; jupyterquiz shows the text as HTML, so ``<`` and ``&`` are escaped and
  `code` becomes ``<code>code</code>``);
- ``\\c: text`` a correct answer, ``\\w: text`` a wrong one;
- ``\\f: text`` the feedback shown when the answer just above it is chosen;
- ``\\default: text`` (numeric questions) the feedback for any other number.

A question whose answers are all numbers is a numeric question: the reader types a
number. A correct numeric answer may carry a tolerance, ``\\c: 0.6616 +- 0.0005``,
and is accepted anywhere in that range. A choice question with more than one
correct answer asks the reader to pick all of them.
"""

import html
import re

_FENCE = "??"
_DIRECTIVE = re.compile(r"^\\(c|w|f|default):\s?(.*)$")
_NUMBER = re.compile(
    r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(?:(?:\+-|±)\s*(\S+))?\s*$"
)


def _html(text):
    """Text as jupyterquiz shows it (HTML): `code` spans in <code>, the rest escaped."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: no code spans, show them as typed
        return html.escape(text, quote=False)
    return "".join(f"<code>{html.escape(part, quote=False)}</code>" if i % 2
                   else html.escape(part, quote=False) for i, part in enumerate(parts))


class QuizFormatError(ValueError):
    """A quiz block that cannot be read; the message says which line and why."""


def parse(text):
    """Parse every ``??`` block of *text* into jupyterquiz's list-of-dicts format."""
    questions = []
    block = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == _FENCE:
            if block is None:
                block = {"start": number, "lines": []}
            else:
                questions.append(_parse_block(block["lines"], block["start"]))
                block = None
        elif block is not None:
            block["lines"].append((number, line))
        elif line.strip():
            raise QuizFormatError(f"line {number}: text outside a ?? block: {line.strip()!r}")
    if block is not None:
        raise QuizFormatError(f"line {block['start']}: this ?? block is never closed")
    if not questions:
        raise QuizFormatError("no ?? blocks found")
    return questions


def _parse_block(lines, start):
    question_lines, answers, default = [], [], None
    for number, line in lines:
        match = _DIRECTIVE.match(line.strip())
        if match is None:
            if answers:
                # A continuation of the previous answer's or feedback's text.
                key = "feedback" if "feedback" in answers[-1] else "text"
                answers[-1][key] += "\n" + line
            else:
                question_lines.append(line)
            continue
        kind, value = match.groups()
        if kind in ("c", "w"):
            answers.append({"correct": kind == "c", "text": value.strip(), "line": number})
        elif kind == "f":
            if not answers or "feedback" in answers[-1]:
                raise QuizFormatError(f"line {number}: \\f: must follow a \\c: or \\w: answer")
            answers[-1]["feedback"] = value.strip()
        else:
            default = value.strip()
    question = "\n".join(question_lines).strip()
    if not question:
        raise QuizFormatError(f"line {start}: the block has no question text")
    if not any(answer["correct"] for answer in answers):
        raise QuizFormatError(f"line {start}: the block has no correct (\\c:) answer")
    if len(answers) < 2 and not all(_NUMBER.match(a["text"]) for a in answers):
        raise QuizFormatError(f"line {start}: a choice question needs at least two answers")
    for answer in answers:
        answer.setdefault("feedback", "Correct." if answer["correct"] else "Not quite.")
        answer["feedback"] = _html(answer["feedback"])
    question = _html(question)
    default = None if default is None else _html(default)
    if all(_NUMBER.match(answer["text"]) for answer in answers):
        return _numeric(question, answers, default)
    if default is not None:
        raise QuizFormatError(f"line {start}: \\default: is for numeric questions only")
    kind = "many_choice" if sum(a["correct"] for a in answers) > 1 else "multiple_choice"
    return {
        "question": question,
        "type": kind,
        "answers": [
            {"answer": _html(a["text"]), "correct": a["correct"], "feedback": a["feedback"]}
            for a in answers
        ],
    }


def _numeric(question, answers, default):
    entries = []
    for answer in answers:
        value, tolerance = _NUMBER.match(answer["text"]).groups()
        if tolerance is None or float(tolerance) == 0:
            # jupyterquiz's ranges are half-open, so an exact answer must be a value.
            entries.append({"type": "value", "value": float(value)})
        else:
            low, high = float(value) - float(tolerance), float(value) + float(tolerance)
            entries.append({"type": "range", "range": [low, high]})
        entries[-1].update(correct=answer["correct"], feedback=answer["feedback"])
    entries.append({"type": "default", "feedback": default or "Try again."})
    return {"question": question, "type": "numeric", "precision": 4, "answers": entries}


def show(text):
    """Render the quiz blocks in *text* as interactive questions (Jupyter, Colab, book)."""
    from jupyterquiz import display_quiz

    display_quiz(parse(text), shuffle_answers=False)
