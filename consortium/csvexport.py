"""The one way to send a CSV download: every cell safe to open in a spreadsheet, UTF-8 with a BOM.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` turns a justification into a phishing link
for everyone who downloads the open data), so such text gets a leading apostrophe: spreadsheets show
it as typed and run nothing (OWASP, "CSV Injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text is neutralised; numbers and booleans the app computed are written as they are."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(header: Sequence, rows: Iterable[Sequence], filename: str) -> Response:
    """An attachment named ``filename`` (built by the app, never from user text)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte-order mark makes spreadsheet programs read UTF-8, so accents survive
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return Response(
        buffer.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
