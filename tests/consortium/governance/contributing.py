"""Helpers for the contribution tests: pages, posts with the page's hidden fields, people, rows."""

from __future__ import annotations

import re

import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.governance.contribution_models import Contribution
from tests.conftest import hidden_fields
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def page(consultation) -> str:
    return f"/governance/consultations/{consultation.id}"


def contribute(client, consultation, section=None, **fields):
    section = section or consultation.sections[0]
    action = f"/governance/sections/{section.id}/contributions"
    html = client.get(page(consultation)).get_data(as_text=True)
    data = {"body": "Propongo mostrar solo el primer nombre.", **fields}
    return client.post(
        action, data={**hidden_fields(html, action), **{f"s{section.id}-{k}": v for k, v in data.items()}}
    )


def post(client, consultation, action, **data):
    html = client.get(page(consultation)).get_data(as_text=True)
    return client.post(action, data={**hidden_fields(html, action), **data})


def written(db, consultation, author, body: str = "Idea", **fields) -> Contribution:
    """A contribution ``author`` wrote in the consultation's first section (added, not committed)."""
    contribution = Contribution(
        consultation_id=consultation.id,
        section_id=consultation.sections[0].id,
        author_id=author.id,
        body=body,
        revision=1,
        **fields,
    )
    db.session.add(contribution)
    return contribution


def person(*, verified_org=None, locale="en", **fields):
    person = UserFactory(locale=locale, **fields)
    if verified_org is not None:
        organisation = OrganisationFactory(verified_at=None) if verified_org is False else verified_org
        MembershipFactory(user=person, organisation=organisation)
    return person


def rows(db, model) -> list:
    db.session.expire_all()
    return db.session.scalars(sa.select(model).order_by(model.id)).all()


def audited(db, action: str) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def logout_form(html: str) -> str:
    """A form posting to "x" carrying the page's CSRF token (for a request the page does not offer)."""
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return f'<form method="post" action="x"><input type="hidden" name="csrf_token" value="{token}"></form>'
