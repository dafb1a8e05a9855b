"""Contributions through the pages: who may take part (per consultation), kinds, language, acting for an
organisation, supports (one per person), co-signatures (one per organisation) and moderation before or
after publication, which hides without deleting and leaves an audit record."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from consortium.governance.contribution_models import Contribution, Cosignature, Support
from consortium.governance.models import Consultation, ConsultationState, Eligibility, Moderation, SeatRole
from tests.conftest import field_error, hidden_fields
from tests.consortium.governance.contributing import contribute as _contribute
from tests.consortium.governance.contributing import logout_form as _logout_form
from tests.consortium.governance.contributing import page as _page
from tests.consortium.governance.contributing import person as _person
from tests.consortium.governance.contributing import post as _post
from tests.consortium.governance.contributing import rows as _rows
from tests.factories import OrganisationFactory

# Who can take part --------------------------------------------------------------------------------


LABELS = {
    "public": "Anyone signed in with a verified e-mail address",
    "verified_organisations": "People who belong to a verified organisation",
    "members": "seat holders who take part (not observers)",
}


@pytest.mark.parametrize(
    ("eligibility", "who", "allowed", "why"),
    [
        ("public", "verified e-mail", True, None),
        ("public", "unconfirmed e-mail", False, "Confirm your e-mail address to take part."),
        ("verified_organisations", "verified organisation", True, None),
        ("verified_organisations", "verified e-mail", False, "belong to a verified organisation"),
        ("verified_organisations", "unverified organisation", False, "belong to a verified organisation"),
        ("members", "seat holder", True, None),
        ("members", "verified organisation", False, "seat holders who take part"),
        ("members", "observer", False, "seat holders who take part"),
    ],
)
def test_each_eligibility_lets_in_whom_it_names_and_tells_the_others_why(
    client, login_as, space, seat_in, make_consultation, db, eligibility, who, allowed, why
):
    consultation = make_consultation(space, eligibility=Eligibility(eligibility))
    if who == "seat holder":
        person = seat_in(space, user=_person())
    elif who == "observer":
        person = seat_in(space, SeatRole.OBSERVER, user=_person())
    elif who == "unconfirmed e-mail":
        person = _person(email_verified_at=None)
    elif who == "verified organisation":
        person = _person(verified_org=OrganisationFactory())
    elif who == "unverified organisation":
        person = _person(verified_org=False)
    else:
        person = _person()
    db.session.commit()
    login_as(person)
    html = client.get(_page(consultation)).get_data(as_text=True)
    assert "Who can take part" in html and LABELS[eligibility] in html
    if allowed:
        assert _contribute(client, consultation).status_code == 302
        assert len(_rows(db, Contribution)) == 1
        return
    assert why in html and "/contributions" not in html
    token = hidden_fields(client.get("/governance").get_data(as_text=True) + _logout_form(html), "x")
    response = client.post(
        f"/governance/sections/{consultation.sections[0].id}/contributions",
        data={**token, f"s{consultation.sections[0].id}-body": "Hola"},
    )
    assert response.status_code == 403 and _rows(db, Contribution) == []


def test_a_signed_out_visitor_sees_a_sign_in_link(client, space, make_consultation):
    consultation = make_consultation(space, eligibility=Eligibility.PUBLIC)
    html = client.get(_page(consultation), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'href="/login?next=/governance/consultations/{consultation.id}"' in html
    assert "Sign in to take part." in html


def test_a_convenor_chooses_who_takes_part_and_the_moderation(login_as, space, convenor, submit, db):
    login_as(convenor)
    data = {"title": "Consulta", "language": "es", "eligibility": "public", "moderation": "pre"}
    assert submit(f"/governance/spaces/{space.id}/consultations/new", data).status_code == 302
    consultation = db.session.scalars(sa.select(Consultation)).one()
    assert (consultation.eligibility, consultation.moderation) == (Eligibility.PUBLIC, Moderation.PRE)


# Kinds, language, acting for an organisation ------------------------------------------------------


def test_evidence_carries_its_link_and_the_language_defaults_to_the_authors(
    client, login_as, space, seat_in, make_consultation, db
):
    consultation = make_consultation(space)
    login_as(seat_in(space, user=_person(locale="pt_BR")))
    section = consultation.sections[0]
    html = client.get(_page(consultation)).get_data(as_text=True)
    chosen = re.search(rf'id="s{section.id}-language"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert '<option selected value="pt_BR">' in chosen
    response = _contribute(
        client, consultation, kind="evidence", link="https://example.org/relatorio", language="pt_BR"
    )
    assert response.status_code == 302
    (contribution,) = _rows(db, Contribution)
    assert (contribution.kind, contribution.link, contribution.language) == (
        "evidence",
        "https://example.org/relatorio",
        "pt_BR",
    )
    assert 'href="https://example.org/relatorio"' in client.get(_page(consultation)).get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "comment", "link": "https://example.org"}, "link"),
        ({"kind": "evidence", "link": "javascript:alert(1)"}, "link"),
        ({"kind": "rumour"}, "kind"),
        ({"language": "fr"}, "language"),
        ({"body": ""}, "body"),
    ],
)
def test_a_wrong_field_shows_its_error_under_it_and_keeps_the_text(
    client, login_as, space, seat_in, make_consultation, db, fields, field
):
    consultation = make_consultation(space)
    login_as(seat_in(space, user=_person()))
    section = consultation.sections[0]
    response = _contribute(client, consultation, **{"body": "Mi texto guardado", **fields})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(html, f"s{section.id}-{field}")
    if fields.get("body") != "":
        assert "Mi texto guardado" in html
    assert _rows(db, Contribution) == []


def test_a_person_acts_only_for_an_organisation_they_belong_to(
    client, login_as, space, seat_in, make_consultation, db
):
    consultation = make_consultation(space, eligibility=Eligibility.VERIFIED_ORGANISATIONS)
    mine, other = OrganisationFactory(name="Mi organización"), OrganisationFactory(name="Ajena")
    person = _person(verified_org=mine)
    db.session.commit()
    login_as(person)
    html = client.get(_page(consultation)).get_data(as_text=True)
    assert "Mi organización" in html and "Ajena" not in html
    section = consultation.sections[0]
    response = _contribute(client, consultation, organisation_id=str(other.id))
    assert response.status_code == 200 and field_error(
        response.get_data(as_text=True), f"s{section.id}-organisation_id"
    )
    assert _rows(db, Contribution) == []
    assert _contribute(client, consultation, organisation_id=str(mine.id)).status_code == 302
    assert _contribute(client, consultation, organisation_id="0").status_code == 302
    assert [c.organisation_id for c in _rows(db, Contribution)] == [mine.id, None]


# Supports and co-signatures -----------------------------------------------------------------------


def test_a_person_supports_once_sees_the_count_and_withdraws(client, login_as, written, db):
    login_as(_person())
    db.session.commit()
    consultation = written.consultation
    support = f"/governance/contributions/{written.id}/support"
    assert _post(client, consultation, support).status_code == 302
    assert "1 support" in client.get(_page(consultation)).get_data(as_text=True)
    # a resent form (no button any more: the page offers to withdraw) still makes one row
    html = client.get(_page(consultation)).get_data(as_text=True)
    token = hidden_fields(html, f"/governance/contributions/{written.id}/withdraw")
    assert client.post(support, data=token).status_code == 302
    assert len(_rows(db, Support)) == 1
    withdraw = f"/governance/contributions/{written.id}/withdraw"
    assert _post(client, consultation, withdraw).status_code == 302
    assert _rows(db, Support) == []
    assert "0 supports" in client.get(_page(consultation)).get_data(as_text=True)


def test_supporting_needs_eligibility(client, login_as, written, db):
    login_as(_person(email_verified_at=None))
    db.session.commit()
    html = client.get(_page(written.consultation)).get_data(as_text=True)
    assert f"/governance/contributions/{written.id}/support" not in html
    token = hidden_fields(_logout_form(html), "x")
    assert client.post(f"/governance/contributions/{written.id}/support", data=token).status_code == 403
    assert _rows(db, Support) == []


def test_supporting_twice_at_once_makes_one_row(post_at_once, client, login_as, written, db):
    login_as(_person())
    db.session.commit()
    page = _page(written.consultation)
    action = f"/governance/contributions/{written.id}/support"
    data = hidden_fields(client.get(page).get_data(as_text=True), action)
    answers = post_at_once(client, action, data, page=page)
    assert {status for status, _ in answers} == {302}, answers
    assert len(_rows(db, Support)) == 1


def test_another_verified_organisation_cosigns_once(client, login_as, written, db):
    other = OrganisationFactory(name="Red de Consumidores")
    signer, colleague = _person(verified_org=other), _person(verified_org=other)
    db.session.commit()
    consultation = written.consultation
    action = f"/governance/contributions/{written.id}/cosign"
    login_as(signer)
    assert (
        _post(client, consultation, action, **{f"k{written.id}-organisation_id": other.id}).status_code == 302
    )
    assert "Red de Consumidores" in client.get(_page(consultation)).get_data(as_text=True)
    # a colleague is not offered it any more, and forcing it makes no second row
    login_as(colleague)
    html = client.get(_page(consultation)).get_data(as_text=True)
    assert action not in html
    client.post(
        action, data={**hidden_fields(_logout_form(html), "x"), f"k{written.id}-organisation_id": other.id}
    )
    assert [(k.organisation_id, k.user_id) for k in _rows(db, Cosignature)] == [(other.id, signer.id)]


def test_nobody_cosigns_for_an_organisation_they_are_not_in(client, login_as, written, db):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    login_as(_person(verified_org=mine))
    db.session.commit()
    html = client.get(_page(written.consultation)).get_data(as_text=True)
    action = f"/governance/contributions/{written.id}/cosign"
    for organisation_id in (theirs.id, written.organisation_id):  # a stranger's, or the author's own
        client.post(
            action, data={**hidden_fields(html, action), f"k{written.id}-organisation_id": organisation_id}
        )
    assert _rows(db, Cosignature) == []


def test_a_closed_consultation_takes_no_support(client, login_as, written, db):
    login_as(_person())
    db.session.commit()
    html = client.get(_page(written.consultation)).get_data(as_text=True)
    action = f"/governance/contributions/{written.id}/support"
    token = hidden_fields(html, action)
    written.consultation.state = ConsultationState.CLOSED
    db.session.commit()
    assert client.post(action, data=token).status_code == 403
    assert _rows(db, Support) == []


def test_cosigning_twice_at_once_makes_one_row(post_at_once, client, login_as, written, db):
    other = OrganisationFactory()
    login_as(_person(verified_org=other))
    db.session.commit()
    page = _page(written.consultation)
    action = f"/governance/contributions/{written.id}/cosign"
    data = {
        **hidden_fields(client.get(page).get_data(as_text=True), action),
        f"k{written.id}-organisation_id": other.id,
    }
    answers = post_at_once(client, action, data, page=page)
    assert {status for status, _ in answers} == {302}, answers
    assert len(_rows(db, Cosignature)) == 1
