"""Governance fixtures: ``make_space`` builds a space through the services, ``seat_in`` gives someone a
seat for a verified organisation they belong to, ``make_consultation`` an open one with two sections,
``written`` a published contribution in an open public consultation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from consortium import transaction
from consortium.db import db as _db
from consortium.governance import services
from consortium.governance.contribution_models import Contribution
from consortium.governance.models import Eligibility, LifecycleStage, Seat, SeatRole, Sector, SpaceState
from consortium.reference.systems import ensure_reference_systems
from tests.conftest import hidden_fields
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def make_space(db):
    def make(*, state=SpaceState.ACTIVE, is_public=True, slug="pix-brasil", title=None, **fields):
        systems, _ = ensure_reference_systems()
        space = services.create_space(
            by=None,
            slug=slug,
            title=title or {"pt_BR": "Espaço do Pix", "es": "Espacio de Pix"},
            charter=fields.pop("charter", {"pt_BR": "Carta do espaço."}),
            system_id=systems["pix"].id,
            stage=LifecycleStage.L4,
            countries=["BR"],
            languages=fields.pop("languages", ["pt_BR", "es"]),
            is_public=is_public,
            **fields,
        )
        space.state = state
        _db.session.commit()
        return space

    return make


@pytest.fixture
def space(make_space):
    return make_space()


@pytest.fixture
def seat_in(db):
    """``seat_in(space, role=SeatRole.MEMBER, user=None) -> User`` (a new person unless ``user``)."""

    def seat(space, role=SeatRole.MEMBER, user=None, sector=Sector.ADVOCATES, **fields):
        user = user or UserFactory()
        membership = MembershipFactory(user=user, organisation=OrganisationFactory())
        _db.session.add(
            Seat(
                space_id=space.id,
                user_id=user.id,
                organisation_id=membership.organisation_id,
                sector=sector,
                role=role,
                term_starts_on=fields.pop("term_starts_on", date(2026, 1, 1)),
                term_ends_on=fields.pop("term_ends_on", None),
                interests="Ninguno declarado.",
            )
        )
        _db.session.commit()
        return user

    return seat


@pytest.fixture
def convenor(space, seat_in):
    return seat_in(space, SeatRole.CONVENOR)


@pytest.fixture
def make_consultation(db):
    def make(space, *, sections=("Datos personales", "Devoluciones"), open_=True, **settings):
        """``settings``: ``eligibility`` and ``moderation`` (members and post by default)."""
        _db.session.commit()  # the next transaction begins as a writing one (SQLite's lock)
        with transaction.writing():
            consultation = services.create_consultation(
                space, by=None, title="Consulta sobre Pix", language="es", **settings
            )
            for heading in sections:
                services.add_section(consultation, heading=heading, body=f"Texto de {heading}.")
            if open_:
                services.open_consultation(consultation, by=None)
            _db.session.commit()
        return consultation

    return make


@pytest.fixture
def written(space, seat_in, make_consultation, db):
    """An open public consultation with one published contribution for the author's organisation."""
    consultation = make_consultation(space, eligibility=Eligibility.PUBLIC)
    author = seat_in(space, user=UserFactory(locale="en"))
    contribution = Contribution(
        consultation_id=consultation.id,
        section_id=consultation.sections[0].id,
        author_id=author.id,
        organisation_id=author.memberships[0].organisation_id,
        body="Publicar estadísticas del MED.",
        revision=1,
    )
    db.session.add(contribution)
    db.session.commit()
    return contribution


def meeting_in(space, *, days: int):
    """A meeting of ``space`` starting ``days`` from now (negative: already held), in Brasília."""
    start = datetime.now(UTC) + timedelta(days=days)
    _db.session.commit()
    with transaction.writing():
        meeting = services.schedule_meeting(
            space, by=None, title="Plenária", agenda="Pauta", starts_at=start,
            ends_at=start + timedelta(hours=2), place="Brasília",
        )  # fmt: skip
        _db.session.commit()
    return meeting


def end_from_the_roster(client, space, holder) -> Seat:
    """The signed-in convenor ends ``holder``'s seat with the roster's button; the seat as saved."""
    seat = _db.session.scalar(sa.select(Seat).where(Seat.user_id == holder.id, Seat.space_id == space.id))
    page = f"/governance/spaces/{space.id}/roster"
    fields = hidden_fields(client.get(page).get_data(as_text=True), f"/governance/seats/{seat.id}/end")
    assert client.post(f"/governance/seats/{seat.id}/end", data=fields).status_code == 302
    _db.session.expire_all()
    return _db.session.get(Seat, seat.id)
