"""Demo roadmaps (``flask demo load``): a validated roadmap on the published Pix assessment, actions in
every state, owners' updates and independent reviewers' ratings; and a draft roadmap on the approved
Pix Automático assessment, its priorities chosen and one action proposed (waiting for validation, by
staff or by a decision of the Pix governance space). Made through the services as a team, staff, owners
and reviewers would."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from consortium import transaction
from consortium.db import db, utcnow
from consortium.demo import demo_organisation, demo_user
from safeguards.models import Assessment, AssessmentState, Pilot
from safeguards.roadmap import actions, candidates, planning, reviews, tracking
from safeguards.roadmap.models import ActionState, Milestone, Roadmap

PILOT = "Pix · Brasil"
# title (pt_BR, en), authority, days from today to the due date, milestones (title, done), then state moves
ACTIONS = [
    (
        (
            "Publicar o registro trimestral de reclamações do Pix",
            "Publish Pix's quarterly complaints register",
        ),
        "R2",
        120,
        [("Modelo de dados acordado", True), ("Primeira publicação", False)],
        ["in_progress"],
    ),
    (
        ("Auditoria independente do MED", "Independent audit of the special return mechanism"),
        "R2",
        -20,
        [("Termo de referência", True), ("Relatório final", False)],
        ["in_progress"],
    ),
    (
        ("Canal de denúncia acessível em Libras", "Complaints channel accessible in sign language"),
        "R1",
        200,
        [("Piloto com usuários surdos", False)],
        ["at_risk"],
    ),
    (
        ("Consulta pública sobre o Pix Automático", "Public consultation on Pix Automático"),
        "R5",
        60,
        [("Chamada publicada", True), ("Síntese das contribuições", True)],
        ["in_progress", "completed"],
    ),
    (("Painel de fraudes por região", "Fraud dashboard by region"), "R2", 300, [], ["dropped"]),
    (("Guia de direitos do usuário do Pix", "Pix users' rights guide"), "R5", 240, [("Rascunho", False)], []),
]
UPDATES = [
    "Modelo de dados acordado com o BCB; a primeira publicação sai no próximo trimestre.",
    "Termo de referência aprovado; a auditora ainda não entregou o relatório final.",
    "O piloto depende de intérpretes que ainda não foram contratados.",
]
# independent reviewers (e-mail, organisation slug); a co-owner's reviewer skips the actions it co-owns
REVIEWERS = [
    ("camila@derechosandinos.example", "derechos-digitales-andinos"),
    ("tomas@opendatacharter.example", "open-data-charter"),
]
# per action (by position): completion, early results, justification; None where nobody rated it yet
RATINGS = [
    (0, 1, "O modelo de dados existe, mas nenhum registro foi publicado: a ação ainda não começou de fato."),
    (1, 1, "O termo de referência foi aprovado; sem relatório, não há resultado para avaliar."),
    (1, 0, "Sem intérpretes contratados, o piloto não avançou e o canal segue inacessível."),
    (4, 3, "A consulta foi publicada com a síntese das contribuições e respostas do BCB."),
    None,
    None,
]
DROP_REASON = "O Banco Central já publica esses dados no relatório de gestão; a ação duplicaria o esforço."


DRAFT_PILOT = "Pix Automático · Brasil"
DRAFT_ACTION = (
    "Publicar as estatísticas de recusas de autorizações do Pix Automático",
    "Publish Pix Automático's refused-authorisation statistics",
)


def load() -> int:
    """The demo roadmaps, each once: returns how many were made now."""
    return _load_validated() + _load_draft()


def _load_draft() -> int:
    """The Pix Automático roadmap, in draft: two priorities and one proposed action."""
    assessment = db.session.scalar(
        sa.select(Assessment)
        .join(Pilot)
        .where(Pilot.title == DRAFT_PILOT, Assessment.state == AssessmentState.APPROVED)
    )
    owner = demo_organisation("rede-dados-abertos-recife")
    if assessment is None or owner is None:
        return 0
    if db.session.scalar(sa.select(Roadmap.id).where(Roadmap.assessment_id == assessment.id)):
        return 0
    lead = demo_user("mariana@dadosrecife.example")
    today = utcnow().date()
    with transaction.writing():
        roadmap = planning.start(assessment, by=lead)
        found = candidates.candidates(assessment, roadmap)[:2]
        if not found:
            return 1
        planning.rate(
            roadmap,
            [
                planning.Rating(
                    c.code, 3, 2, True, "Quem paga com o Pix Automático precisa saber por que ele recusa."
                )
                for c in found
            ],
            by=lead,
        )
        priority = next(p for p in roadmap.priorities if p.is_selected)
        pt, en = DRAFT_ACTION
        actions.create(
            priority,
            actions.ActionInput(
                title={"pt_BR": pt, "en": en},
                description={"pt_BR": f"{pt}, a cada trimestre e em formato aberto."},
                authority="R2",
                owner_id=owner.id,
                processes=[priority.process_code],
                starts_on=today + timedelta(days=30),
                due_on=today + timedelta(days=180),
                measurable_outcome="Primeira publicação trimestral no portal de dados abertos.",
                is_verifiable=True,
            ),
            by=lead,
        )
    return 1


def _load_validated() -> int:
    """The Pix roadmap, once: returns 1 when it was made now."""
    assessment = db.session.scalar(
        sa.select(Assessment)
        .join(Pilot)
        .where(Pilot.title == PILOT, Assessment.state == AssessmentState.PUBLISHED)
    )
    owner = demo_organisation("rede-dados-abertos-recife")
    if assessment is None or owner is None:
        return 0
    if db.session.scalar(sa.select(Roadmap.id).where(Roadmap.assessment_id == assessment.id)):
        return 0
    lead, staff = demo_user("joao@dadosrecife.example"), demo_user("ana@ilda.example")
    co_owner = demo_organisation("open-data-charter")
    named = [(demo_user(email), demo_organisation(slug)) for email, slug in REVIEWERS]
    with transaction.writing():  # the services lock rows, as in a request
        build(
            assessment,
            lead=lead,
            staff=staff,
            owner_id=owner.id,
            co_owner_id=co_owner and co_owner.id,
            reviewers=[(p.email, o.id) for p, o in named if p is not None and o is not None],
        )
    return 1


def build(assessment, *, lead, staff, owner_id: int, co_owner_id: int | None, reviewers) -> Roadmap:
    """A validated roadmap on ``assessment`` with the actions above in their states, owners' updates and
    the ``reviewers`` (e-mail, organisation id) ratings; also the benchmark's (``safeguards.seed``)."""
    today = utcnow().date()
    roadmap = planning.start(assessment, by=lead)
    found = candidates.candidates(assessment, roadmap)[:3]
    planning.rate(
        roadmap,
        [
            planning.Rating(
                c.code, 3 - n % 2, 2 + n % 2, True, "Afeta diretamente quem usa o Pix todos os dias."
            )
            for n, c in enumerate(found)
        ],
        by=lead,
    )
    priorities = [p for p in roadmap.priorities if p.is_selected]
    made = []
    for n, ((pt, en), authority, days, milestones, _moves) in enumerate(ACTIONS):
        priority = priorities[n % len(priorities)]
        action = actions.create(
            priority,
            actions.ActionInput(
                title={"pt_BR": pt, "en": en},
                description={"pt_BR": f"{pt}, com participação da sociedade civil."},
                authority=authority,
                owner_id=owner_id,
                co_owner_ids=[co_owner_id] if co_owner_id and n % 2 else [],
                processes=[priority.process_code],
                starts_on=today - timedelta(days=60),
                due_on=today + timedelta(days=days),
                measurable_outcome="Documento publicado no site do BCB." if n % 3 else "",
                is_verifiable=bool(n % 3),
            ),
            by=lead,
        )
        db.session.add_all(Milestone(action_id=action.id, title=t, is_done=done) for t, done in milestones)
        made.append(action)
    db.session.flush()
    planning.validate(roadmap, by=staff)
    for action, (*_rest, moves) in zip(made, ACTIONS, strict=True):
        for to in moves:
            actions.change_state(
                action,
                ActionState(to),
                expected=action.state,
                reason=DROP_REASON if to == "dropped" else "",
                by=lead,
            )
    actions.mark_delayed(today)  # the audit due 20 days ago, with its report still open
    for action, narrative in zip(made, UPDATES, strict=False):
        if narrative and action.state in tracking.OPEN:
            tracking.post_update(
                action,
                narrative,
                links="https://www.bcb.gov.br/estabilidadefinanceira/pix",
                expected=action.state,
                by=lead,
            )
    _review(roadmap, made, lead, reviewers)
    return roadmap


def _review(roadmap, made, lead, reviewers) -> None:
    named = [
        reviews.name_reviewer(roadmap, email, organisation_id, by=lead, notify=False)
        for email, organisation_id in reviewers
    ]
    for action, rating in zip(made, RATINGS, strict=True):
        for reviewer in named if rating else ():
            if action.state in reviews.RATEABLE and not reviews.is_own_action(reviewer, action):
                reviews.rate(action, *rating, by=reviewer.user)
