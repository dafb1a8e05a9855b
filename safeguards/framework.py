"""The reference framework: load the versioned files in ``safeguards/frameworks/`` and read them back.

A loaded version is frozen: loading the same file again changes nothing, and a file whose content
differs from the loaded version of the same number is refused (publish it as a new version instead),
so results already computed against a version never change. Staff may also import a version from an
uploaded file (``framework_import``); it starts as a draft that only staff see until they publish it.

Scope rule (documented on the scope step): a process is an item of an assessment when
- one of its authorities (confirmed or inferred) is in scope, or the data gives it no authority
  (35 processes were found only on their own page, so we cannot tell whose they are), and
- one of its stages is in scope, or the data gives it no stage (F6.1, F8.7, F9.6).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlalchemy as sa

from consortium.db import db, utcnow
from safeguards.models import (
    Authority,
    FrameworkVersion,
    Principle,
    PrincipleCategory,
    Process,
    ProcessAuthority,
    Risk,
    Stage,
    process_risks,
    process_stages,
)

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"


class FrameworkConflict(Exception):
    """A file claims a version number that is already loaded with different content."""


def framework_files(directory: Path = FRAMEWORKS_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


def load_file(path: Path) -> tuple[FrameworkVersion, bool]:
    """Load one framework file; returns (version, created). Files are reviewed with the code, so they are
    published at once. Flushes, never commits."""
    raw = path.read_bytes()
    checksum = hashlib.sha256(raw).hexdigest()
    data = json.loads(raw)
    existing = db.session.scalar(
        sa.select(FrameworkVersion).where(FrameworkVersion.version == data["version"])
    )
    if existing is not None:
        if existing.checksum != checksum:
            raise FrameworkConflict(
                f"{path.name}: version {data['version']} is already loaded with other content; "
                "give the changed file a new version number"
            )
        return existing, False
    return load_data(data, checksum, published=True), True


def load_data(data: dict, checksum: str, *, published: bool) -> FrameworkVersion:
    """Create a version from data in the shape of ``frameworks/v1.0.json``. Flushes, never commits."""
    coverage = data.get("coverage", {})
    framework = FrameworkVersion(
        version=data["version"],
        is_published=published,
        published_at=utcnow() if published else None,
        name=data["name"],
        licence=data.get("licence", ""),
        attribution=data.get("attribution", ""),
        coverage_note=coverage.get("note", {}),
        processes_in_reference=coverage.get("processes_in_reference", len(data["processes"])),
        estimated_total=coverage.get("estimated_total", 0),
        checksum=checksum,
    )
    db.session.add(framework)
    db.session.flush()
    principles = {}
    for position, item in enumerate(data["principles"]):
        principles[item["code"]] = Principle(
            framework_id=framework.id,
            code=item["code"],
            category=PrincipleCategory(item["category"]),
            name=item["name"],
            summary=item.get("summary", {}),
            url=item.get("url", ""),
            position=position,
        )
    categories = {c["prefix"]: c["name"] for c in data.get("risk_categories", [])}
    risks = {
        item["code"]: Risk(
            framework_id=framework.id,
            code=item["code"],
            name=item["name"],
            category=item["category"],
            category_name=categories.get(item["category"], {}),
        )
        for item in data["risks"]
    }
    authorities = {
        item["code"]: Authority(
            framework_id=framework.id,
            code=item["code"],
            name=item["name"],
            description=item.get("description", {}),
        )
        for item in data["authorities"]
    }
    stages = {
        item["code"]: Stage(framework_id=framework.id, code=item["code"], name=item["name"])
        for item in data["stages"]
    }
    db.session.add_all([*principles.values(), *risks.values(), *authorities.values(), *stages.values()])
    db.session.flush()
    for position, item in enumerate(data["processes"]):
        process = Process(
            framework_id=framework.id,
            principle_id=principles[item["principle"]].id,
            code=item["code"],
            display_code=item.get("display_code", item["code"]),
            title=item["title"],
            question=item.get("question", {}),
            evidence=item.get("evidence", {}),
            source_url=item.get("source_url", ""),
            position=position,
        )
        process.authority_links = [
            ProcessAuthority(authority_id=authorities[code].id, is_inferred=False)
            for code in item.get("authorities", [])
        ] + [
            ProcessAuthority(authority_id=authorities[code].id, is_inferred=True)
            for code in item.get("authorities_inferred", [])
            if code not in item.get("authorities", [])
        ]
        process.stages = [stages[code] for code in item.get("stages", [])]
        process.risks = [risks[code] for code in item.get("risks", []) if code in risks]
        db.session.add(process)
    db.session.flush()
    return framework


def load_all(directory: Path = FRAMEWORKS_DIR) -> list[tuple[FrameworkVersion, bool]]:
    return [load_file(path) for path in framework_files(directory)]


def latest() -> FrameworkVersion | None:
    """The newest published version: the one new assessments use."""
    versions = db.session.scalars(sa.select(FrameworkVersion).where(FrameworkVersion.is_published)).all()
    return max(versions, key=lambda v: v.sort_key, default=None)


def by_version(version: str, *, drafts: bool = False) -> FrameworkVersion | None:
    """A version by its number; drafts only when asked for (staff pages), never on public pages."""
    query = sa.select(FrameworkVersion).where(FrameworkVersion.version == version)
    if not drafts:
        query = query.where(FrameworkVersion.is_published)
    return db.session.scalar(query)


# A read-only view of one framework version, built in a fixed number of queries ---------------------


@dataclass
class ProcessInfo:
    id: int
    code: str
    display_code: str
    principle: str
    title: dict
    question: dict
    evidence: dict
    source_url: str
    authorities: list[str] = field(default_factory=list)
    inferred_authorities: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)

    @property
    def all_authorities(self) -> list[str]:
        return self.authorities + self.inferred_authorities


@dataclass
class ScopeReason:
    authorities: list[str]
    inferred: list[str]
    stages: list[str]
    no_authority: bool
    no_stage: bool


@dataclass
class FrameworkIndex:
    framework: FrameworkVersion
    principles: list[Principle]
    risks: list[Risk]
    authorities: list[Authority]
    stages: list[Stage]
    processes: list[ProcessInfo]
    # Rendered fragments of this revision's texts ({key: Markup}), shared by every copy ``index`` hands out
    # and dropped with the index when the texts change (see ``Wizard.intro``).
    fragments: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def has_inferred_authorities(self) -> bool:
        """Whether any process's authority was deduced rather than read in the framework (pages say so)."""
        return any(process.inferred_authorities for process in self.processes)

    @property
    def principle_codes(self) -> list[str]:
        return [p.code for p in self.principles]

    @property
    def risk_codes(self) -> list[str]:
        return [r.code for r in self.risks]

    def principle(self, code: str) -> Principle | None:
        return next((p for p in self.principles if p.code == code), None)

    def processes_of(self, principle_code: str) -> list[ProcessInfo]:
        return [p for p in self.processes if p.principle == principle_code]

    def by_code(self) -> dict[str, ProcessInfo]:
        return {p.code: p for p in self.processes}

    def by_id(self) -> dict[int, ProcessInfo]:
        return {p.id: p for p in self.processes}


