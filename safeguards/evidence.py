"""Evidence files: documents a team attaches to an item, stored through ``consortium.storage``.

A file's type is read from its bytes (``consortium.filetypes``), never from its name; its size is
limited (``SAFEGUARDS_EVIDENCE_MAX_MB``). Files are private to the team and its reviewers (and the staff
who publish) until publication; at publication each file is public only if ``is_public`` says so: the
team proposes it, and the publish step confirms it per file (``publication_files``, ``choose_public``).
Adding and removing files takes the assessment's lock, like the team's saves: nothing changes once the
assessment is submitted.
"""

from __future__ import annotations

import io
from typing import IO

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal
from sqlalchemy.orm import joinedload

from consortium import filetypes, storage
from consortium.db import db
from consortium.i18n import lazy_gettext as _l
from safeguards.item_models import EvidenceFile
from safeguards.models import Answer, Assessment, AssessmentState
from safeguards.services import AssessmentLocked, SafeguardsError, lock_team_editable

KINDS = ("pdf", "odt", "docx", "xlsx", "png", "jpeg")
MAX_FILES_PER_ITEM = 10
WRONG_TYPE = _l("Attach a PDF, ODT, DOCX or XLSX document, or a PNG or JPEG image.")


class InvalidEvidence(SafeguardsError):
    def __init__(self, error=WRONG_TYPE):
        super().__init__("invalid evidence")
        self.error = error


def max_bytes() -> int:
    return int(float(current_app.config["SAFEGUARDS_EVIDENCE_MAX_MB"]) * 1024 * 1024)


def attach(answer: Answer, stream: IO[bytes], filename: str, *, is_public: bool = False, by) -> EvidenceFile:
    """Check an upload's size and real type, then store it for the item (the action commits both)."""
    size = stream.seek(0, io.SEEK_END)
    if size > max_bytes():
        mb = format_decimal(current_app.config["SAFEGUARDS_EVIDENCE_MAX_MB"])
        raise InvalidEvidence(_l("The file is larger than %(mb)s MB.", mb=mb))
    if size == 0:
        raise InvalidEvidence(_l("The file is empty."))
    kind = filetypes.sniff(stream, KINDS)
    if kind is None:
        raise InvalidEvidence
    lock_team_editable(answer.assessment_id)
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(EvidenceFile).where(EvidenceFile.answer_id == answer.id)
    )
    if count >= MAX_FILES_PER_ITEM:
        raise InvalidEvidence(_l("An item holds at most %(n)s files.", n=MAX_FILES_PER_ITEM))
    stream.seek(0)
    stored = storage.save(
        stream, filetypes.download_name(filename, kind, "evidence"), filetypes.CONTENT_TYPES[kind]
    )
    evidence = EvidenceFile(
        answer_id=answer.id,
        assessment_id=answer.assessment_id,
        file=stored,
        is_public=is_public,
        uploaded_by_id=getattr(by, "id", None),
    )
    db.session.add(evidence)
    db.session.flush()
    return evidence


def remove(evidence: EvidenceFile) -> None:
    """Delete the record and so its stored file (``storage.owned_by``: the bytes go once it committed)."""
    lock_team_editable(evidence.assessment_id)
    db.session.delete(evidence)
    db.session.flush()


def set_proposal(evidence: EvidenceFile, is_public: bool) -> None:
    """The team's proposal whether the file may become public, while it may still change its answers."""
    lock_team_editable(evidence.assessment_id)
    evidence.is_public = is_public
    db.session.flush()


# Reading and publication ---------------------------------------------------------------------------


def of_assessment(assessment: Assessment) -> dict[int, list[EvidenceFile]]:
    """Every file of the assessment with its stored file and uploader, by answer id (one query)."""
    rows = db.session.scalars(
        sa.select(EvidenceFile)
        .where(EvidenceFile.assessment_id == assessment.id)
        .options(joinedload(EvidenceFile.file), joinedload(EvidenceFile.uploaded_by))
        .order_by(EvidenceFile.id)
    )
    files: dict[int, list[EvidenceFile]] = {}
    for evidence in rows:
        files.setdefault(evidence.answer_id, []).append(evidence)
    return files


def of_answer(answer: Answer) -> list[EvidenceFile]:
    return list(
        db.session.scalars(
            sa.select(EvidenceFile)
            .where(EvidenceFile.answer_id == answer.id)
            .options(joinedload(EvidenceFile.file), joinedload(EvidenceFile.uploaded_by))
            .order_by(EvidenceFile.id)
        )
    )


def is_published(evidence: EvidenceFile, assessment: Assessment) -> bool:
    """Readable by everyone who sees the published assessment."""
    return evidence.is_public and assessment.state is AssessmentState.PUBLISHED


def publication_files(assessment: Assessment) -> list[EvidenceFile]:
    """For the publish preview: every file, each with the team's proposal in ``is_public``."""
    return [f for files in of_assessment(assessment).values() for f in files]


def choose_public(assessment: Assessment, public_ids: set[int]) -> list[EvidenceFile]:
    """The publish step's choice, inside its action: exactly the files in ``public_ids`` become public.

    Call it with the assessment locked and still approved (``workflow.publish`` checks); returns the
    files made public.
    """
    if assessment.state is not AssessmentState.APPROVED:
        raise AssessmentLocked(assessment.state)
    chosen = []
    for evidence in publication_files(assessment):
        evidence.is_public = evidence.id in public_ids
        if evidence.is_public:
            chosen.append(evidence)
    db.session.flush()
    return chosen
