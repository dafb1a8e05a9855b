"""Demo data for the safeguards feature (``flask demo load``): systems, pilots, assessments in each state."""

from __future__ import annotations

import random

import sqlalchemy as sa

from consortium import transaction
from consortium.db import db, utcnow
from consortium.demo import demo_user
from consortium.reference.systems import ensure_reference_systems
from safeguards import framework as fw
from safeguards import services, threads
from safeguards.item_models import Side
from safeguards.models import (
    AnswerStatus,
    Assessment,
    AssessmentState,
    Pilot,
    TeamRole,
)
from safeguards.roadmap import demo as roadmap_demo

# slug, country, title, lead, contributor, target state, language of the answers
PILOTS = [
    (
        "pix",
        "BR",
        "Pix · Brasil",
        "joao@dadosrecife.example",
        "mariana@dadosrecife.example",
        "published",
        "pt",
    ),
    (
        "bre-b",
        "CO",
        "Bre-B · Colombia",
        "camila@derechosandinos.example",
        "valentina@laboratoriocivico.example",
        "draft",
        "es",
    ),
    (
        "llave-mx",
        "MX",
        "Llave MX · México",
        "diego@gobiernoabierto.example",
        "sofia@gobiernoabierto.example",
        "submitted",
        "es",
    ),
    (
        "ciudadano-digital",
        "UY",
        "Ciudadano Digital · Uruguay",
        "valentina@laboratoriocivico.example",
        None,
        "draft",
        "es",
    ),
    (  # a second pilot on Pix, so that the Pix space can validate its draft roadmap by a decision
        "pix",
        "BR",
        "Pix Automático · Brasil",
        "mariana@dadosrecife.example",
        None,
        "approved",
        "pt",
    ),
]

EVIDENCE = {
    "es": [
        (
            "Resolución publicada en el diario oficial y reglamento de operación vigente.",
            "https://www.banrep.gov.co/es/bre-b",
        ),
        (
            "Informe anual del operador con estadísticas de reclamos y tiempos de respuesta.",
            "https://www.gob.mx/atdt",
        ),
        (
            "Acta de la mesa de diálogo con organizaciones de la sociedad civil (marzo de 2026).",
            "https://www.gub.uy/agesic",
        ),
    ],
    "pt": [
        (
            "Regulamento do Pix (Resolução BCB nº 1/2020) e manual de segurança publicados.",
            "https://www.bcb.gov.br/estabilidadefinanceira/pix",
        ),
        (
            "Relatório de gestão do Pix com indicadores de fraudes e devoluções (MED).",
            "https://www.bcb.gov.br/estabilidadefinanceira/estatisticaspix",
        ),
        (
            "Ata de audiência pública com organizações da sociedade civil sobre o Pix Automático.",
            "https://www.bcb.gov.br/detalhenoticia/pix",
        ),
    ],
}
JUSTIFICATION = {
    "es": "El sistema no recopila datos biométricos, así que este proceso no aplica en esta etapa.",
    "pt": "O sistema não coleta dados biométricos; este processo não se aplica nesta etapa.",
}
CONFIDENCE = {
    "es": "Confirmado con el equipo técnico del operador.",
    "pt": "Confirmado com a equipe técnica do BCB.",
}


def fill(assessment: Assessment, rng: random.Random, language: str, share: float, *, reviewed: bool = False):
    idx = fw.index(assessment.framework_id)
    items = [item for item in services.items(assessment, idx) if item.in_scope]
    for n, item in enumerate(items):
        if rng.random() > share:
            continue
        answer = item.answer
        roll = rng.random()
        if roll < 0.06:
            answer.status, answer.justification = AnswerStatus.NOT_APPLICABLE, JUSTIFICATION[language]
        elif roll < 0.14:
            answer.status = AnswerStatus.UNKNOWN
        else:
            answer.status, answer.rating = AnswerStatus.RATED, rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])
            evidence, link = EVIDENCE[language][n % 3]
            answer.evidence = evidence
            answer.links = link if answer.rating >= 2 else ""
            answer.confidence = CONFIDENCE[language] if rng.random() < 0.5 else ""
        if reviewed and answer.status is AnswerStatus.RATED and rng.random() < 0.2:
            answer.reviewed_rating = max(0, answer.rating - 1)
            answer.reviewer_comment = (
                "A evidência não mostra monitoramento contínuo."
                if language == "pt"
                else "La evidencia no muestra un seguimiento continuo."
            )


