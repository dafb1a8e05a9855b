"""The demo governance spaces (``flask demo load``): Pix in Portuguese and Bre-B in Spanish, each with a
few seats. Pix has a consultation whose responses are published (its "you said, we did" report) and one
being answered past its due date, with one response approved, one drafted and one missing (so the
response debt shows), a past meeting with minutes and a decision (``demo_records``); Bre-B an open one
open to the public. Between them, a contribution of each kind, some supports and a co-signing
organisation."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from consortium import consultables
from consortium.db import db, utcnow
from consortium.demo import demo_organisation, demo_user
from consortium.governance.contribution_models import (
    Contribution,
    Cosignature,
    Response,
    Support,
)
from consortium.governance.demo_data import ANSWERERS, SPACES
from consortium.governance.demo_records import load_records
from consortium.governance.models import (
    Consultation,
    ConsultationState,
    Eligibility,
    Seat,
    Section,
    Space,
    SpaceState,
)
from consortium.reference.systems import ensure_reference_systems


def load() -> int:
    systems, created = ensure_reference_systems()
    for fields in SPACES:
        if db.session.scalar(sa.select(Space.id).where(Space.slug == fields["slug"])):
            continue
        people = {
            email: (demo_user(email), demo_organisation(slug))
            for email, slug, _sector, _role in fields["seats"]
        }
        build(
            fields,
            systems,
            {email: pair for email, pair in people.items() if None not in pair},
            created_by_id=getattr(demo_user("ana@ilda.example"), "id", None),
        )
        created += 1
    return created + load_records()


def build(fields: dict, systems: dict, people: dict, *, created_by_id: int | None) -> Space:
    """A public, active space from ``fields`` (shaped as ``SPACES``), with a seat for each of ``people``
    ({e-mail: (person, organisation)}) and its consultations; also the benchmark's (``seed``)."""
    space = Space(
        slug=fields["slug"],
        title=fields["title"],
        charter=fields["charter"],
        system_id=systems[fields["system"]].id,
        countries=fields["countries"],
        languages=fields["languages"],
        stage=fields["stage"],
        state=SpaceState.ACTIVE,
        state_changed_at=utcnow(),
        is_public=True,
        timezone=fields["timezone"],
        created_by_id=created_by_id,
    )
    db.session.add(space)
    db.session.flush()
    for email, _organisation_slug, sector, role in fields["seats"]:
        if email not in people:
            continue
        person, organisation = people[email]
        db.session.add(
            Seat(
                space_id=space.id,
                user_id=person.id,
                organisation_id=organisation.id,
                sector=sector,
                role=role,
                term_starts_on=date(2026, 1, 1),
                term_ends_on=date(2027, 12, 31),
                interests="Nenhum declarado." if space.main_language == "pt_BR" else "Ninguno declarado.",
            )
        )
    for planned in fields["consultations"]:
        _consultation(space, people, planned)
    return space


def _consultation(space: Space, people: dict, planned: dict) -> None:
    opens, closes, due = (utcnow() + timedelta(days=days) for days in planned["days"])
    state = planned["state"]
    consultation = Consultation(
        space_id=space.id,
        title=planned["title"],
        language=space.main_language,
        eligibility=planned.get("eligibility", Eligibility.MEMBERS),
        state=state,
        opened_at=opens,
        opens_at=opens,
        closes_at=closes,
        closed_at=closes if closes < utcnow() else None,
        responses_due_at=due,
        responses_published_at=due if state is ConsultationState.PUBLISHED else None,
    )
    _name_source(consultation, space, planned.get("source"))
    db.session.add(consultation)
    for position, (heading, body) in enumerate(planned["sections"], 1):
        consultation.sections.append(Section(position=position, heading=heading, body=body))
    db.session.flush()
    drafter, approver = people.get(ANSWERERS[0]), people.get(ANSWERERS[1])
    written = []
    # (author, section, kind, text[, response[, evidence link]])
    for email, section_index, kind, body, *rest in planned["contributions"]:
        answer, link = (rest[0] if rest else None), (rest[1] if len(rest) > 1 else "")
        if email not in people:
            continue
        person, organisation = people[email]
        contribution = Contribution(
            consultation_id=consultation.id,
            section_id=consultation.sections[section_index].id,
            author_id=person.id,
            organisation_id=organisation.id,
            body=body,
            kind=kind,
            language=space.main_language,
            link=link,
            revision=consultation.revision,
        )
        db.session.add(contribution)
        written.append(contribution)
        if answer is None or drafter is None or approver is None:
            continue
        disposition, rationale, commitment, approved = answer
        db.session.add(
            Response(
                consultation_id=consultation.id,
                disposition=disposition,
                rationale=rationale,
                commitment=commitment,
                drafted_by_id=drafter[0].id,
                organisation_id=drafter[1].id,
                approved_by_id=approver[0].id if approved else None,
                approved_at=closes if approved else None,
                published_at=consultation.responses_published_at if approved else None,
                contributions=[contribution],
            )
        )
    db.session.flush()
    for email, index in planned.get("supports", []):
        if email in people and index < len(written):
            db.session.add(Support(contribution_id=written[index].id, user_id=people[email][0].id))
    for email, index in planned.get("cosigners", []):
        if email in people and index < len(written):
            person, organisation = people[email]
            db.session.add(
                Cosignature(
                    contribution_id=written[index].id, organisation_id=organisation.id, user_id=person.id
                )
            )
    db.session.flush()


def _name_source(consultation: Consultation, space: Space, prefix: str | None) -> None:
    """The first document of the space's system whose key starts with ``prefix``, named as the source."""
    if not prefix:
        return
    with force_locale(space.main_language):
        found = next(
            (d for d in consultables.documents_for(space.system_id) if d.key.startswith(prefix)), None
        )
    if found is not None:
        consultation.source_key, consultation.source_title = found.key, found.title
        consultation.source_url = found.url
