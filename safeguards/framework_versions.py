"""Framework versions that staff manage: what an import changes, importing, publishing, discarding a draft,
and the translation work (texts a version still lacks) with the edit that fills them in.

Services flush and raise; the views run them in ``transaction.action()``. Each change is audited through
``state_changed``. A published version's processes, links and existing texts never change: an edit may only
fill in a text that is empty, so what teams answered stays what they read. A draft's texts may be rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from consortium import transaction
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.signals import state_changed
from safeguards import framework as fw
from safeguards.framework_files import TEXTS
from safeguards.framework_import import LANGUAGES, Checked, base_parts
from safeguards.models import Assessment, FrameworkVersion, Process, version_key

FIELD_LABELS = {
    "display_code": _l("code shown"),
    "principle": _l("principle"),
    "title": _l("title"),
    "question": _l("guiding question"),
    "evidence": _l("evidence examples"),
    "authorities": _l("authorities"),
    "authorities_inferred": _l("provisional authorities"),
    "stages": _l("stages"),
    "risks": _l("risks"),
    "source_url": _l("source"),
}
PART_LABELS = {
    "principles": _l("Principle"),
    "risks": _l("Risk"),
    "authorities": _l("Responsible authority"),
    "stages": _l("Life-cycle stage"),
}
TEXT_LABELS = {"title": _l("Title"), "question": _l("Guiding question"), "evidence": _l("Evidence examples")}


class FrameworkError(Exception):
    message = _l("This framework version cannot be changed that way.")


class VersionTaken(FrameworkError):
    message = _l("There is already a version with this number; give the import a new one.")


class VersionNotNewer(FrameworkError):
    message = _l(
        "Give the import a number after the current version's, so that new assessments use it once published."
    )


class NotADraft(FrameworkError):
    message = _l("This version is already published; published versions cannot be changed or removed.")


class PublishedTextLocked(FrameworkError):
    message = _l(
        "Texts that teams may already have read cannot be changed in a published version; "
        "only empty ones can be filled in."
    )


class VersionInUse(FrameworkError):
    message = _l("Assessments use this version, so it cannot be removed.")


# What changes -----------------------------------------------------------------------------------


@dataclass
class ProcessChange:
    code: str
    display_code: str
    title: dict
    old_title: dict
    fields: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [str(FIELD_LABELS[name]) for name in self.fields]


@dataclass
class PartChange:
    kind: str
    code: str
    change: str  # "added", "removed" or "renamed"
    name: dict

    @property
    def label(self) -> str:
        return str(PART_LABELS[self.kind])


@dataclass
class Diff:
    added: list[dict]
    changed: list[ProcessChange]
    removed: list[dict]
    parts: list[PartChange]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.parts)


def data_of(idx: fw.FrameworkIndex) -> dict:
    """A loaded version as import data, so a draft and its predecessor are compared like a file is."""
    processes = [
        {
            "code": p.code,
            "display_code": p.display_code,
            "principle": p.principle,
            "title": p.title,
            "question": p.question,
            "evidence": p.evidence,
            "authorities": p.authorities,
            "authorities_inferred": p.inferred_authorities,
            "stages": p.stages,
            "risks": p.risks,
            "source_url": p.source_url,
        }
        for p in idx.processes
    ]
    return {**base_parts(idx), "processes": processes}


def diff(old: dict | None, new: dict) -> Diff:
    """What ``new`` adds, changes and removes against ``old`` (both import data); None: everything is new."""
    old = old or {"processes": [], "principles": [], "risks": [], "authorities": [], "stages": []}
    before = {p["code"]: p for p in old["processes"]}
    after = {p["code"]: p for p in new["processes"]}
    changed = []
    for code, process in after.items():
        if code not in before:
            continue
        earlier = before[code]
        names = [
            name
            for name in FIELD_LABELS
            if _comparable(name, process.get(name)) != _comparable(name, earlier.get(name))
        ]
        if names:
            changed.append(
                ProcessChange(code, process["display_code"], process["title"], earlier["title"], names)
            )
    parts = []
    for kind in PART_LABELS:
        old_items = {item["code"]: item for item in old[kind]}
        new_items = {item["code"]: item for item in new[kind]}
        for code, item in new_items.items():
            if code not in old_items:
                parts.append(PartChange(kind, code, "added", item["name"]))
            elif item["name"].get("en") != old_items[code]["name"].get("en"):
                parts.append(PartChange(kind, code, "renamed", item["name"]))
        parts += [
            PartChange(kind, c, "removed", i["name"]) for c, i in old_items.items() if c not in new_items
        ]
    return Diff(
        added=[p for code, p in after.items() if code not in before],
        changed=changed,
        removed=[p for code, p in before.items() if code not in after],
        parts=parts,
        unchanged=sum(1 for code in after if code in before) - len(changed),
    )


def _comparable(name: str, value):
    if isinstance(value, list):  # a loaded version lists its links in code order
        return sorted(value)
    if name in TEXTS:
        return {k: v for k, v in (value or {}).items() if v}
    return value


def published_before(framework: FrameworkVersion) -> FrameworkVersion | None:
    """The newest published version older than ``framework``: what it is compared with."""
    earlier = [
        v
        for v in db.session.scalars(sa.select(FrameworkVersion).where(FrameworkVersion.is_published))
        if v.id != framework.id and v.sort_key < framework.sort_key
    ]
    return max(earlier, key=lambda v: v.sort_key, default=None)


def diff_against_published(framework: FrameworkVersion) -> tuple[FrameworkVersion | None, Diff]:
    """A version against the published one before it (for a draft: what publishing it would change)."""
    base = published_before(framework)
    old = data_of(fw.index(base.id)) if base else None
    return base, diff(old, data_of(fw.index(framework.id)))


# Importing, publishing, discarding ----------------------------------------------------------------


def import_version(checked: Checked, *, by=None) -> FrameworkVersion:
    """Create the draft version of a checked file; raises ``VersionTaken``, ``VersionNotNewer``. Flushes."""
    version = checked.data["version"]
    if fw.by_version(version, drafts=True) is not None:
        raise VersionTaken()
    current = fw.latest()
    if current is not None and version_key(version) <= current.sort_key:
        raise VersionNotNewer()
    try:
        with db.session.begin_nested():  # two imports of the same number at once: the second is told
            framework = fw.load_data(checked.data, checked.checksum, published=False)
    except sa.exc.IntegrityError:
        raise VersionTaken() from None
    state_changed.send(
        framework,
        action="safeguards.framework_imported",
        by=by,
        summary=f"{version}: {len(checked.data['processes'])} processes",
    )
    return framework


def publish(framework_id: int, *, by=None) -> FrameworkVersion:
    """Offer a draft to new assessments and the public. Decided under the version's lock."""
    framework = transaction.lock(FrameworkVersion, framework_id)
    if framework.is_published:
        raise NotADraft()
    framework.is_published = True
    framework.published_at = utcnow()
    db.session.flush()
    state_changed.send(framework, action="safeguards.framework_published", by=by, summary=framework.version)
    return framework


