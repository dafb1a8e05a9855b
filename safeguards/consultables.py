"""What safeguards offers governance spaces to consult on (``consortium.consultables``): a pilot's
published results, one section per principle, and its public roadmap, one section per priority.
Sections are written in the convenor's language, in Markdown, when the consultation is made."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import format_date

from consortium.consultables import Document, Section
from consortium.db import db
from consortium.i18n import current_language, localised
from consortium.i18n import lazy_gettext as _l
from consortium.mail import public_url
from consortium.templating import number
from safeguards import framework as fw
from safeguards import scoring, services
from safeguards.models import Assessment, AssessmentState, Pilot
from safeguards.roadmap import planning
from safeguards.roadmap.models import Roadmap, RoadmapVersion


def documents(system_id: int) -> list[Document]:
    """Published results and public roadmaps of the pilots on this system, newest cycle first."""
    published = db.session.scalars(
        sa.select(Assessment)
        .join(Pilot, Pilot.id == Assessment.pilot_id)
        .where(Pilot.system_id == system_id, Assessment.state == AssessmentState.PUBLISHED)
        .order_by(Pilot.title, Assessment.cycle.desc())
    ).all()
    found = [_results(assessment) for assessment in published]
    roadmaps = db.session.scalars(
        sa.select(Roadmap)
        .where(
            Roadmap.assessment_id.in_([a.id for a in published]),
            sa.exists().where(RoadmapVersion.roadmap_id == Roadmap.id),
        )
        .order_by(Roadmap.id)
    ).all()
    return found + [_roadmap(roadmap) for roadmap in roadmaps]


def _results(assessment: Assessment) -> Document:
    title = _l("%(pilot)s, cycle %(n)s: results", pilot=assessment.pilot.title, n=assessment.cycle)
    return Document(
        key=f"safeguards.assessment:{assessment.id}",
        title=str(title),
        language=current_language(),
        url=public_url("safeguards.results", assessment_id=assessment.id),
        sections=lambda: _principle_sections(assessment),
    )


def _value(item: services.Item) -> str:
    answer = item.answer
    rating = answer.reviewed_rating if answer.reviewed_rating is not None else answer.rating
    status = "rated" if answer.reviewed_rating is not None else answer.status.value
    value = scoring.item_value(status, rating)
    return str(_l("%(value)s of 4", value=value)) if value is not None else str(_l("not known"))


def _principle_sections(assessment: Assessment) -> list[Section]:
    idx = fw.index(assessment.framework_id)
    items = [item for item in services.items(assessment, idx) if item.in_scope]
    self_, reviewed = services.scores(idx, items)
    sections = []
    for principle in idx.principles:
        own = [item for item in items if item.process.principle == principle.code]
        if not own:
            continue
        score = reviewed.principles.get(principle.code) or self_.principles.get(principle.code)
        lines = [
            str(_l("Score: %(score)s of 100.", score=number(score)))
            if score is not None
            else str(_l("No score: too few items were answered."))
        ]
        lines.append("")
        lines += [
            f"- **{item.process.display_code}** {localised(item.process.title)}: {_value(item)}"
            for item in own
        ]
        sections.append(Section(f"{principle.code} · {principle.label}", "\n".join(lines)))
    return sections


def _roadmap(roadmap: Roadmap) -> Document:
    assessment = roadmap.assessment
    return Document(
        key=f"safeguards.roadmap:{roadmap.id}",
        title=str(_l("%(pilot)s, cycle %(n)s: roadmap", pilot=assessment.pilot.title, n=assessment.cycle)),
        language=current_language(),
        url=public_url("safeguards.public_roadmap", roadmap_id=roadmap.id),
        sections=lambda: _priority_sections(roadmap),
    )


def _priority_sections(roadmap: Roadmap) -> list[Section]:
    plan = planning.latest_version(roadmap).snapshot
    processes = fw.index(roadmap.assessment.framework_id).by_code()
    sections = []
    for priority in plan["priorities"]:
        process = processes.get(priority["code"])
        heading = f"{process.display_code} · {localised(process.title)}" if process else priority["code"]
        lines = [priority["rationale"], ""] if priority["rationale"] else []
        for action in plan["actions"]:
            if action["priority"] == priority["code"]:
                due = f", {format_date(date.fromisoformat(action['due_on']))}" if action["due_on"] else ""
                lines.append(f"- **{localised(action['title'])}** ({action['owner']}{due})")
        sections.append(Section(heading, "\n".join(lines)))
    return sections
