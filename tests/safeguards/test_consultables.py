"""A governance space consults on a pilot's published results or public roadmap: safeguards lists them
through the kernel registry (``consortium.consultables``), the consultation copies their sections."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from consortium import transaction
from consortium.db import db
from consortium.governance import services as governance
from consortium.governance.models import Consultation, LifecycleStage, Seat, SeatRole, Sector, SpaceState
from safeguards.models import AssessmentState
from safeguards.roadmap import actions, planning
from safeguards.roadmap.candidates import candidates
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.safeguards.conftest import answer_all
from tests.safeguards.roadmap.conftest import choose, data


@pytest.fixture
def published(assessment):
    answer_all(assessment, rating=1)
    assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    return assessment


@pytest.fixture
def space_and_convenor(assessment):
    space = governance.create_space(
        by=None,
        slug="bre-b",
        title={"es": "Espacio de Bre-B"},
        charter={"es": "Carta."},
        system_id=assessment.pilot.system_id,
        stage=LifecycleStage.L3,
    )
    space.state = SpaceState.ACTIVE
    convenor = UserFactory()
    membership = MembershipFactory(user=convenor, organisation=OrganisationFactory())
    db.session.add(
        Seat(
            space=space,
            user_id=convenor.id,
            organisation_id=membership.organisation_id,
            sector=Sector.GOVERNMENT,
            role=SeatRole.CONVENOR,
            term_starts_on=date(2026, 1, 1),
            interests="Ninguno",
        )
    )
    db.session.commit()
    return space, convenor


def test_a_convenor_starts_a_consultation_from_the_published_results(
    client, login_as, submit, published, space_and_convenor
):
    space, convenor = space_and_convenor
    login_as(convenor)
    page = f"/governance/spaces/{space.id}/consultations/new"
    form = client.get(page).get_data(as_text=True)
    key = f"safeguards.assessment:{published.id}"
    assert f'value="{key}"' in form and "Bre-B · Colombia, ciclo 1: resultados" in form
    response = submit(page, {"title": "Consulta sobre los resultados", "language": "es", "source": key})
    assert response.status_code == 302
    consultation = db.session.scalars(sa.select(Consultation)).one()
    assert consultation.source_key == key
    headings = [s.heading for s in consultation.sections]
    assert headings and all(" · " in h for h in headings)  # one per principle, "P1 · ..."
    assert "Puntuación: 25 de 100." in consultation.sections[0].body
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"/safeguards/assessments/{published.id}/results" in html and "Basada en" in html


def test_a_draft_assessment_is_not_offered(client, login_as, assessment, space_and_convenor):
    space, convenor = space_and_convenor
    login_as(convenor)
    form = client.get(f"/governance/spaces/{space.id}/consultations/new").get_data(as_text=True)
    assert "safeguards.assessment:" not in form and 'name="source"' not in form


def test_a_blank_consultation_still_starts_empty(client, login_as, submit, published, space_and_convenor):
    space, convenor = space_and_convenor
    login_as(convenor)
    page = f"/governance/spaces/{space.id}/consultations/new"
    assert submit(page, {"title": "Consulta", "language": "es", "source": ""}).status_code == 302
    consultation = db.session.scalars(sa.select(Consultation)).one()
    assert consultation.sections == [] and consultation.source_key == ""


def test_an_unknown_document_is_refused_and_the_title_kept(
    client, login_as, submit, published, space_and_convenor
):
    space, convenor = space_and_convenor
    login_as(convenor)
    page = f"/governance/spaces/{space.id}/consultations/new"
    response = submit(page, {"title": "Mi consulta", "language": "es", "source": "safeguards.assessment:999"})
    assert response.status_code in (200, 422) and "Mi consulta" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0


def test_a_public_roadmap_is_offered_with_a_section_per_priority(
    client, login_as, submit, space_and_convenor, published
):
    space, convenor = space_and_convenor
    published.state = AssessmentState.APPROVED
    db.session.commit()
    with transaction.writing():
        roadmap = planning.start(published, by=None)
    db.session.commit()
    code = candidates(roadmap.assessment, roadmap)[0].code
    priority = choose(roadmap, code)
    owner = OrganisationFactory(name="Banco de la República")
    with transaction.writing():
        actions.create(priority, data(owner))
        planning.validate(roadmap, by=None)
    published.state = AssessmentState.PUBLISHED
    db.session.commit()
    login_as(convenor)
    page = f"/governance/spaces/{space.id}/consultations/new"
    key = f"safeguards.roadmap:{roadmap.id}"
    assert submit(page, {"title": "Hoja de ruta", "language": "es", "source": key}).status_code == 302
    consultation = db.session.scalars(sa.select(Consultation)).one()
    (section,) = consultation.sections
    assert section.heading.startswith(code.split(".")[0]) or code in section.heading
    assert "**Publicar el registro de reclamos** (Banco de la República, 30 jun 2027)" in section.body