def load() -> int:
    """Systems, five pilots and their assessments in different states. Idempotent (by system slug)."""
    created = 0
    if fw.latest() is None:
        created += sum(1 for _f, new in fw.load_all() if new)
    systems, new_systems = ensure_reference_systems()
    created += new_systems
    reviewer = demo_user("ana@ilda.example")
    staff = demo_user("tomas@opendatacharter.example")
    rng = random.Random(6)  # noqa: S311 - demo answers, not secrets
    for slug, country, title, lead_email, contributor_email, target, language in PILOTS:
        if db.session.scalar(sa.select(Pilot.id).where(Pilot.title == title)):
            continue
        lead = demo_user(lead_email)
        pilot = services.create_pilot(systems[slug], country, title, lead=lead, by=staff)
        if contributor_email:
            services.add_member(pilot, demo_user(contributor_email), TeamRole.CONTRIBUTOR, by=staff)
        if reviewer is not None:
            services.add_member(pilot, reviewer, TeamRole.REVIEWER, by=staff)
        assessment = services.start_assessment(pilot, by=lead)
        assessment.authorities = ["R1", "R2", "R5"] if slug != "ciudadano-digital" else ["R2", "R4"]
        assessment.stages = ["L1", "L2", "L3"] if slug != "ciudadano-digital" else ["L1"]
        db.session.flush()
        share = {"draft": 0.45, "submitted": 1.0, "approved": 1.0, "published": 1.0}[target]
        if slug == "ciudadano-digital":
            share = 0.0
        fill(assessment, rng, language, share, reviewed=target in ("approved", "published"))
        db.session.flush()
        if target in ("submitted", "approved", "published"):
            assessment.state = AssessmentState.SUBMITTED
            assessment.submitted_at = utcnow()
        if target == "approved":  # results final, not yet published: its roadmap is being drafted
            assessment.state, assessment.approved_at = AssessmentState.APPROVED, utcnow()
        if target == "published":
            assessment.state = AssessmentState.PUBLISHED
            assessment.approved_at = assessment.published_at = utcnow()
            assessment.review_note = "Avaliação consistente; evidências verificadas pela equipe do consórcio."
        db.session.flush()
        if target == "submitted" and reviewer is not None:
            converse(assessment, reviewer=reviewer, lead=lead)
        created += 1
    created += roadmap_demo.load()
    return created


# (reviewer's comment, suggested rating, team's reply, resolved by the reviewer afterwards)
THREADS = [
    (
        "El informe anual no dice cómo se atienden los reclamos fuera de plazo. ¿Hay un registro público?",
        1,
        "Sí: el operador publica un registro trimestral. Agregamos el enlace en la evidencia.",
        True,
    ),
    (
        "La mesa de diálogo es de 2026, pero no vemos compromisos de seguimiento. Sugerimos un 2.",
        2,
        "Estamos pidiendo al operador el acta de la segunda sesión; la adjuntaremos esta semana.",
        False,
    ),
]


def converse(assessment: Assessment, *, reviewer, lead) -> None:
    """Item threads on a submitted assessment, through the thread services (the demo shows a conversation)."""
    idx = fw.index(assessment.framework_id)
    rated = [i.answer for i in services.items(assessment, idx) if i.in_scope and i.answer.rating is not None]
    with transaction.writing():  # the services lock the assessment, as in a request
        for answer, (comment, rating, reply, resolved) in zip(rated, THREADS, strict=False):
            threads.post(answer, comment, by=reviewer, side=Side.REVIEWERS, rating=rating)
            threads.post(answer, reply, by=lead, side=Side.TEAM)
            if resolved:
                threads.set_resolved(answer, True, by=reviewer, side=Side.REVIEWERS)
