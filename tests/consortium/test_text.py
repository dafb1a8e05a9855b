"""The text rules every form, API input and template applies (consortium.text)."""

from __future__ import annotations

import pytest

from consortium import text


@pytest.mark.parametrize(
    "value",
    [
        "Eve\r\nBcc: everyone@example.org",
        "Eve\nBcc",
        "Eve\rBcc",
        "Tab\there",
        "NUL\x00",
        "Escape\x1b[31m",
        "C1\x85next line",
        "Line\u2028separator",
        "Paragraph\u2029separator",
        "Right-to-left\u202eoverride",
        "Isolate\u2066x\u2069",
        "Zero\u200bwidth space",
        "Byte order\ufeffmark",
        "Lone \ud800 surrogate",
    ],
)
def test_one_line_values_refuse_breaks_tabs_and_invisible_characters(value):
    assert not text.is_single_line(value)


@pytest.mark.parametrize(
    "value",
    [
        "Lucía Pérez",
        "Zoë O\u2019Brien-Núñez",
        "Ana\u00a0María",
        "João da Silva",
        "Leila\u200cZand",  # zero-width non-joiner: Persian spelling
        "\U0001f469\u200d\U0001f4bb",  # zero-width joiner inside an emoji sequence
        "Derechos Digitales Andinos (DDA) · Perú",
        "中文名字",
        "",
    ],
)
def test_one_line_values_accept_any_script(value):
    assert text.is_single_line(value)


def test_multi_line_text_keeps_breaks_and_tabs_but_refuses_other_controls():
    assert text.is_plain_text("Uno\r\nDos\n\tTres\u2028")
    for control in ("\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ud800"):
        assert not text.is_plain_text(f"Uno{control}Dos"), repr(control)


@pytest.mark.parametrize(
    "link",
    [
        "https://example.org",
        "http://example.org/path?q=1#frag",
        " https://example.org/ ",  # browsers drop the surrounding spaces, and so do we
        "HTTPS://EXAMPLE.ORG",
        "https://[2001:db8::1]/",
        "mailto:datos@example.org",
    ],
)
def test_web_and_mail_links_are_accepted(link):
    assert text.is_link(link)


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "javascript://example.org/%0Aalert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x00javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/file",
        "//evil.example/",
        "/relative/path",
        "example.org",
        "https://",
        "https:///path",
        "https://localhost",
        "https://[::1",
        "https://example.org@evil.example/",
        "https://exa mple.org",
        "mailto:",
        "",
    ],
)
def test_links_a_browser_could_run_or_misread_are_refused(link):
    assert not text.is_link(link)


def test_web_schemes_refuse_mailto():
    assert not text.is_link("mailto:datos@example.org", text.WEB_SCHEMES)
    assert text.is_link("https://example.org", text.WEB_SCHEMES)


@pytest.mark.parametrize(
    ("language", "line", "plain", "links"),
    [
        ("es", "Escríbalo en una sola línea", "Quite los caracteres", "(esta no: javascript:x)"),
        ("pt_BR", "Escreva em uma única linha", "Remova os caracteres", "(este não: javascript:x)"),
        ("en", "Write this on one line", "Remove the invisible", "(this one does not: javascript:x)"),
    ],
)
def test_messages_are_translated(app, language, line, plain, links):
    with app.test_request_context(headers={"Accept-Language": language}):
        assert str(text.LINE_ERROR).startswith(line)
        assert str(text.TEXT_ERROR).startswith(plain)
        assert (text.LINKS_ERROR % {"link": "javascript:x"}).endswith(links)
