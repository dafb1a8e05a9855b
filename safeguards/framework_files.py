"""Reading an uploaded framework file (JSON or CSV) into entries that remember the line they start on.

Only reading happens here: bytes to text, text to entries, with a line-numbered problem for anything that
cannot be read. Whether the entries make a valid framework is ``framework_import``'s question.

Uploads are untrusted: at most ``MAX_BYTES`` are read, the text must be UTF-8, JSON must be real JSON (no
NaN, no repeated keys, no deeper nesting than a framework needs) and a CSV cell cannot exceed
``MAX_CELL``. Control characters are refused later, field by field, with the rules of ``consortium.text``.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import json.decoder
import json.scanner
import re
from dataclasses import dataclass, field

from consortium.i18n import lazy_gettext as _l

MAX_BYTES = 2 * 1024 * 1024
MAX_CELL = 20_000
MAX_DEPTH = 8  # document > processes > process > title > text is 5 deep
#: Columns of the CSV format, one row per process; codes in the list columns are separated by spaces,
#: commas, semicolons or bars.
CSV_COLUMNS = (
    "code",
    "display_code",
    "principle",
    "title_en",
    "title_es",
    "title_pt_BR",
    "question_en",
    "question_es",
    "question_pt_BR",
    "evidence_en",
    "evidence_es",
    "evidence_pt_BR",
    "authorities",
    "authorities_inferred",
    "stages",
    "risks",
    "source_url",
)
CSV_REQUIRED = ("code", "principle", "title_en")
CSV_LISTS = ("authorities", "authorities_inferred", "stages", "risks")
TEXTS = ("title", "question", "evidence")
LANGUAGE_COLUMNS = {"en": "en", "es": "es", "pt_br": "pt_BR"}

TOO_BIG = _l("The file is larger than %(size)s MB.")
EMPTY = _l("The file is empty.")
NOT_UTF8 = _l("Line %(line)s: the file is not UTF-8 text (save it as UTF-8 and upload it again).")
NOT_JSON = _l("Line %(line)s, column %(column)s: this is not valid JSON.")
TOO_DEEP = _l("Line %(line)s: the JSON is nested more deeply than a framework file is.")
REPEATED_KEY = _l("Line %(line)s: the key “%(key)s” appears twice in the same object.")
NOT_AN_OBJECT = _l("Line %(line)s: a framework file is a JSON object with a “processes” list.")
NOT_CSV = _l("Line %(line)s: this is not valid CSV (%(reason)s).")
CELL_TOO_LONG = _l("Line %(line)s: a cell is longer than %(size)s characters.")
MISSING_COLUMNS = _l("Line 1: the header lacks the column(s) %(columns)s.")
REPEATED_COLUMN = _l("Line 1: the column “%(column)s” appears twice.")
EXTRA_CELLS = _l("Line %(line)s: this row has more cells than the header has columns.")


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str


class Unreadable(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


class Located(dict):
    """A JSON object (or CSV row) that knows the line it starts on."""

    line: int = 0


@dataclass
class Upload:
    kind: str  # "json" or "csv"
    document: Located
    #: CSV only: the columns the header has (a missing text column says nothing, a present empty one does).
    columns: frozenset[str] = field(default_factory=frozenset)


def read_upload(raw: bytes, filename: str) -> Upload:
    """The entries of an uploaded file; raises ``Unreadable`` with the first problem that stops reading."""
    if len(raw) > MAX_BYTES:
        raise Unreadable(Problem(None, str(TOO_BIG % {"size": MAX_BYTES // (1024 * 1024)})))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise Unreadable(Problem(line, str(NOT_UTF8 % {"line": line}))) from None
    if not text.strip():
        raise Unreadable(Problem(None, str(EMPTY)))
    looks_like_json = filename.lower().endswith(".json") or text.lstrip().startswith(("{", "["))
    return read_json(text) if looks_like_json else read_csv(text)


# JSON ---------------------------------------------------------------------------------------------


def read_json(text: str) -> Upload:
    newlines = [match.start() for match in re.finditer("\n", text)]

    def line_of(position: int) -> int:
        return bisect.bisect_left(newlines, position) + 1

    depth = [0]

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None, **kwargs):
        start = s_and_end[1]
        depth[0] += 1
        if depth[0] > MAX_DEPTH:
            raise Unreadable(Problem(line_of(start), str(TOO_DEEP % {"line": line_of(start)})))
        pairs, end = json.decoder.JSONObject(
            s_and_end, strict, scan_once, object_hook, lambda pairs: pairs, memo, **kwargs
        )
        depth[0] -= 1
        located = Located()
        located.line = line_of(start)
        for key, value in pairs:
            if key in located:
                raise Unreadable(
                    Problem(located.line, str(REPEATED_KEY % {"line": located.line, "key": key[:40]}))
                )
            located[key] = value
        return located, end

    def parse_array(s_and_end, scan_once, **kwargs):
        depth[0] += 1
        if depth[0] > MAX_DEPTH:
            line = line_of(s_and_end[1])
            raise Unreadable(Problem(line, str(TOO_DEEP % {"line": line})))
        values, end = json.decoder.JSONArray(s_and_end, scan_once, **kwargs)
        depth[0] -= 1
        return values, end

    def refuse_constant(name):
        raise json.JSONDecodeError(f"{name} is not JSON", text, 0)

    decoder = json.JSONDecoder(parse_constant=refuse_constant)
    # The pure-Python scanner calls these hooks (the C one does not); its recursion ends at MAX_DEPTH.
    decoder.parse_object = parse_object
    decoder.parse_array = parse_array
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    try:
        document = decoder.decode(text)
    except json.JSONDecodeError as error:
        message = NOT_JSON % {"line": error.lineno, "column": error.colno}
        raise Unreadable(Problem(error.lineno, str(message))) from None
    if not isinstance(document, Located) or not isinstance(document.get("processes"), list):
        raise Unreadable(Problem(1, str(NOT_AN_OBJECT % {"line": 1})))
    return Upload("json", document)


# CSV ----------------------------------------------------------------------------------------------


def read_csv(text: str) -> Upload:
    """One process a row; spreadsheets in Spanish and Portuguese save with semicolons, so both are read."""
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Located] = []
    header: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if any(len(cell) > MAX_CELL for cell in cells):
                raise Unreadable(Problem(line, str(CELL_TOO_LONG % {"line": line, "size": MAX_CELL})))
            if header is None:
                header = _header(cells)
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise Unreadable(Problem(line, str(EXTRA_CELLS % {"line": line})))
            rows.append(_process_row(dict(zip(header, cells, strict=False)), line))
    except csv.Error as error:
        line = reader.line_num or start
        raise Unreadable(Problem(line, str(NOT_CSV % {"line": line, "reason": str(error)[:80]}))) from None
    document = Located(processes=rows)
    document.line = 1
    return Upload("csv", document, frozenset(header or ()))


def _header(cells: list[str]) -> list[str]:
    names = [cell.strip() for cell in cells]
    known = {column.lower(): column for column in CSV_COLUMNS}
    names = [known.get(name.lower(), name) for name in names]
    for name in names:
        if name and names.count(name) > 1:
            raise Unreadable(Problem(1, str(REPEATED_COLUMN % {"column": name[:40]})))
    missing = [column for column in CSV_REQUIRED if column not in names]
    if missing:
        raise Unreadable(Problem(1, str(MISSING_COLUMNS % {"columns": ", ".join(missing)})))
    return names


def _process_row(values: dict[str, str], line: int) -> Located:
    """A CSV row in the shape of a JSON process entry, so both formats are checked by the same rules."""
    entry = Located()
    entry.line = line
    for key in ("code", "display_code", "principle", "source_url"):
        if values.get(key, "").strip():
            entry[key] = values[key].strip()
    for key in CSV_LISTS:
        if key in values:
            entry[key] = [code for code in re.split(r"[\s,;|]+", values[key]) if code]
    for text_name in TEXTS:
        texts = {}
        for suffix, language in LANGUAGE_COLUMNS.items():
            for column, value in values.items():
                if column.lower() == f"{text_name}_{suffix}" and value.strip():
                    texts[language] = value.strip()
        if texts:
            entry[text_name] = texts
    return entry
