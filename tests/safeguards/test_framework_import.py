"""Checking uploaded framework files: both JSON shapes and CSV, texts carried over, problems by line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from safeguards import framework as fw
from safeguards.framework_files import read_upload
from safeguards.framework_import import check
from safeguards.framework_versions import diff, missing_in

NEW = {"F4.7", "F4.11", "F5.1", "O2.9", "O5.2", "O5.5-b", "O8.6"}


@pytest.fixture(autouse=True)
def _english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def ours(version="1.0.1") -> dict:
    return json.loads((fw.FRAMEWORKS_DIR / f"v{version}.json").read_text())


def reference_shape(data: dict) -> dict:
    """Our trilingual file in the shared reference's shape: English strings, id + hub code, no texts."""
    return {
        "source": data["source"],
        "principles": [
            {"code": p["code"], "name": p["name"]["en"], "category": p["category"], "url": p["url"]}
            for p in data["principles"]
        ],
        "risk_categories": [
            {"prefix": c["prefix"], "name": c["name"]["en"]} for c in data["risk_categories"]
        ],
        "risks": [
            {"code": r["code"], "name": r["name"]["en"], "category": r["category"]} for r in data["risks"]
        ],
        "authorities": [{"code": a["code"], "name": a["name"]["en"]} for a in data["authorities"]],
        "stages": [{"code": s["code"], "name": s["name"]["en"]} for s in data["stages"]],
        "processes": [
            {
                "id": p["code"],
                "code": p["display_code"],
                "title": p["title"]["en"],
                "principle": p["principle"],
                "authorities": p["authorities"],
                "authorities_inferred": p["authorities_inferred"],
                "stages": p["stages"],
                "risks": p["risks"],
                "sources": [p["source_url"]],
            }
            for p in data["processes"]
        ],
    }


def checked(document, base, version="1.1", filename="f.json"):
    raw = document if isinstance(document, bytes) else json.dumps(document, indent=1).encode()
    return check(read_upload(raw, filename), version, fw.index(base.id) if base else None)


def test_reference_shaped_file_keeps_translations_whose_english_did_not_change(framework):
    result = checked(reference_shape(ours()), framework)
    assert result.problems == []
    processes = {p["code"]: p for p in result.data["processes"]}
    assert len(processes) == 103
    f11 = processes["F1.1"]
    assert f11["title"]["es"] == "Facilitar mecanismos de reparación accesibles" and f11["question"]["pt_BR"]
    # F7.5's English title was corrected, so its old translations are not carried over
    assert set(processes["F7.5"]["title"]) == {"en"} and processes["F7.5"]["question"]["es"]
    untranslated = {code for code, p in processes.items() if missing_in(p)}
    assert untranslated == NEW | {"F7.5"}
    principles = {p["code"]: p for p in result.data["principles"]}
    assert principles["F1"]["name"]["es"] == "No causar daño" and principles["F1"]["summary"]["en"]


def test_the_diff_names_what_is_added_changed_and_removed(framework):
    data = ours()
    data["processes"] = [p for p in data["processes"] if p["code"] != "F1.2"]
    data["processes"][0]["stages"] = ["L1", "L2"]
    result = checked(data, framework)
    assert result.problems == []
    changes = diff(fw_data(framework), result.data)
    assert {p["code"] for p in changes.added} == NEW
    assert [p["code"] for p in changes.removed] == ["F1.2"]
    by_code = {c.code: c for c in changes.changed}
    assert by_code["F1.1"].fields == ["stages"]
    assert by_code["F7.5"].fields == ["title", "source_url"]
    assert by_code["O2.5"].fields == ["source_url"] and "O5.5" not in by_code
    assert changes.unchanged == 96 - 1 - len(changes.changed)
    assert not changes.parts


def fw_data(framework):
    from safeguards.framework_versions import data_of

    return data_of(fw.index(framework.id))


