"""Demo data and benchmark volume."""

from __future__ import annotations

import sqlalchemy as sa

from consortium import demo, seed, transaction
from consortium.reference.systems import DpiSystem
from safeguards.item_models import ItemThread, MessageKind, Side
from safeguards.models import Assessment, AssessmentState, Pilot


def test_demo_load_creates_pilots_in_each_state_and_is_idempotent(app, db, client):
    demo.load()
    db.session.commit()
    demo.load()
    db.session.commit()
    assert {s.slug for s in db.session.scalars(sa.select(DpiSystem))} >= {
        "pix",
        "gov-br",
        "bre-b",
        "llave-mx",
        "ciudadano-digital",
    }
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Pilot)) == 5
    states = {a.state for a in db.session.scalars(sa.select(Assessment))}
    assert {
        AssessmentState.DRAFT,
        AssessmentState.SUBMITTED,
        AssessmentState.APPROVED,
        AssessmentState.PUBLISHED,
    } <= states
    published = db.session.scalar(sa.select(Assessment).where(Assessment.state == AssessmentState.PUBLISHED))
    assert client.get(f"/safeguards/assessments/{published.id}/results").status_code == 200
    assert "Pix" in client.get("/safeguards").get_data(as_text=True)


def test_demo_load_shows_a_conversation_on_the_assessment_in_review(app, db):
    demo.load()
    db.session.commit()
    demo.load()  # once only
    db.session.commit()
    submitted = db.session.scalar(sa.select(Assessment).where(Assessment.state == AssessmentState.SUBMITTED))
    threads = db.session.scalars(sa.select(ItemThread).where(ItemThread.assessment_id == submitted.id)).all()
    assert sorted(t.is_resolved for t in threads) == [False, True]
    messages = [m for t in threads for m in t.messages]
    assert {(m.side, m.kind) for m in messages} == {
        (Side.REVIEWERS, MessageKind.COMMENT),
        (Side.TEAM, MessageKind.COMMENT),
        (Side.REVIEWERS, MessageKind.RESOLVED),
    }
    assert len(messages) == 5 and any(m.rating is not None for m in messages)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ItemThread)) == 2


def test_bench_seed_gives_the_bench_member_a_draft(app, db, client, login_as):
    with transaction.writing():  # as `flask bench seed` runs it: roadmap services lock rows
        seed.seed(1)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 30
    first = db.session.scalar(sa.select(Assessment).order_by(Assessment.id))
    assert first.state is AssessmentState.DRAFT
    member = db.session.scalar(sa.select(seed.User).where(seed.User.email == seed.BENCH_MEMBER))
    login_as(member)
    assert client.get(f"/safeguards/assessments/{first.id}/steps/F4").status_code == 200


def test_bench_autosave_body_is_the_saved_item_even_when_never_answered(app, db):
    """The bench's autosave heartbeat sends the item back as saved, answered or not (issue 14: a fresh
    scale-30 database left O3.1 empty and the bench stopped with KeyError 'current')."""
    from safeguards.models import Answer, AnswerStatus
    from tests.bench.pages import saved_answer

    with transaction.writing():  # as `flask bench seed` runs it: roadmap services lock rows
        seed.seed(1)
    db.session.commit()
    draft = db.session.scalar(sa.select(Assessment).order_by(Assessment.id))
    answer = next(a for a in draft.answers if a.process.code == "O3.1")
    answer.status, answer.rating = AnswerStatus.UNANSWERED, None
    answer.justification = answer.evidence = answer.links = answer.confidence = ""
    db.session.commit()
    body = saved_answer(app, draft.id, "O3.1")
    assert body == {
        "choice": "",
        "evidence": "",
        "justification": "",
        "links": "",
        "confidence": "",
        "version": db.session.get(Answer, answer.id).version,
    }


def test_demo_load_shows_a_validated_roadmap_with_actions_in_every_state(app, db, client):
    from safeguards.roadmap.models import Action, ActionState, Roadmap, RoadmapState

    demo.load()
    db.session.commit()
    demo.load()  # once only
    db.session.commit()
    roadmap = db.session.scalars(sa.select(Roadmap).where(Roadmap.state == RoadmapState.VALIDATED)).one()
    assert len(roadmap.versions) == 1
    states = {a.state for a in db.session.scalars(sa.select(Action).where(Action.roadmap_id == roadmap.id))}
    assert states >= {
        ActionState.VALIDATED,
        ActionState.IN_PROGRESS,
        ActionState.COMPLETED,
        ActionState.DELAYED,
        ActionState.AT_RISK,
        ActionState.DROPPED,
    }
    page = client.get(f"/safeguards/roadmaps/{roadmap.id}/public")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Pix" in html and "Termo de referência aprovado" in html
    assert "A consulta foi publicada com a síntese" in html  # an independent rating
    from safeguards.roadmap.models import ActionRating, RoadmapReviewer

    assert db.session.scalar(sa.select(sa.func.count()).select_from(RoadmapReviewer)) == 2
    co_owned = {a.id for a in db.session.scalars(sa.select(Action)) if a.co_owners}  # Pix's only
    rated_by_co_owner = [
        r
        for r in db.session.scalars(sa.select(ActionRating))
        if r.action_id in co_owned and r.organisation.slug == "open-data-charter"
    ]
    assert co_owned and rated_by_co_owner == []  # a reviewer never rates their organisation's actions


