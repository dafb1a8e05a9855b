"""The demo governance spaces (``flask demo load``): Pix in Portuguese and Bre-B in Spanish, each with a
few seats and an open consultation, one contribution answered and one waiting for its response; Pix
also has a past meeting with minutes and a decision (``demo_records``)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.demo import demo_organisation, demo_user
from consortium.governance.demo_records import load_records
from consortium.governance.models import (
    Consultation,
    ConsultationState,
    Contribution,
    Disposition,
    LifecycleStage,
    Seat,
    SeatRole,
    Section,
    Sector,
    Space,
    SpaceState,
)
from consortium.reference.systems import ensure_reference_systems

SPACES = [
    {
        "slug": "pix-brasil",
        "system": "pix",
        "countries": ["BR"],
        "timezone": "America/Sao_Paulo",
        "languages": ["pt_BR", "es", "en"],
        "stage": LifecycleStage.L4,
        "title": {
            "pt_BR": "Espaço de governança do Pix",
            "es": "Espacio de gobernanza de Pix",
            "en": "Pix governance space",
        },
        "charter": {
            "pt_BR": "Governo, regulador, provedores e sociedade civil discutem as salvaguardas do Pix. "
            "Toda contribuição recebe uma resposta oficial fundamentada.",
            "en": "Government, regulator, providers and civil society discuss Pix's safeguards. "
            "Every contribution gets a reasoned official response.",
        },
        "seats": [
            ("andre@privacidade.example", "instituto-privacidade-sp", Sector.ADVOCATES, SeatRole.CONVENOR),
            ("joao@dadosrecife.example", "rede-dados-abertos-recife", Sector.ADVOCATES, SeatRole.MEMBER),
            ("mariana@dadosrecife.example", "rede-dados-abertos-recife", Sector.ACADEMIA, SeatRole.OBSERVER),
        ],
        "consultation": (
            "Salvaguardas de proteção de dados no Pix",
            [
                ("Dados pessoais nas chaves Pix", "As chaves Pix expõem nome e parte do CPF ao pagador."),
                ("Devolução em caso de fraude", "O Mecanismo Especial de Devolução (MED) e seus prazos."),
            ],
            [
                ("joao@dadosrecife.example", 0, "Mostrar apenas o primeiro nome do recebedor.", True),
                ("joao@dadosrecife.example", 1, "Publicar estatísticas trimestrais do MED.", False),
            ],
        ),
    },
    {
        "slug": "bre-b-colombia",
        "system": "bre-b",
        "countries": ["CO"],
        "timezone": "America/Bogota",
        "languages": ["es"],
        "stage": LifecycleStage.L3,
        "title": {"es": "Espacio de gobernanza de Bre-B", "en": "Bre-B governance space"},
        "charter": {
            "es": "Un espacio multiactor para acompañar el despliegue de Bre-B y sus salvaguardas.",
        },
        "seats": [
            (
                "camila@derechosandinos.example",
                "derechos-digitales-andinos",
                Sector.ADVOCATES,
                SeatRole.CONVENOR,
            ),
            (
                "diego@gobiernoabierto.example",
                "observatorio-gobierno-abierto-mx",
                Sector.ACADEMIA,
                SeatRole.MEMBER,
            ),
        ],
        "consultation": (
            "Inclusión y accesibilidad en Bre-B",
            [
                (
                    "Acceso sin teléfono inteligente",
                    "Cómo pagar y cobrar con Bre-B sin un teléfono inteligente.",
                )
            ],
            [("diego@gobiernoabierto.example", 0, "Incluir pagos por USSD para teléfonos básicos.", False)],
        ),
    },
]


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
    ({e-mail: (person, organisation)}) and its open consultation; also the benchmark's (``seed``)."""
    convenor_answer = "Aceito: a próxima versão do aplicativo mostrará apenas o primeiro nome."
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
    title, sections, contributions = fields["consultation"]
    consultation = Consultation(
        space_id=space.id,
        title=title,
        language=space.main_language,
        state=ConsultationState.OPEN,
        opened_at=utcnow(),
    )
    db.session.add(consultation)
    for position, (heading, body) in enumerate(sections, 1):
        consultation.sections.append(Section(position=position, heading=heading, body=body))
    db.session.flush()
    convenor = next((p for p, _o in people.values()), None)
    for email, section_index, body, answered in contributions:
        if email not in people:
            continue
        person, organisation = people[email]
        db.session.add(
            Contribution(
                consultation_id=consultation.id,
                section_id=consultation.sections[section_index].id,
                author_id=person.id,
                organisation_id=organisation.id,
                body=body,
                revision=consultation.revision,
                disposition=Disposition.ACCEPTED if answered else None,
                reason=convenor_answer if answered else "",
                answered_at=utcnow() if answered else None,
                answered_by_id=convenor.id if answered and convenor else None,
            )
        )
    db.session.flush()
    return space
