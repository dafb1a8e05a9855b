"""Reading uploads: JSON and CSV entries keep their line; unreadable files say where and why."""

from __future__ import annotations

import json

import pytest

from safeguards.framework_files import MAX_BYTES, Unreadable, read_upload


@pytest.fixture(autouse=True)
def _english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def problem_of(raw: bytes, filename="f.json"):
    with pytest.raises(Unreadable) as caught:
        read_upload(raw, filename)
    return caught.value.problem


def test_json_entries_know_their_line():
    text = '{\n "processes": [\n  {"code": "F1.1"},\n\n  {"code": "F1.2"}\n ]\n}\n'
    upload = read_upload(text.encode(), "x.json")
    assert [p.line for p in upload.document["processes"]] == [3, 5]


@pytest.mark.parametrize(
    ("raw", "line", "words"),
    [
        (b'{\n "processes": [\n  {"code": "F1.1",}\n ]\n}', 3, "not valid JSON"),
        (b'{\n "processes": [],\n "processes": []\n}', 1, "appears twice"),
        (b'{"processes": [NaN]}', 1, "not valid JSON"),
        (b"[1, 2]", 1, "JSON object"),
        (b'{"processes": [[[[[[[[[[1]]]]]]]]]]}', 1, "nested"),
        (b'{\n"processes": [\n"\xff"]}', 3, "UTF-8"),
    ],
)
def test_unreadable_json_says_which_line(raw, line, words):
    problem = problem_of(raw)
    assert problem.line == line and words in problem.message and f"{line}" in problem.message


def test_huge_and_empty_files_are_refused():
    assert "larger than 2 MB" in problem_of(b" " * (MAX_BYTES + 1)).message
    assert "empty" in problem_of(b"  \n").message


def test_csv_rows_become_process_entries_with_their_line():
    text = (
        "code;principle;title_en;title_es;stages;risks\n"
        'F1.1;F1;"Facilitate\naccessible remedial mechanisms";Facilitar;L1;RS4, RI2\n'
        "\n"
        "F1.2;F1;Second;;L1 L2;\n"
    )
    upload = read_upload(text.encode(), "x.csv")
    first, second = upload.document["processes"]
    assert upload.kind == "csv" and (first.line, second.line) == (2, 5)
    assert first["title"] == {"en": "Facilitate\naccessible remedial mechanisms", "es": "Facilitar"}
    assert first["risks"] == ["RS4", "RI2"] and second["stages"] == ["L1", "L2"] and second["risks"] == []


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("code,title_en\nF1.1,x\n", 1, "principle"),
        ("code,principle,title_en,code\n", 1, "appears twice"),
        ("code,principle,title_en\nF1.1,F1,x\nF1.2,F1,y,extra\n", 3, "more cells"),
        ('code,principle,title_en\nF1.1,F1,"x"y\n', 2, "not valid CSV"),
        ("code,principle,title_en\nF1.1,F1," + "x" * 20_001 + "\n", 2, "longer than"),
    ],
)
def test_unreadable_csv_says_which_line(text, line, words):
    problem = problem_of(text.encode(), "x.csv")
    assert problem.line == line and words in problem.message


def test_a_bom_and_a_json_file_named_csv_are_read():
    data = {"processes": [{"code": "F1.1"}]}
    upload = read_upload(b"\xef\xbb\xbf" + json.dumps(data).encode(), "export.csv")
    assert upload.kind == "json"
