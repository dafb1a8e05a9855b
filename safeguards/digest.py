"""One digest per decision: what a decision's e-mail tells about the items' threads.

Messages are never mailed one by one. When the assessment changes state (submitted, changes
requested, approved, published), the e-mail to the side that must act next lists every open thread
with a link straight to its item, and the messages the other side wrote since it was last told; those
messages are then marked as told, so no digest repeats them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from consortium.db import db, utcnow
from consortium.mail import public_url
from safeguards import framework as fw
from safeguards import threads
from safeguards.item_models import MessageKind, Side, ThreadMessage
from safeguards.models import Assessment


@dataclass
class DigestItem:
    code: str
    title: dict
    url: str
    is_open: bool
    messages: list[ThreadMessage] = field(default_factory=list)


@dataclass
class Digest:
    items: list[DigestItem]

    @property
    def open_items(self) -> list[DigestItem]:
        return [item for item in self.items if item.is_open]

    @property
    def new_messages(self) -> int:
        return sum(len(item.messages) for item in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def item_url(assessment: Assessment, process: fw.ProcessInfo, side: Side) -> str:
    """The team fixes an item on its wizard step; reviewers read it on the item's page."""
    if side is Side.TEAM:
        step = public_url("safeguards.step", assessment_id=assessment.id, code=process.principle)
        return f"{step}#item-{process.code}"
    return public_url("safeguards.item", assessment_id=assessment.id, process=process.code)


def for_decision(assessment: Assessment, to: Side) -> Digest:
    """The digest for the e-mail to side ``to``; marks the messages it carries as told."""
    processes = fw.index(assessment.framework_id).by_id()
    answers = {answer.id: answer for answer in assessment.answers}
    now = utcnow()
    items = []
    for answer_id, thread in threads.of_assessment(assessment).items():
        process = processes.get(answers[answer_id].process_id)
        if process is None:
            continue
        new = [m for m in thread.messages if m.notified_at is None and m.side is not to]
        for message in new:
            message.notified_at = now
        comments = [m for m in new if m.kind is MessageKind.COMMENT]
        if thread.is_open or comments:
            items.append(
                DigestItem(
                    process.code, process.title, item_url(assessment, process, to), thread.is_open, comments
                )
            )
    db.session.flush()
    order = {p.code: n for n, p in enumerate(processes.values())}
    items.sort(key=lambda item: order.get(item.code, 0))
    return Digest(items)
