"""The wizard writes its items' fields out (safeguards/_answer_fields.html) instead of calling the generic
``field()`` macro 120 times a step: the markup must stay exactly what ``field()`` gives, in every language,
with values to escape and with errors."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import render_template_string
from flask_babel import force_locale

from safeguards.forms import AnswerForm, ShownAnswer, answer_texts

GENERIC = """{% from "macros/forms.html" import field %}
    {{ field(form.choice) }}
    {{ field(form.justification) }}
    {{ field(form.evidence) }}
    {{ field(form.links) }}
    {{ field(form.confidence) }}
"""
WRITTEN_OUT = """{% from "safeguards/_answer_fields.html" import answer_fields %}
    {{ answer_fields(form, texts) }}
"""


def _forms():
    empty = AnswerForm(prefix="a1", data={"choice": ""})
    typed = AnswerForm(
        prefix="a22",
        data={
            "choice": "3",
            "justification": "",
            "evidence": 'La ley <b>dice</b> "algo" & más',
            "links": "https://example.org/a?b=1&c=2\nhttps://example.org/d",
            "confidence": 'Bastante <seguro> & "cierto"',
        },
    )
    wrong = AnswerForm(prefix="a333", data={"choice": "not_applicable", "confidence": "x"})
    for name in ("choice", "justification", "evidence", "links", "confidence"):
        wrong[name].errors = [f"Mal <{name}>", "y otra & más"]
    return empty, typed, wrong


@pytest.mark.parametrize("language", ["es", "pt_BR", "en"])
def test_written_out_fields_match_the_generic_macro(app, language):
    with app.test_request_context(), force_locale(language):
        for form in _forms():
            generic = render_template_string(GENERIC, form=form)
            written = render_template_string(WRITTEN_OUT, form=form, texts=answer_texts())
            assert written == generic


def test_written_out_version_matches_the_widget(app):
    with app.test_request_context():
        for form in _forms():
            for version in (None, 7, '3"<&'):
                form.version.data = version
                written = render_template_string(
                    '{% from "safeguards/_answer_fields.html" import version_field %}{{ version_field(f) }}',
                    f=form.version,
                )
                assert written == str(form.version())


@pytest.mark.parametrize("language", ["es", "pt_BR", "en"])
def test_a_saved_answer_shows_as_its_form_would(app, language):
    """Before anything is sent, a step shows each saved answer without building its form: the same markup."""
    saved = [
        _saved("", 1),
        _saved(
            "3",
            12,
            evidence='La ley <b>dice</b> "algo" & más',
            links="https://example.org/a?b=1&c=2\nhttps://example.org/d",
            confidence='Bastante <seguro> & "cierto"',
        ),
        _saved("not_applicable", 3, justification="No hay ley", confidence="x"),
    ]
    template = (
        WRITTEN_OUT
        + '{% from "safeguards/_answer_fields.html" import version_field %}{{ version_field(form.version) }}'
    )
    with app.test_request_context(), force_locale(language):
        for number, answer in enumerate(saved, 1):
            form = AnswerForm(prefix=f"a{number}", obj=answer, data={"choice": answer.choice})
            form.version.data = answer.version
            built = render_template_string(template, form=form, texts=answer_texts())
            shown = render_template_string(
                template, form=ShownAnswer(answer, f"a{number}"), texts=answer_texts()
            )
            assert shown == built


def _saved(choice: str, version: int, **texts) -> SimpleNamespace:
    """An answer as saved: every text empty unless given."""
    empty = dict.fromkeys(("justification", "evidence", "links", "confidence"), "")
    return SimpleNamespace(choice=choice, version=version, **(empty | texts))