def scope_reason(process: ProcessInfo, authorities: list[str], stages: list[str]) -> ScopeReason | None:
    """Why ``process`` is in scope for the chosen authorities and stages, or None when it is not."""
    if not authorities or not stages:
        return None
    no_authority = not process.all_authorities
    matched = [code for code in process.authorities if code in authorities]
    inferred = [code for code in process.inferred_authorities if code in authorities]
    if not (no_authority or matched or inferred):
        return None
    no_stage = not process.stages
    stage_match = [code for code in process.stages if code in stages]
    if not (no_stage or stage_match):
        return None
    return ScopeReason(matched, inferred, stage_match, no_authority, no_stage)


# A version's structure never changes (its checksum says which data it came from) and its texts change only
# when missing translations are filled in (``revision``), so each worker builds its index once per revision:
# every wizard step and results page needs it, and building it cost 8-15 ms. ``loaded_at`` tells a draft
# imported again after it was removed from the removed one, should the database give it the same id.
_indexes: dict[tuple, FrameworkIndex] = {}


def index(framework_id: int) -> FrameworkIndex:
    """Everything about one version: one query when this worker has seen it, six the first time."""
    framework = db.session.get(FrameworkVersion, framework_id)
    key = (str(db.engine.url), framework_id, framework.checksum, framework.revision, framework.loaded_at)
    cached = _indexes.get(key)
    if cached is None:
        cached = _indexes[key] = _build_index(framework)
    return replace(cached, framework=framework)


def _build_index(framework: FrameworkVersion) -> FrameworkIndex:
    framework_id = framework.id
    principles = db.session.scalars(
        sa.select(Principle).where(Principle.framework_id == framework_id).order_by(Principle.position)
    ).all()
    codes = {p.id: p.code for p in principles}
    risks = db.session.scalars(
        sa.select(Risk).where(Risk.framework_id == framework_id).order_by(Risk.id)
    ).all()
    authorities = db.session.scalars(
        sa.select(Authority).where(Authority.framework_id == framework_id).order_by(Authority.code)
    ).all()
    stages = db.session.scalars(
        sa.select(Stage).where(Stage.framework_id == framework_id).order_by(Stage.code)
    ).all()
    rows = db.session.execute(
        sa.select(
            Process.id,
            Process.code,
            Process.display_code,
            Process.principle_id,
            Process.title,
            Process.question,
            Process.evidence,
            Process.source_url,
        )
        .where(Process.framework_id == framework_id)
        .order_by(Process.position)
    ).all()
    processes = {
        row.id: ProcessInfo(
            row.id,
            row.code,
            row.display_code,
            codes[row.principle_id],
            row.title,
            row.question,
            row.evidence,
            row.source_url,
        )
        for row in rows
    }
    links = db.session.execute(
        sa.union_all(
            sa.select(
                sa.literal("a").label("kind"),
                ProcessAuthority.process_id,
                Authority.code,
                ProcessAuthority.is_inferred,
            )
            .join(Authority, Authority.id == ProcessAuthority.authority_id)
            .where(Authority.framework_id == framework_id),
            sa.select(sa.literal("s"), process_stages.c.process_id, Stage.code, sa.false())
            .join(Stage, Stage.id == process_stages.c.stage_id)
            .where(Stage.framework_id == framework_id),
            sa.select(sa.literal("r"), process_risks.c.process_id, Risk.code, sa.false())
            .join(Risk, Risk.id == process_risks.c.risk_id)
            .where(Risk.framework_id == framework_id),
        )
    ).all()
    for kind, process_id, code, inferred in sorted(links, key=lambda r: (r[0], r[1], r[2])):
        process = processes[process_id]
        if kind == "a":
            (process.inferred_authorities if inferred else process.authorities).append(code)
        elif kind == "s":
            process.stages.append(code)
        else:
            process.risks.append(code)
    # Detached, fully loaded copies outlive this request's session; nothing lazy is read from them.
    for obj in (*principles, *risks, *authorities, *stages):
        db.session.expunge(obj)
    return FrameworkIndex(
        framework, list(principles), list(risks), list(authorities), list(stages), list(processes.values())
    )
