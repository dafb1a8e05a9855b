"""Demo trainings across the region: past and upcoming, full and open, with attendance and reports."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.demo import demo_organisation, demo_user
from trainings.models import (
    ApprovalMode,
    Attendance,
    AudienceKind,
    Certificate,
    DisseminationReport,
    Modality,
    Registration,
    RegistrationState,
    Training,
    TrainingSession,
    TrainingState,
)
from trainings.services.documents import new_certificate_code

C, W, P, A = "confirmed", "waitlisted", "pending", "attended"

# key (English title), titles, language, modality, place (venue, city, country), zone, days from today,
# session count, hours, capacity, approval, state, organiser, topics, principles, people
TRAININGS = [
    dict(
        title={
            "es": "Identidad digital y derechos: una introducción",
            "pt_BR": "Identidade digital e direitos: uma introdução",
            "en": "Digital identity and rights: a primer",
        },
        summary={
            "es": "Qué es la identidad digital, quién la gobierna y qué preguntar antes de un piloto.",
            "en": "What a digital identity system is, who governs it and what to ask before a pilot.",
        },
        language="es",
        modality=Modality.ONLINE,
        place=("", "", ""),
        zone="America/Lima",
        days=-60,
        count=2,
        capacity=30,
        approval=ApprovalMode.AUTOMATIC,
        state=TrainingState.PUBLISHED,
        organiser="ilda",
        topics=["dpi_basics", "digital_identity"],
        principles=["F1", "F4", "O3"],
        people=[
            ("camila@derechosandinos.example", A),
            ("diego@gobiernoabierto.example", C),
            ("sofia@gobiernoabierto.example", A),
            ("valentina@laboratoriocivico.example", A),
        ],
    ),
    dict(
        title={
            "pt_BR": "Pix e pagamentos instantâneos: o que a sociedade civil precisa saber",
            "en": "Pix and instant payments: what civil society needs to know",
        },
        summary={
            "pt_BR": "Um dia em São Paulo sobre pagamentos instantâneos, inclusão e proteção do consumidor."
        },
        language="pt_BR",
        modality=Modality.IN_PERSON,
        place=("Casa da Cidadania", "São Paulo", "BR"),
        zone="America/Sao_Paulo",
        days=-30,
        count=1,
        capacity=25,
        approval=ApprovalMode.AUTOMATIC,
        state=TrainingState.PUBLISHED,
        organiser="open-data-charter",
        topics=["payments"],
        principles=["F6", "O7"],
        people=[
            ("joao@dadosrecife.example", A),
            ("mariana@dadosrecife.example", A),
            ("andre@privacidade.example", A),
        ],
    ),
    dict(
        title={
            "es": "Taller de autoevaluación de salvaguardas",
            "pt_BR": "Oficina de autoavaliação de salvaguardas",
            "en": "Safeguards self-assessment workshop",
        },
        summary={
            "en": "Walk through the UN safeguards framework with your pilot team, principle by principle."
        },
        language="en",
        modality=Modality.HYBRID,
        place=("University of the West Indies", "Kingston", "JM"),
        zone="America/Jamaica",
        days=20,
        count=2,
        capacity=3,
        approval=ApprovalMode.AUTOMATIC,
        state=TrainingState.PUBLISHED,
        organiser="open-data-charter",
        topics=["safeguards"],
        principles=["F1", "F3", "O2"],
        people=[
            ("kerry@caribbeanopen.example", C),
            ("valentina@laboratoriocivico.example", C),
            ("camila@derechosandinos.example", C),
            ("diego@gobiernoabierto.example", W),
            ("sofia@gobiernoabierto.example", W),
        ],
    ),
    dict(
        title={
            "es": "Gobernanza de la infraestructura pública digital: participación ciudadana",
            "en": "Governing digital public infrastructure: citizen participation",
        },
        summary={"es": "Cómo intervenir en las decisiones sobre IPD: consultas, veedurías y datos abiertos."},
        language="es",
        modality=Modality.IN_PERSON,
        place=("Centro Cultural España", "Ciudad de México", "MX"),
        zone="America/Mexico_City",
        days=40,
        count=2,
        capacity=20,
        approval=ApprovalMode.STAFF,
        state=TrainingState.PUBLISHED,
        organiser="cepei",
        topics=["governance_participation"],
        principles=["F8", "O9"],
        people=[("diego@gobiernoabierto.example", P), ("andre@privacidade.example", P)],
    ),
    dict(
        title={
            "es": "Intercambio de datos y privacidad en la IPD",
            "pt_BR": "Intercâmbio de dados e privacidade na IPD",
        },
        summary={
            "es": "Tres sesiones prácticas sobre interoperabilidad, consentimiento y protección de datos."
        },
        language="es",
        modality=Modality.ONLINE,
        place=("", "", ""),
        zone="America/Bogota",
        days=10,
        count=3,
        capacity=40,
        approval=ApprovalMode.AUTOMATIC,
        state=TrainingState.PUBLISHED,
        organiser="cepei",
        topics=["data_exchange", "safeguards"],
        principles=["O4", "O5"],
        people=[("joao@dadosrecife.example", C), ("camila@derechosandinos.example", C)],
    ),
    dict(
        title={"en": "DPI basics for journalists", "es": "IPD básica para periodistas"},
        summary={"en": "Reporting on digital public infrastructure: sources, questions and pitfalls."},
        language="en",
        modality=Modality.ONLINE,
        place=("", "", ""),
        zone="America/Santiago",
        days=-90,
        count=1,
        capacity=50,
        approval=ApprovalMode.AUTOMATIC,
        state=TrainingState.PUBLISHED,
        organiser="ilda",
        topics=["dpi_basics"],
        principles=["F2"],
        people=[("kerry@caribbeanopen.example", A), ("valentina@laboratoriocivico.example", C)],
    ),
    dict(
        title={"es": "Pagos digitales en Centroamérica", "en": "Digital payments in Central America"},
        summary={"es": "Borrador: un taller presencial en Guatemala."},
        language="es",
        modality=Modality.IN_PERSON,
        place=("", "Quetzaltenango", "GT"),
        zone="America/Guatemala",
        days=75,
        count=1,
        capacity=25,
        approval=ApprovalMode.AUTOMATIC,
        state=TrainingState.DRAFT,
        organiser="ilda",
        topics=["payments"],
        principles=["O7"],
        people=[],
    ),
]


def _sessions(zone: str, days: int, count: int) -> list[TrainingSession]:
    tz = ZoneInfo(zone)
    start_day = (utcnow() + timedelta(days=days)).astimezone(tz).date()
    sessions = []
    for n in range(count):
        day = start_day + timedelta(days=7 * n)
        start = datetime(day.year, day.month, day.day, 15, 0, tzinfo=tz)
        sessions.append(TrainingSession(starts_at=start, ends_at=start + timedelta(hours=2)))
    return sessions


def load() -> int:
    existing = {tuple(sorted(t.title.items())) for t in db.session.scalars(sa.select(Training))}
    created = 0
    for spec in TRAININGS:
        if tuple(sorted(spec["title"].items())) in existing:
            continue
        created += _training(spec)
    created += _reports()
    return created


def _training(spec: dict) -> int:
    venue, city, country = spec["place"]
    sessions = _sessions(spec["zone"], spec["days"], spec["count"])
    training = Training(
        title=spec["title"],
        summary=spec["summary"],
        description={spec["language"]: spec["summary"].get(spec["language"], "")},
        language=spec["language"],
        instruction_language=spec["language"],
        modality=spec["modality"],
        venue=venue,
        city=city,
        country=country,
        online_url="https://meet.example.org/dpi-training"
        if spec["modality"] is not Modality.IN_PERSON
        else "",
        timezone=spec["zone"],
        capacity=spec["capacity"],
        approval=spec["approval"],
        state=spec["state"],
        organiser_id=demo_organisation(spec["organiser"]).id,
        trainers="Ana Rodríguez, Tomás Acosta",
        topics=spec["topics"],
        principles=spec["principles"],
        sessions=sessions,
        starts_at=sessions[0].starts_at,
        ends_at=sessions[-1].ends_at,
        registration_closes_at=sessions[0].starts_at - timedelta(days=1),
    )
    db.session.add(training)
    db.session.flush()
    confirmed = 0
    for n, (email, state) in enumerate(spec["people"]):
        person = demo_user(email)
        registration = Registration(
            training_id=training.id,
            user_id=person.id,
            organisation_id=person.memberships[0].organisation_id,
            registered_by_id=person.id,
            state=RegistrationState.CONFIRMED if state in (C, A) else RegistrationState(state),
            motivation="Queremos acompañar los pilotos de IPD en nuestro país.",
            created_at=training.starts_at - timedelta(days=20 - n),
        )
        if state in (C, A):
            registration.confirmed_at = registration.created_at
            confirmed += 1
        if state == W:
            registration.waitlisted_at = registration.created_at
        db.session.add(registration)
        db.session.flush()
        if state == A:
            for session in sessions:
                db.session.add(Attendance(registration_id=registration.id, session_id=session.id))
            registration.completed_at = training.ends_at
            db.session.add(Certificate(registration_id=registration.id, code=new_certificate_code()))
    training.confirmed_count = confirmed
    return 1 + len(spec["people"])


REPORTS = [
    (
        "derechos-digitales-andinos",
        "camila@derechosandinos.example",
        -20,
        "PE",
        "es",
        AudienceKind.COMMUNITY,
        35,
        ["digital_identity"],
        True,
    ),
    (
        "rede-dados-abertos-recife",
        "joao@dadosrecife.example",
        -10,
        "BR",
        "pt_BR",
        AudienceKind.CSO,
        18,
        ["payments"],
        False,
    ),
    (
        "laboratorio-civico-cl",
        "valentina@laboratoriocivico.example",
        -40,
        "CL",
        "es",
        AudienceKind.GOVERNMENT,
        22,
        ["dpi_basics", "digital_identity"],
        True,
    ),
]


def _reports() -> int:
    if db.session.scalar(sa.select(sa.func.count()).select_from(DisseminationReport)):
        return 0
    staff = demo_user("ana@ilda.example")
    for slug, email, days, country, language, audience, people, topics, verified in REPORTS:
        db.session.add(
            DisseminationReport(
                organisation_id=demo_organisation(slug).id,
                reported_by_id=demo_user(email).id,
                held_on=(utcnow() + timedelta(days=days)).date(),
                country=country,
                language=language,
                audience_kind=audience,
                participants=people,
                topics=topics,
                resources=[{"title": "What is digital public infrastructure?", "url": ""}],
                verified_at=utcnow() if verified else None,
                verified_by_id=staff.id if verified else None,
            )
        )
    return len(REPORTS)
