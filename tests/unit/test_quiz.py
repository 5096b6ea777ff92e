import pytest

from rnnbook import quiz

CHOICE = r"""
??
Which is right?
\w: this
\f: no
\c: that
\f: yes
??
"""


def test_choice_question():
    [question] = quiz.parse(CHOICE)
    assert question["type"] == "multiple_choice"
    assert question["question"] == "Which is right?"
    assert question["answers"] == [
        {"answer": "this", "correct": False, "feedback": "no"},
        {"answer": "that", "correct": True, "feedback": "yes"},
    ]


def test_code_spans_become_html_and_the_rest_is_escaped():
    [question] = quiz.parse("??\nIs `a < b` true when a & b?\n\\c: `x` yes\n\\f: odd ` tick\n"
                            "\\w: no\n??")
    assert question["question"] == "Is <code>a &lt; b</code> true when a &amp; b?"
    assert question["answers"][0]["answer"] == "<code>x</code> yes"
    assert question["answers"][0]["feedback"] == "odd ` tick"


def test_numeric_question_with_tolerance_and_default():
    [question] = quiz.parse("??\nHow much?\n\\c: 0.66 +- 0.01\n\\w: 0.5\n\\f: base rate\n"
                            "\\default: think again\n??")
    assert question["type"] == "numeric"
    correct, wrong, default = question["answers"]
    assert correct["type"] == "range" and correct["range"] == pytest.approx([0.65, 0.67])
    assert wrong == {"type": "value", "value": 0.5, "correct": False, "feedback": "base rate"}
    assert default == {"type": "default", "feedback": "think again"}


def test_zero_tolerance_is_an_exact_value():
    # jupyterquiz treats a range as half-open: [2, 2] would reject the answer 2.
    [question] = quiz.parse("??\nHow many?\n\\c: 2 +- 0\n??")
    assert question["answers"][0]["type"] == "value"
    assert question["answers"][0]["value"] == 2


def test_several_correct_answers_make_a_many_choice_question():
    [question] = quiz.parse("??\nPick all\n\\c: a\n\\c: b\n\\w: c\n??")
    assert question["type"] == "many_choice"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("??\nQ\n\\w: a\n\\w: b\n??", "no correct"),
        ("??\nQ\n\\c: a\n\\w: b\n", "never closed"),
        ("stray\n??\nQ\n\\c: a\n\\w: b\n??", "outside"),
        ("??\n\\c: a\n\\w: b\n??", "no question"),
        ("??\nQ\n\\f: orphan\n\\c: a\n\\w: b\n??", "must follow"),
        ("", r"no \?\? blocks"),
    ],
)
def test_bad_quiz_text_gets_a_clear_error(text, message):
    with pytest.raises(quiz.QuizFormatError, match=message):
        quiz.parse(text)

