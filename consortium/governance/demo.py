"""The demo governance spaces (``flask demo load``): Pix in Portuguese and Bre-B in Spanish, each with a
few seats. Pix has a consultation whose responses are published (its "you said, we did" report) and one
being answered past its due date, with one response approved, one drafted and one missing (so the
response debt shows), a past meeting with minutes and a decision (``demo_records``); Bre-B an open one
open to the public. Between them, a contribution of each kind, some supports and a co-signing
organisation."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from consortium import consultables
from consortium.db import db, utcnow
from consortium.demo import demo_organisation, demo_user
from consortium.governance.contribution_models import (
    Contribution,
    ContributionKind,
    Cosignature,
    Disposition,
    Response,
    Support,
)
from consortium.governance.demo_records import load_records
from consortium.governance.models import (
    Consultation,
    ConsultationState,
    Eligibility,
    LifecycleStage,
    Seat,
    SeatRole,
    Section,
    Sector,
    Space,
    SpaceState,
)
from consortium.reference.systems import ensure_reference_systems

#: who drafts and who approves the demo's official responses
ANSWERERS = ("sofia@gobiernoabierto.example", "valentina@laboratoriocivico.example")
# (disposition, rationale, commitment, approved)
ACCEPTED = (
    Disposition.ACCEPTED,
    "",
    "A próxima versão do aplicativo mostrará apenas o primeiro nome do recebedor.",
    True,
)
PARTLY = (
    Disposition.PARTIALLY_ACCEPTED,
    "Estatísticas trimestrais exigem uma mudança de norma; as semestrais não.",
    "Publicar estatísticas semestrais do MED a partir de 2027.",
    True,
)
EVALUATING = (
    Disposition.UNDER_EVALUATION,
    "A confirmação por voz depende dos bancos; um estudo de viabilidade está em curso.",
    "",
    True,
)
DRAFTED = (Disposition.NOT_ACCEPTED, "O limite já é configurável no aplicativo de cada banco.", "", False)

PROPOSAL, COMMENT = ContributionKind.PROPOSAL, ContributionKind.COMMENT
OBJECTION, EVIDENCE = ContributionKind.OBJECTION, ContributionKind.EVIDENCE

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
            # those who answer: a government focal point drafts, a regulator's seat approves
            (
                "sofia@gobiernoabierto.example",
                "observatorio-gobierno-abierto-mx",
                Sector.GOVERNMENT,
                SeatRole.FOCAL_POINT,
            ),
            (
                "valentina@laboratoriocivico.example",
                "laboratorio-civico-cl",
                Sector.REGULATOR,
                SeatRole.MEMBER,
            ),
        ],
        "consultations": [
            {
                "title": "Salvaguardas de proteção de dados no Pix",
                # its sections discuss the published Pix assessment, which it names as its source
                "source": "safeguards.assessment:",
                "state": ConsultationState.PUBLISHED,
                "days": (-60, -30, -15),
                "sections": [
                    ("Dados pessoais nas chaves Pix", "As chaves Pix expõem nome e parte do CPF ao pagador."),
                    ("Devolução em caso de fraude", "O Mecanismo Especial de Devolução (MED) e seus prazos."),
                ],
                "eligibility": Eligibility.VERIFIED_ORGANISATIONS,
                "contributions": [
                    (
                        "joao@dadosrecife.example",
                        0,
                        PROPOSAL,
                        "Mostrar apenas o primeiro nome do recebedor.",
                        ACCEPTED,
                    ),
                    (
                        "joao@dadosrecife.example",
                        1,
                        COMMENT,
                        "Publicar estatísticas trimestrais do MED.",
                        PARTLY,
                    ),
                ],
                # supports (person, contribution); co-signatures (person for their organisation, contribution)
                "supports": [
                    ("mariana@dadosrecife.example", 0),
                    ("andre@privacidade.example", 0),
                    ("andre@privacidade.example", 1),
                ],
                "cosigners": [("andre@privacidade.example", 0)],
            },
            {
                "title": "Acessibilidade do Pix Automático",
                "state": ConsultationState.RESPONDING,
                "days": (-40, -20, -5),
                "sections": [
                    ("Confirmação acessível", "Como confirmar um pagamento recorrente sem ler a tela."),
                    ("Limites e tarifas", "Limites diários e tarifas do Pix Automático."),
                ],
                "contributions": [
                    ("joao@dadosrecife.example", 0, PROPOSAL, "Oferecer confirmação por voz.", EVALUATING),
                    (
                        "andre@privacidade.example",
                        0,
                        COMMENT,
                        "Explicar as tarifas em linguagem simples.",
                        None,
                    ),
                    (
                        "joao@dadosrecife.example",
                        1,
                        PROPOSAL,
                        "Permitir um limite diário configurável.",
                        DRAFTED,
                    ),
                    (
                        "mariana@dadosrecife.example",
                        1,
                        OBJECTION,
                        "Os prazos do MED são curtos demais para quem não acompanha o extrato todo dia.",
                    ),
                    (
                        "joao@dadosrecife.example",
                        0,
                        EVIDENCE,
                        "O regulamento do Pix descreve os dados mostrados ao pagador.",
                        None,
                        "https://www.bcb.gov.br/estabilidadefinanceira/pix",
                    ),
                ],
            },
        ],
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
        "consultations": [
            {
                "title": "Inclusión y accesibilidad en Bre-B",
                "state": ConsultationState.OPEN,
                "eligibility": Eligibility.PUBLIC,
                "days": (-3, 30, 60),
                "sections": [
                    (
                        "Acceso sin teléfono inteligente",
                        "Cómo pagar y cobrar con Bre-B sin un teléfono inteligente.",
                    )
                ],
                "contributions": [
                    (
                        "diego@gobiernoabierto.example",
                        0,
                        PROPOSAL,
                        "Incluir pagos por USSD para teléfonos básicos.",
                    ),
                    (
                        "diego@gobiernoabierto.example",
                        0,
                        OBJECTION,
                        "El registro pide validar la identidad con la cámara de un teléfono inteligente.",
                    ),
                    (
                        "camila@derechosandinos.example",
                        0,
                        EVIDENCE,
                        "La encuesta de inclusión financiera cuenta los hogares sin teléfono inteligente.",
                        None,
                        "https://www.banrep.gov.co/",
                    ),
                    (
                        "camila@derechosandinos.example",
                        0,
                        COMMENT,
                        "¿Habrá instrucciones en lenguas indígenas?",
                    ),
                ],
                "supports": [("camila@derechosandinos.example", 0), ("diego@gobiernoabierto.example", 2)],
                "cosigners": [("camila@derechosandinos.example", 0)],
            }
        ],
    },
]


def load() -> int:
    systems, created = ensure_reference_systems()
    for fields in SPACES:
        if db.session.scalar(sa.select(Space.id).where(Space.slug == fields["slug"])):
            continue
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
            created_by_id=getattr(demo_user("ana@ilda.example"), "id", None),
        )
        db.session.add(space)
        db.session.flush()
        people = {}
        for email, organisation_slug, sector, role in fields["seats"]:
            person, organisation = demo_user(email), demo_organisation(organisation_slug)
            if person is None or organisation is None:
                continue
            people[email] = (person, organisation)
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
        created += 1
    return created + load_records()


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
    # the document's address is built as in a request to the public site (the demo loads from the CLI)
    with (
        current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]),
        force_locale(space.main_language),
    ):
        found = next(
            (d for d in consultables.documents_for(space.system_id) if d.key.startswith(prefix)), None
        )
    if found is not None:
        consultation.source_key, consultation.source_title = found.key, found.title
        consultation.source_url = found.url
