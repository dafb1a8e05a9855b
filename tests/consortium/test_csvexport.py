"""Spreadsheet downloads: formulas neutralised in every cell, UTF-8 with a byte-order mark."""

from __future__ import annotations

import csv
import io

import pytest

from consortium.csvexport import csv_response, safe_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x.example")', '\'=HYPERLINK("http://x.example")'),
        ("+1-555", "'+1-555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("José Peña", "José Peña"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (3, 3),
        (-1, -1),  # numbers the app computed are not text anyone typed
        (True, True),
    ],
)
def test_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe(value, written):
    assert safe_cell(value) == written


def test_download_is_utf8_with_a_byte_order_mark_and_a_file_name(app):
    with app.test_request_context():
        response = csv_response(["nombre", "nota"], [["Ñandú", "=1+1"], [None, 2]], "lista.csv")
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="lista.csv"'
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [
        ["nombre", "nota"],
        ["Ñandú", "'=1+1"],
        ["", "2"],
    ]