def test_demo_load_shows_a_second_pilot_with_a_draft_roadmap(app, db, client, login_as):
    from safeguards.roadmap.models import Action, ActionState, Roadmap, RoadmapState

    demo.load()
    db.session.commit()
    demo.load()  # once only
    db.session.commit()
    draft = db.session.scalars(sa.select(Roadmap).where(Roadmap.state == RoadmapState.DRAFT)).one()
    assert draft.assessment.pilot.title == "Pix Automático · Brasil" and draft.versions == []
    assert [p for p in draft.priorities if p.is_selected]
    proposed = db.session.scalars(sa.select(Action).where(Action.roadmap_id == draft.id)).all()
    assert [a.state for a in proposed] == [ActionState.PROPOSED]
    assert client.get(f"/safeguards/roadmaps/{draft.id}/public").status_code == 404  # not public
    lead = db.session.scalar(sa.select(seed.User).where(seed.User.email == "mariana@dadosrecife.example"))
    login_as(lead)
    assert "Publicar as estatísticas de recusas" in client.get(f"/safeguards/roadmaps/{draft.id}").get_data(
        as_text=True
    )


def test_the_pix_convenor_validates_the_demo_draft_roadmap_by_a_decision(app, db, client, login_as, submit):
    from consortium.governance.models import Space
    from safeguards.roadmap.models import Roadmap, RoadmapState

    demo.load()
    db.session.commit()
    draft = db.session.scalars(sa.select(Roadmap).where(Roadmap.state == RoadmapState.DRAFT)).one()
    space = db.session.scalar(sa.select(Space).where(Space.slug == "pix-brasil"))
    login_as(db.session.scalar(sa.select(seed.User).where(seed.User.email == "andre@privacidade.example")))
    decided = submit(
        f"/governance/spaces/{space.id}/decisions/new",
        {
            "text": "Validar o roteiro do Pix Automático.",
            "rationale": "O espaço revisou as prioridades.",
            "language": "pt_BR",
            "meeting_id": "0",
            "kind": "validation",
            "method": "consensus",
            "validates": f"safeguards.roadmap:{draft.id}",
        },
    )
    assert decided.status_code == 302
    db.session.refresh(draft)
    assert draft.state is RoadmapState.VALIDATED


def test_the_pix_consultation_names_the_published_pix_results_as_its_source(app, db, client):
    from consortium.governance.models import Consultation

    demo.load()
    db.session.commit()
    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title == "Salvaguardas de proteção de dados no Pix")
    )
    assert consultation.source_key.startswith("safeguards.assessment:")
    assert consultation.source_title.endswith("ciclo 1: resultados")  # in the space's language
    html = client.get(f"/governance/consultations/{consultation.id}").get_data(as_text=True)
    assert consultation.source_url in html and consultation.source_url.endswith("/results")


def test_bench_seed_gives_pilot_1_a_public_roadmap_its_team_member_works_on(app, db, client, login_as):
    from safeguards.models import Pilot
    from safeguards.roadmap.models import Action, Roadmap, RoadmapState

    with transaction.writing():  # as `flask bench seed` runs it: roadmap services lock rows
        seed.seed(1)
    db.session.commit()
    roadmap = db.session.scalar(
        sa.select(Roadmap).join(Assessment).join(Pilot).where(Pilot.title == "Bench pilot 1")
    )
    assert roadmap.state is RoadmapState.VALIDATED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Roadmap)) == 3  # one pilot in ten
    assert client.get(f"/safeguards/roadmaps/{roadmap.id}/public").status_code == 200
    action = db.session.scalar(sa.select(Action).where(Action.roadmap_id == roadmap.id).order_by(Action.id))
    login_as(db.session.scalar(sa.select(seed.User).where(seed.User.email == seed.BENCH_MEMBER)))
    assert client.get(f"/safeguards/roadmaps/{roadmap.id}").status_code == 200
    assert client.get(f"/safeguards/roadmap-actions/{action.id}").status_code == 200