def to_csv(processes, delimiter=",") -> bytes:
    buffer = io.StringIO()
    columns = [
        "code",
        "display_code",
        "principle",
        "title_en",
        "title_es",
        "title_pt_BR",
        "question_en",
        "evidence_en",
        "authorities",
        "authorities_inferred",
        "stages",
        "risks",
        "source_url",
    ]
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(columns)
    for p in processes:
        writer.writerow(
            [
                p["code"],
                p["display_code"],
                p["principle"],
                p["title"]["en"],
                p["title"].get("es", ""),
                p["title"].get("pt_BR", ""),
                p["question"].get("en", ""),
                p["evidence"].get("en", ""),
                " ".join(p["authorities"]),
                " ".join(p["authorities_inferred"]),
                " ".join(p["stages"]),
                ";".join(p["risks"]),
                p["source_url"],
            ]
        )
    return buffer.getvalue().encode()


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_csv_with_one_row_per_process_takes_the_rest_from_the_current_version(framework, delimiter):
    result = checked(to_csv(ours()["processes"], delimiter), framework, filename="v.csv")
    assert result.problems == []
    assert len(result.data["processes"]) == 103 and len(result.data["principles"]) == 18
    processes = {p["code"]: p for p in result.data["processes"]}
    assert processes["O5.5-b"]["display_code"] == "O5.5" and processes["O5.5-b"]["risks"] == ["RS4", "RS1"]
    # the CSV gives only English questions: the Spanish one is carried over where the English is unchanged
    assert processes["F1.1"]["question"]["es"].startswith("¿Pueden las personas")
    assert {code for code, p in processes.items() if missing_in(p)} == NEW  # they lack es/pt_BR questions


def test_a_csv_needs_a_published_version_for_its_principles(app):
    result = checked(to_csv(ours()["processes"][:2]), None, filename="v.csv")
    assert result.problems[0].line is None and "no published version" in result.problems[0].message


BROKEN = """{
 "processes": [
  {"code": "F1.1", "principle": "F1", "title": "Fine"},
  {"code": "F1.1", "principle": "F1", "title": "Twice"},
  {"code": "f1.x", "principle": "F1", "title": "Bad code"},
  {"code": "F1.3", "principle": "F10", "title": "Unknown principle"},
  {"code": "F1.14", "principle": "F1"},
  {"code": "F1.5", "principle": "F1", "title": "Tab\\tin title"},
  {"code": "F1.6", "principle": "F1", "title": "Risky", "risks": ["RS9"]},
  {"code": "F1.7", "principle": "F1", "title": "Link", "source_url": "javascript:alert(1)"},
  {"code": "F1.8", "principle": "F1", "title": "Stages", "stages": "L1"},
  {"code": "F1.9", "principle": "F1", "title": {"en": "Ok", "es": 3}},
  {"code": "F1.10", "principle": "F1", "title": "Long", "question": "NUL\\u0000here"},
  {"principle": "F1", "title": "No code"},
  {"code": "F1.11", "principle": "F1", "title": "%s"}
 ]
}
""" % ("x" * 301)


def test_each_problem_names_its_line(framework):
    problems = [p.message for p in checked(BROKEN.encode(), framework).problems]
    expected = [
        (4, "F1.1 appears twice (first on line 3)"),
        (5, "“f1.x” is not a valid code"),
        (6, "the principle F10 is not among the principles"),
        (7, "F1.14 has no English title"),
        (8, "“title” must be one line"),
        (9, "“risks” names RS9"),
        (10, "the source address must start with https://"),
        (11, "“stages” must be a list of codes"),
        (12, "“title” must be a text or an object of texts"),
        (13, "“question” contains invisible control characters"),
        (14, "this entry has no code"),
        (15, "“title” is longer than 300 characters"),
    ]
    assert len(problems) == len(expected)
    for (line, words), message in zip(expected, problems, strict=True):
        assert message.startswith(f"Line {line}: ") and words in message, message


def test_csv_problems_name_their_line(framework):
    text = "code,principle,title_en,risks\nF1.1,F1,Fine,RS4\nF1.1,F1,Again,\nF1.2,F9,Other,XX1\n"
    problems = [p.message for p in checked(text.encode(), framework, filename="v.csv").problems]
    assert problems[0].startswith("Line 3: ") and "appears twice" in problems[0]
    assert problems[1].startswith("Line 4: ") and "XX1" in problems[1]
