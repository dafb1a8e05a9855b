"""Languages are named in the reader's language, in lower case where a sentence needs it."""

from __future__ import annotations

import pytest

from consortium.i18n import language_label, language_name
from tests.consortium.library.conftest import make_resource  # noqa: F401 - the library fixture
from tests.trainings.factories import make_training


@pytest.mark.parametrize(
    ("reader", "names"),
    [
        ("es", ("español", "portugués", "inglés")),
        ("pt_BR", ("espanhol", "português", "inglês")),
        ("en", ("Spanish", "Portuguese", "English")),
    ],
)
def test_names_in_the_readers_language(app, reader, names):
    with app.app_context():
        assert tuple(language_name(code, reader) for code in ("es", "pt_BR", "en")) == names
        assert language_label("pt_BR", reader)[0].isupper()


def test_spanish_training_page_names_the_fallback_language_in_spanish(client, db):
    training = make_training(title={"en": "Consent basics"}, language="en", summary={"en": "Summary."})
    db.session.commit()
    html = client.get(f"/trainings/{training.id}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "se muestra en inglés" in html and "English" not in html.split("<footer")[0]


def test_translated_guide_names_its_original_language(client, make_resource, db):  # noqa: F811
    make_resource({"pt_BR": ("Guia do Pix", "Texto."), "es": ("Guía de Pix", "Texto.")}, original="pt_BR")
    html = client.get("/library/es/guia-de-pix").get_data(as_text=True)
    assert "Traducido del portugués" in html and "Português." not in html
    english = client.get("/library/es/guia-de-pix", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "You are reading it in Spanish" in english or "This page is in Spanish" in english