def discard(framework_id: int, *, by=None) -> str:
    framework = transaction.lock(FrameworkVersion, framework_id)
    if framework.is_published:
        raise NotADraft()
    if db.session.scalar(sa.select(Assessment.id).where(Assessment.framework_id == framework.id).limit(1)):
        raise VersionInUse()
    state_changed.send(framework, action="safeguards.framework_discarded", by=by, summary=framework.version)
    version = framework.version
    db.session.delete(framework)
    db.session.flush()
    return version


# Translation work ---------------------------------------------------------------------------------


@dataclass
class MissingTexts:
    process: fw.ProcessInfo
    missing: list[tuple[str, str]]  # (text, language)

    @property
    def languages(self) -> list[str]:
        order = ("es", "pt_BR", "en")  # translations first: English lacks only what a file did not give
        return sorted({language for _text, language in self.missing}, key=order.index)


def missing_in(process) -> list[tuple[str, str]]:
    """The (text, language) pairs a process lacks; ``process`` is import data or a ``ProcessInfo``."""

    def texts(name):
        return (process.get(name) if isinstance(process, dict) else getattr(process, name)) or {}

    return [(name, language) for name in TEXTS for language in LANGUAGES if not texts(name).get(language)]


def translation_work(framework_id: int) -> list[MissingTexts]:
    """The processes of a version that lack a title, question or evidence text in some language."""
    work = []
    for process in fw.index(framework_id).processes:
        if missing := missing_in(process):
            work.append(MissingTexts(process, missing))
    return work


def waiting_work() -> list[tuple[FrameworkVersion, int]]:
    """Versions staff still work on (drafts and the current one) with how many processes lack texts."""
    versions = db.session.scalars(sa.select(FrameworkVersion)).all()  # a handful: one query for both
    drafts = [v for v in versions if not v.is_published]
    current = max((v for v in versions if v.is_published), key=lambda v: v.sort_key, default=None)
    candidates = [*drafts, *([current] if current else [])]
    return [(v, n) for v in candidates if (n := len(translation_work(v.id)))]


def previous_texts(framework: FrameworkVersion, code: str) -> tuple[str, fw.ProcessInfo | None]:
    """The same process in the published version before this one, and that version's number (a hint)."""
    base = published_before(framework)
    return (base.version, fw.index(base.id).by_code().get(code)) if base else ("", None)


def assessments_using(framework_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Assessment).where(Assessment.framework_id == framework_id)
    )


def save_texts(process: Process, texts: dict[str, dict[str, str]], *, by=None) -> list[str]:
    """Set a process's texts; returns what changed ("title.es"…). The caller checked the version counter
    (``consortium.forms.save_edit``); a concurrent save still fails on it (StaleDataError)."""
    framework = transaction.lock(FrameworkVersion, process.framework_id)
    changed = []
    for name in TEXTS:
        current = dict(getattr(process, name) or {})
        for language in LANGUAGES:
            value = texts.get(name, {}).get(language, "").strip()
            if value == current.get(language, ""):
                continue
            if framework.is_published and current.get(language):
                if value:  # a published text is shown read-only: an empty field leaves it as it is
                    raise PublishedTextLocked()
                continue
            current[language] = value
            changed.append(f"{name}.{language}")
        setattr(process, name, {k: v for k, v in current.items() if v})
    if changed:
        framework.revision = framework.revision + 1
        db.session.flush()
        state_changed.send(
            framework,
            action="safeguards.framework_texts_edited",
            by=by,
            summary=f"{framework.version} {process.code}",
            texts=changed,
        )
    return changed
