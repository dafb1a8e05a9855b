"""The library's topics: named in each language, referred to by a short name that never changes."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.library.models import FACET_TOPIC, Resource, ResourceTag, Topic
from consortium.library.services.errors import TopicExists
from consortium.library.services.resources import sync_tags
from consortium.library.services.slugs import slugify


def save_topic(topic: Topic | None, *, slug: str, names: dict[str, str]) -> Topic:
    """Rename ``topic``, or add a new one; two people adding one short name at once get TopicExists."""
    names = {language: name.strip() for language, name in names.items() if name and name.strip()}
    if topic is not None:
        topic.names = names
        db.session.flush()
        return topic
    topic = Topic(slug=slugify(slug, 32), names=names)
    try:
        with db.session.begin_nested():
            db.session.add(topic)
    except sa.exc.IntegrityError:
        raise TopicExists from None
    return topic


def delete_topic(topic: Topic) -> None:
    tagged = db.session.scalars(
        sa.select(Resource)
        .join(ResourceTag)
        .where(ResourceTag.facet == FACET_TOPIC, ResourceTag.value == topic.slug)
    ).all()
    for resource in tagged:
        resource.topic_slugs = [slug for slug in resource.topic_slugs if slug != topic.slug]
        sync_tags(resource)
    db.session.delete(topic)
    db.session.flush()
