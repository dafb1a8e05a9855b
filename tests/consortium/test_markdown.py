"""Markdown to safe HTML, rendered once per worker for a text it has seen."""

from consortium.markdown import render_markdown


def test_markdown_is_sanitised():
    html = render_markdown("## Title\n\n[link](javascript:alert(1)) <script>x</script>")
    assert "<h2>Title</h2>" in html
    assert "href" not in html
    assert "<script>" not in html


def test_a_text_already_rendered_is_not_parsed_again(monkeypatch):
    from consortium import markdown

    text = "A guide rendered on every visit: **once** is enough."
    first = render_markdown(text)
    monkeypatch.setattr(markdown._renderer, "render", lambda _text: "parsed again")
    assert render_markdown(text) == first
    assert render_markdown(text + " Edited.") == "parsed again"
