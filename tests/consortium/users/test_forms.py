"""What people may type into the account forms: a name is one line, so no mail header is ever broken."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.users.models import User
from tests.conftest import field_error
from tests.consortium.users.test_views import STRONG

HEADER_INJECTION = "Eve\r\nBcc: everyone@example.org"


def _signup(submit, name):
    data = {
        "name": name,
        "email": "eve@example.org",
        "password": STRONG,
        "timezone": "America/Lima",
        "accept_terms": "y",
    }
    return submit("/signup", data)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("es", "Escríbalo en una sola línea"),
        ("pt_BR", "Escreva em uma única linha"),
        ("en", "Write this on one line"),
    ],
)
def test_signup_refuses_a_name_with_a_line_break_in_the_readers_language(
    client, submit, db, mail_outbox, language, message
):
    client.set_cookie("lang", language)
    response = _signup(submit, HEADER_INJECTION)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert 'value="eve@example.org"' in html  # what was typed is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert mail_outbox() == []


@pytest.mark.parametrize(
    "name",
    [
        "Eve\nBcc: everyone@example.org",
        "Eve\tTab",
        "Eve\x00",
        "Eve\u2028Line",
        "Eve\u202eevil",  # right-to-left override: spoofs how the name reads
        "Eve\u200b",  # zero-width space: an invisible look-alike of another account
    ],
)
def test_profile_refuses_a_name_with_control_characters(client, submit, login_as, member, db, name):
    login_as(member)
    response = submit("/account", {"name": name, "locale": "en", "timezone": "America/Lima"})
    assert response.status_code == 200 and field_error(response.get_data(as_text=True), "name")
    db.session.refresh(member)
    assert member.name == "Marta Miembro"


@pytest.mark.parametrize(
    "name",
    [
        "Zoë O\u2019Brien-Núñez",
        "Ana María\u00a0Silva",  # no-break space
        "Leila\u200cZand",  # zero-width non-joiner, as Persian spelling needs
        "João \U0001f469\u200d\U0001f4bb",  # an emoji sequence joined by a zero-width joiner
    ],
)
def test_profile_accepts_names_in_any_script(client, submit, login_as, member, db, name):
    login_as(member)
    response = submit("/account", {"name": name, "locale": "es", "timezone": "America/Lima"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.name == name
