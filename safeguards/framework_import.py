"""Checking an uploaded framework file and turning it into version data, with every problem on its line.

Two shapes are read (``framework_files``): JSON like the shared reference (``framework-v1.json``: English
names as plain strings, ``id`` for the unique code and ``code`` for the hub's) or like our own files
(``frameworks/v1.0.json``: ``{"en", "es", "pt_BR"}`` texts), and CSV with one row per process. What a file
leaves out comes from the current published version (``base``): the principles, risks, authorities and
stages when a CSV or a JSON without them is imported, the guiding question and evidence of a process the
file does not describe, and a translation whose English text did not change. What is left untranslated is
listed as translation work on the version's page (``framework_versions.translation_work``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from consortium import text
from consortium.i18n import lazy_gettext as _l
from safeguards.framework import FrameworkIndex
from safeguards.framework_files import TEXTS, Located, Problem, Upload

LANGUAGES = ("en", "es", "pt_BR")
MAX_PROCESSES = 2000
MAX_PROBLEMS = 50
MAX_TITLE = 300
MAX_TEXT = 4000
PROCESS_CODE = re.compile(r"[A-Z][A-Z0-9]{0,3}\.[0-9]{1,3}(-[a-z])?")
PART_CODE = re.compile(r"[A-Z][A-Z0-9]{0,5}")
VERSION = re.compile(r"[0-9]{1,4}(\.[0-9]{1,4}){0,3}")
CATEGORIES = ("foundational", "operational")
PARTS = ("principles", "risks", "authorities", "stages")

LINE = _l("Line %(line)s: %(message)s")
NO_PROCESSES = _l("the file holds no process.")
TOO_MANY = _l("the file holds more than %(count)s processes.")
NO_BASE = _l(
    "there is no published version to take the principles, risks, authorities and stages from, "
    "so the file must list them."
)
NOT_A_LIST = _l("“%(key)s” must be a list.")
NOT_AN_ENTRY = _l("each entry of “%(key)s” must be an object.")
NO_CODE = _l("this entry has no code.")
BAD_CODE = _l("“%(code)s” is not a valid code (e.g. F4.10, O5.5-b).")
BAD_PART_CODE = _l("“%(code)s” is not a valid code (e.g. F1, RS2, R4, L3).")
REPEATED = _l("the code %(code)s appears twice (first on line %(first)s).")
NO_TITLE = _l("%(code)s has no English title.")
NO_NAME = _l("%(code)s has no English name.")
NOT_TEXT = _l("%(code)s: “%(key)s” must be a text or an object of texts by language.")
NOT_ONE_LINE = _l("%(code)s: “%(key)s” must be one line, without tabs or invisible control characters.")
CONTROL = _l("%(code)s: “%(key)s” contains invisible control characters.")
TOO_LONG = _l("%(code)s: “%(key)s” is longer than %(size)s characters.")
UNKNOWN = _l("%(code)s: “%(key)s” names %(value)s, which is not a known code.")
NO_PRINCIPLE = _l("%(code)s has no principle.")
UNKNOWN_PRINCIPLE = _l("%(code)s: the principle %(value)s is not among the principles.")
CODES_NOT_TEXT = _l("%(code)s: “%(key)s” must be a list of codes.")
BAD_CATEGORY = _l("%(code)s: the category must be foundational or operational.")
BAD_URL = _l("%(code)s: the source address must start with https:// or http://.")
BAD_VERSION = _l("Enter a version number such as 1.1 or 1.0.2.")


@dataclass
class Checked:
    """The outcome of checking a file: ``data`` in the shape ``framework.load_data`` reads, or problems."""

    data: dict
    problems: list[Problem]

    @property
    def checksum(self) -> str:
        return checksum(self.data)


def checksum(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class _Checker:
    def __init__(self, base: FrameworkIndex | None):
        self.base = base
        self.problems: list[Problem] = []

    def problem(self, line: int | None, message, **values) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            detail = str(message % values) if values else str(message)
            shown = str(LINE % {"line": line, "message": detail}) if line else detail
            self.problems.append(Problem(line, shown))

    # texts ---------------------------------------------------------------------------------------

    def texts(self, entry: Located, key: str, code: str, *, one_line: bool, limit: int) -> dict | None:
        """``{"en": …, "es": …, "pt_BR": …}`` from a plain string (English) or a dict; None when absent."""
        value = entry.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.problem(entry.line, NOT_TEXT, code=code, key=key)
            return None
        texts = {
            language: value[language].strip() for language in LANGUAGES if value.get(language, "").strip()
        }
        for content in texts.values():
            if one_line and not text.is_single_line(content):
                self.problem(entry.line, NOT_ONE_LINE, code=code, key=key)
            elif not one_line and not text.is_plain_text(content):
                self.problem(entry.line, CONTROL, code=code, key=key)
            elif len(content) > limit:
                self.problem(entry.line, TOO_LONG, code=code, key=key, size=limit)
            else:
                continue
            break
        return texts

    def codes(self, entry: Located, key: str, code: str, known: set[str]) -> list[str]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(entry.line, CODES_NOT_TEXT, code=code, key=key)
            return []
        for item in value:
            if item not in known:
                self.problem(entry.line, UNKNOWN, code=code, key=key, value=item[:20])
        return [item for item in dict.fromkeys(value) if item in known]

    def entries(self, document: Located, key: str) -> list[Located]:
        value = document.get(key)
        if not isinstance(value, list):
            self.problem(document.line, NOT_A_LIST, key=key)
            return []
        if not all(isinstance(item, Located) for item in value):
            self.problem(document.line, NOT_AN_ENTRY, key=key)
            return []
        return value

    def entry_code(
        self, entry: Located, pattern: re.Pattern, error, seen: dict[str, int], *, unique_key="code"
    ):
        code = entry.get(unique_key)
        if not isinstance(code, str) or not code.strip():
            self.problem(entry.line, NO_CODE)
            return None
        code = code.strip()
        if not pattern.fullmatch(code):
            self.problem(entry.line, error, code=code[:20])
            return None
        if code in seen:
            self.problem(entry.line, REPEATED, code=code, first=seen[code])
            return None
        seen[code] = entry.line
        return code

    # parts ---------------------------------------------------------------------------------------

    def parts(self, document: Located) -> dict[str, list[dict]]:
        if all(key not in document for key in PARTS) and self.base is not None:
            return base_parts(self.base)
        if self.base is None and any(key not in document for key in PARTS):
            self.problem(document.line, NO_BASE)
            return {key: [] for key in PARTS}
        old = base_parts(self.base) if self.base else {key: [] for key in PARTS}
        old_by_code = {key: {item["code"]: item for item in items} for key, items in old.items()}
        listed = document.get("risk_categories")
        listed = listed if isinstance(listed, list) else []
        categories = {c.get("prefix"): c.get("name") for c in listed if isinstance(c, dict)}
        result = {}
        for key in PARTS:
            if key not in document:
                result[key] = old[key]
                continue
            seen: dict[str, int] = {}
            items = []
            for entry in self.entries(document, key):
                code = self.entry_code(entry, PART_CODE, BAD_PART_CODE, seen)
                if code is None:
                    continue
                before = old_by_code[key].get(code, {})
                item = {
                    "code": code,
                    "name": carry(
                        self.texts(entry, "name", code, one_line=True, limit=MAX_TITLE), before.get("name")
                    ),
                }
                if not item["name"].get("en"):
                    self.problem(entry.line, NO_NAME, code=code)
                for extra in {"principles": ("summary",), "authorities": ("description",)}.get(key, ()):
                    found = self.texts(entry, extra, code, one_line=False, limit=MAX_TEXT)
                    item[extra] = carry(found, before.get(extra))
                if key == "principles":
                    item["category"] = entry.get("category")
                    if item["category"] not in CATEGORIES:
                        self.problem(entry.line, BAD_CATEGORY, code=code)
                    item["url"] = self.url(entry, code) or before.get("url", "")
                if key == "risks":
                    item["category"] = str(entry.get("category") or code[:2])[:4]
                    name = categories.get(item["category"])
                    found = (
                        {"en": name} if isinstance(name, str) else name if isinstance(name, dict) else None
                    )
                    item["category_name"] = carry(found, before.get("category_name"))
                items.append(item)
            result[key] = items
        return result

    def url(self, entry: Located, code: str) -> str:
        url = entry.get("source_url") or entry.get("url")
        if url is None:
            sources = entry.get("sources")
            url = _own_page(code, entry, sources) if isinstance(sources, list) else ""
        if not isinstance(url, str) or (
            url and not (text.is_link(url, text.WEB_SCHEMES) and len(url) <= 500)
        ):
            self.problem(entry.line, BAD_URL, code=code)
            return ""
        return url.strip()

    # processes -----------------------------------------------------------------------------------

    def processes(self, document: Located, parts: dict[str, list[dict]]) -> list[dict]:
        entries = self.entries(document, "processes")
        if not entries and not self.problems:
            self.problem(None, NO_PROCESSES)
        if len(entries) > MAX_PROCESSES:
            self.problem(None, TOO_MANY, count=MAX_PROCESSES)
            return []
        known = {key: {item["code"] for item in items} for key, items in parts.items()}
        old = self.base.by_code() if self.base else {}
        seen: dict[str, int] = {}
        result = []
        for entry in entries:
            unique_key = "id" if "id" in entry else "code"  # the reference file's id is our code
            code = self.entry_code(entry, PROCESS_CODE, BAD_CODE, seen, unique_key=unique_key)
            if code is None:
                continue
            before = old.get(code)
            display = entry.get("display_code") or (entry.get("code") if unique_key == "id" else code)
            if not isinstance(display, str) or not PROCESS_CODE.fullmatch(display):
                self.problem(entry.line, BAD_CODE, code=str(display)[:20])
            principle = entry.get("principle")
            if not principle:
                self.problem(entry.line, NO_PRINCIPLE, code=code)
            elif principle not in known["principles"]:
                self.problem(entry.line, UNKNOWN_PRINCIPLE, code=code, value=str(principle)[:20])
            process = {"code": code, "display_code": display, "principle": principle}
            reported = len(self.problems)
            for key in TEXTS:
                found = self.texts(
                    entry, key, code, one_line=key == "title", limit=MAX_TITLE if key == "title" else MAX_TEXT
                )
                process[key] = carry(found, getattr(before, key, None))
            if not process["title"].get("en") and len(self.problems) == reported:
                self.problem(entry.line, NO_TITLE, code=code)
            process["authorities"] = self.codes(entry, "authorities", code, known["authorities"])
            process["authorities_inferred"] = self.codes(
                entry, "authorities_inferred", code, known["authorities"]
            )
            process["stages"] = self.codes(entry, "stages", code, known["stages"])
            process["risks"] = self.codes(entry, "risks", code, known["risks"])
            process["source_url"] = self.url(entry, code)
            result.append(process)
        return result


def check(upload: Upload, version: str, base: FrameworkIndex | None) -> Checked:
    """Check an upload against the current published version ``base`` (None when there is none yet)."""
    checker = _Checker(base)
    document = upload.document
    if upload.kind == "csv" and base is None:
        checker.problem(None, NO_BASE)
        return Checked({}, checker.problems)
    parts = checker.parts(document)
    processes = checker.processes(document, parts)
    framework = base.framework if base else None
    coverage = document.get("coverage") if isinstance(document.get("coverage"), dict) else {}
    note = coverage.get("note")
    estimated = coverage.get("estimated_total")
    data = {
        "version": version,
        "name": carry(
            checker.texts(document, "name", "name", one_line=True, limit=MAX_TITLE),
            getattr(framework, "name", None),
        ),
        "licence": _plain(document.get("licence"), getattr(framework, "licence", ""), 40),
        "attribution": _plain(document.get("attribution"), getattr(framework, "attribution", ""), 1000),
        "coverage": {
            "processes_in_reference": len(processes),
            "estimated_total": estimated
            if isinstance(estimated, int) and 0 <= estimated < 100_000
            else getattr(framework, "estimated_total", 0),
            # The old note counts the old processes: a file without a note gets none rather than a wrong one.
            "note": {k: v for k, v in note.items() if k in LANGUAGES and isinstance(v, str)}
            if isinstance(note, dict)
            else {},
        },
        "principles": parts["principles"],
        "risk_categories": list(
            {
                r["category"]: {"prefix": r["category"], "name": r["category_name"]} for r in parts["risks"]
            }.values()
        ),
        "risks": parts["risks"],
        "authorities": parts["authorities"],
        "stages": parts["stages"],
        "processes": processes,
    }
    if not data["name"].get("en"):
        data["name"] = {"en": "Universal DPI Safeguards Framework"}
    return Checked(data, checker.problems)


def carry(new: dict | None, old: dict | None) -> dict:
    """A file's texts, completed from the current version: all of them where the file says nothing, and the
    other languages where the English text is unchanged (a changed English text needs a new translation)."""
    old = {k: v for k, v in (old or {}).items() if v}
    if not new:
        return dict(old)
    if old and new.get("en") == old.get("en"):
        return {**old, **new}
    return dict(new)


def base_parts(base: FrameworkIndex) -> dict[str, list[dict]]:
    return {
        "principles": [
            {"code": p.code, "category": p.category.value, "name": p.name, "summary": p.summary, "url": p.url}
            for p in base.principles
        ],
        "risks": [
            {"code": r.code, "name": r.name, "category": r.category, "category_name": r.category_name}
            for r in base.risks
        ],
        "authorities": [
            {"code": a.code, "name": a.name, "description": a.description} for a in base.authorities
        ],
        "stages": [{"code": s.code, "name": s.name} for s in base.stages],
    }


def _plain(value, default: str, limit: int) -> str:
    if isinstance(value, str) and text.is_single_line(value) and len(value) <= limit:
        return value.strip()
    return default


def _own_page(code: str, entry: Located, sources: list) -> str:
    """The process's own page among its sources, else the first (codes are reused: the title must match)."""
    urls = [url for url in sources if isinstance(url, str)]
    title = entry.get("title") if isinstance(entry.get("title"), str) else ""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    hub_code = str(entry.get("code") or code).lower()
    for url in urls:
        if "/processes/" in url and url.rstrip("/").rsplit("/", 1)[-1] == f"{hub_code}-{slug}":
            return url
    return urls[0] if urls else ""
