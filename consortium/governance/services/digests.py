"""The followers' digests: ``flask governance digest --daily`` (or ``--weekly``) e-mails each follower
ONE message, in their language, listing what happened since their last digest in what they follow.

Each digest is claimed by a unique (person, frequency, period) row before it is queued, in the same
transaction: a second run the same day (or week), on this host or another, finds the claim taken (on
PostgreSQL it waits for the first run's commit, then gets the conflict) and sends nothing. Nobody with
nothing new gets a message, and a person sees only the events of spaces they may still see.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from consortium.db import db, utcnow
from consortium.governance.activity import EVENT_PAGES, DigestClaim, SpaceEvent
from consortium.governance.models import Consultation, Space
from consortium.governance.records import ConsultationFollow, DigestFrequency, SpaceFollow
from consortium.i18n import lazy_gettext as _l
from consortium.i18n import normalise_language
from consortium.mail import public_url, queue_email
from consortium.permissions import Permission, can
from consortium.users.models import User

#: how far back a first digest looks (a person's later digests start where their last one ended)
LOOK_BACK = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
SUBJECTS = {
    DigestFrequency.DAILY: _l("Today in the governance spaces you follow"),
    DigestFrequency.WEEKLY: _l("This week in the governance spaces you follow"),
}


def period_of(frequency: DigestFrequency, now: datetime) -> str:
    if frequency is DigestFrequency.DAILY:
        return now.date().isoformat()
    year, week, _day = now.isocalendar()
    return f"{year}-W{week:02d}"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="governance.unfollow")


def unfollow_token(follow: SpaceFollow | ConsultationFollow) -> str:
    kind = "space" if isinstance(follow, SpaceFollow) else "consultation"
    return _signer().dumps([kind, follow.id, follow.user_id])


def follow_of_token(token: str) -> SpaceFollow | ConsultationFollow | None:
    """The follow an unfollow link names, while it exists and still belongs to the same person."""
    try:
        kind, follow_id, user_id = _signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    model = {"space": SpaceFollow, "consultation": ConsultationFollow}.get(kind)
    found = db.session.get(model, follow_id) if model and isinstance(follow_id, int) else None
    return found if found is not None and found.user_id == user_id else None


def _followers(frequency: DigestFrequency, period: str) -> list[int]:
    by_space = sa.select(SpaceFollow.user_id).where(SpaceFollow.frequency == frequency)
    by_consultation = sa.select(ConsultationFollow.user_id).where(ConsultationFollow.frequency == frequency)
    claimed = sa.select(DigestClaim.user_id).where(
        DigestClaim.frequency == frequency, DigestClaim.period == period
    )
    return list(
        db.session.scalars(
            sa.select(User.id)
            .where(
                sa.or_(User.id.in_(by_space), User.id.in_(by_consultation)),
                User.id.not_in(claimed),
                User.is_active.is_(True),
                User.deleted_at.is_(None),
            )
            .order_by(User.id)
        )
    )


def _since(person: User, frequency: DigestFrequency, now: datetime) -> datetime:
    last = db.session.scalar(
        sa.select(sa.func.max(DigestClaim.covered_until)).where(
            DigestClaim.user_id == person.id, DigestClaim.frequency == frequency
        )
    )
    return last or now - LOOK_BACK[frequency]


def _events(person: User, frequency: DigestFrequency, since: datetime, now: datetime) -> list[SpaceEvent]:
    """What happened after ``since`` in what the person follows (since they follow it), oldest first."""
    by_space = sa.exists().where(
        SpaceFollow.space_id == SpaceEvent.space_id,
        SpaceFollow.user_id == person.id,
        SpaceFollow.frequency == frequency,
        SpaceFollow.created_at <= SpaceEvent.created_at,
    )
    by_consultation = sa.exists().where(
        ConsultationFollow.consultation_id == SpaceEvent.consultation_id,
        ConsultationFollow.user_id == person.id,
        ConsultationFollow.frequency == frequency,
        ConsultationFollow.created_at <= SpaceEvent.created_at,
    )
    found = db.session.scalars(
        sa.select(SpaceEvent)
        .where(SpaceEvent.created_at > since, SpaceEvent.created_at <= now, sa.or_(by_space, by_consultation))
        .order_by(SpaceEvent.space_id, SpaceEvent.created_at, SpaceEvent.id)
    ).all()
    visible = {e.space_id for e in found if can(Permission.GOVERNANCE_VIEW, e.space, user=person)}
    return [event for event in found if event.space_id in visible]


def _claim(person: User, frequency: DigestFrequency, period: str, now: datetime, count: int) -> bool:
    """Take this person's digest of the period; False if another run took it first."""
    try:
        with db.session.begin_nested():
            db.session.add(
                DigestClaim(
                    user_id=person.id,
                    frequency=frequency,
                    period=period,
                    covered_until=now,
                    event_count=count,
                )
            )
    except sa.exc.IntegrityError:
        return False
    return True


def _unfollow_links(
    person: User, frequency: DigestFrequency, events: list[SpaceEvent], language: str
) -> list[dict]:
    """One link per followed space or consultation this digest speaks of (a signed, sign-in-free page)."""
    space_ids = {e.space_id for e in events}
    consultation_ids = {e.consultation_id for e in events if e.consultation_id}
    follows = [
        *db.session.scalars(
            sa.select(SpaceFollow).where(
                SpaceFollow.user_id == person.id,
                SpaceFollow.frequency == frequency,
                SpaceFollow.space_id.in_(space_ids),
            )
        ),
        *db.session.scalars(
            sa.select(ConsultationFollow).where(
                ConsultationFollow.user_id == person.id,
                ConsultationFollow.frequency == frequency,
                ConsultationFollow.consultation_id.in_(consultation_ids),
            )
        ),
    ]
    links = []
    for follow in follows:
        if isinstance(follow, SpaceFollow):
            name = db.session.get(Space, follow.space_id).text_in("title", language)[0]
        else:
            name = db.session.get(Consultation, follow.consultation_id).title
        url = public_url("governance.unfollow_link", token=unfollow_token(follow))
        links.append({"name": name, "url": url})
    return links


def _grouped(events: list[SpaceEvent], language: str) -> list[dict]:
    groups: dict[int, dict] = {}
    for event in events:
        group = groups.setdefault(
            event.space_id, {"title": event.space.text_in("title", language)[0], "events": []}
        )
        endpoint, key = EVENT_PAGES[event.kind]
        group["events"].append({"event": event, "url": public_url(endpoint, **{key: event.target_id})})
    return list(groups.values())


def send_digests(frequency: DigestFrequency, now: datetime | None = None) -> int:
    """Queue this period's digest of ``frequency`` for every follower with something new; how many."""
    now = now or utcnow()
    period = period_of(frequency, now)
    sent = 0
    for user_id in _followers(frequency, period):
        person = db.session.get(User, user_id)
        events = _events(person, frequency, _since(person, frequency, now), now)
        if not events or not _claim(person, frequency, period, now, len(events)):
            continue
        language = normalise_language(person.locale) or current_app.config["BABEL_DEFAULT_LOCALE"]
        queue_email(
            person.email,
            "governance/digest",
            SUBJECTS[frequency],
            to_name=person.name,
            locale=language,
            frequency=frequency,
            spaces=_grouped(events, language),
            unfollow=_unfollow_links(person, frequency, events, language),
        )
        sent += 1
    return sent
