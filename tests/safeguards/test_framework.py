"""The framework as data: loading, idempotence, frozen versions, the scope rule."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask import current_app

from safeguards import framework as fw
from safeguards.models import FrameworkVersion, Process


def test_cli_loads_every_file_once(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["safeguards", "load-framework"])
    assert "1.0: loaded" in first.output and "1.0.1: loaded" in first.output
    again = runner.invoke(args=["safeguards", "load-framework"])
    assert again.output.count("already loaded") == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FrameworkVersion)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Process)) == 96 + 103
    assert fw.latest().version == "1.0.1" and all(
        v.is_published for v in db.session.scalars(sa.select(FrameworkVersion))
    )


NEW_IN_1_0_1 = {"F4.7", "F4.11", "F5.1", "O2.9", "O5.2", "O5.5-b", "O8.6"}


def test_version_1_0_1_holds_the_103_entries_in_three_languages(db):
    framework, _created = fw.load_file(fw.FRAMEWORKS_DIR / "v1.0.1.json")
    idx = fw.index(framework.id)
    codes = [p.code for p in idx.processes]
    assert len(codes) == 103 and len(set(codes)) == 103 and len({p.display_code for p in idx.processes}) == 97
    old = {p["code"] for p in json.loads((fw.FRAMEWORKS_DIR / "v1.0.json").read_text())["processes"]}
    assert set(codes) - old == NEW_IN_1_0_1 and old <= set(codes)
    for process in idx.processes:
        for text in (process.title, process.question, process.evidence):
            assert set(text) == {"en", "es", "pt_BR"} and all(value.strip() for value in text.values())
    assert codes.index("F4.7") < codes.index("F4.9") < codes.index("F4.10-a") < codes.index("F4.11")
    assert framework.processes_in_reference == 103 and "103" in framework.coverage_note["es"]


def test_version_1_0_1_has_the_corrections(db):
    framework, _created = fw.load_file(fw.FRAMEWORKS_DIR / "v1.0.1.json")
    by_code = fw.index(framework.id).by_code()
    f75 = by_code["F7.5"]
    assert f75.title["en"].startswith("Implement a whistleblower channel")
    assert f75.source_url.endswith(
        "/processes/f7.5-implement-a-whistleblower-channel-allowing-the-public-to-address-potential-complaints"
    )
    assert by_code["O2.5"].source_url.endswith("/processes/o2.5-implement-rigorous-testing-protocols")
    assert by_code["O2.5"].stages == ["L2", "L3"] and by_code["O2.5"].risks == ["SV3", "SV4"]
    assert by_code["F4.14"].source_url.endswith(
        "/processes/f4.14-oversee-the-publication-of-reports-on-user-complaints-and-inclusion-metrics"
    )
    # the hub reuses O5.5: the second process keeps the hub's code on screen and its own page as source
    o55, o55b = by_code["O5.5"], by_code["O5.5-b"]
    assert o55.display_code == o55b.display_code == "O5.5"
    assert "performance metrics" in o55.title["en"] and "informed consent" in o55b.title["en"]
    assert "informed-consent" in o55b.source_url and "informed-consent" not in o55.source_url
    assert o55b.stages == ["L5"] and o55b.risks == ["RS1", "RS4"] and not o55b.all_authorities


def test_changed_file_with_a_loaded_version_number_is_refused(framework, tmp_path):
    data = json.loads((fw.FRAMEWORKS_DIR / "v1.0.json").read_text())
    data["processes"][0]["title"]["en"] = "Changed"
    changed = tmp_path / "v1.0.json"
    changed.write_text(json.dumps(data))
    with pytest.raises(fw.FrameworkConflict):
        fw.load_file(changed)


def test_index_holds_links_and_o7_has_no_process(framework):
    idx = fw.index(framework.id)
    assert len(idx.principles) == 18 and len(idx.risks) == 13 and len(idx.processes) == 96
    assert idx.processes_of("O7") == []
    f11 = idx.by_code()["F1.1"]
    assert f11.authorities == ["R5"] and f11.stages == ["L1"] and set(f11.risks) == {"RS4", "RI2"}


def test_scope_rule_includes_processes_without_authority_or_stage(framework):
    idx = fw.index(framework.id)
    no_stage = next(p for p in idx.processes if not p.stages and p.all_authorities)
    no_authority = next(p for p in idx.processes if not p.all_authorities and p.stages)
    reason = fw.scope_reason(no_authority, ["R3"], no_authority.stages)
    assert reason is not None and reason.no_authority
    reason = fw.scope_reason(no_stage, no_stage.all_authorities, ["L5"])
    assert reason is not None and reason.no_stage
    f11 = idx.by_code()["F1.1"]
    assert fw.scope_reason(f11, ["R1"], ["L1"]) is None
    assert fw.scope_reason(f11, ["R5"], ["L2"]) is None
    assert fw.scope_reason(f11, [], []) is None


def test_framework_page_lists_every_process_and_the_coverage_note(client, framework):
    html = client.get("/safeguards/framework/1.0", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html.count("<details>") == 96 and "roughly 300 processes" in html
    assert "authorities_inferred" not in html  # the provenance note is in plain words
    assert client.get("/safeguards/framework/2.0").status_code == 404


def test_a_new_version_never_changes_old_results(client, db, framework, pilot, make_assessment, tmp_path):
    from safeguards import services
    from safeguards.models import AssessmentState
    from tests.safeguards.conftest import answer_all

    old = make_assessment(pilot)
    answer_all(old, rating=3)
    old.state = AssessmentState.PUBLISHED
    db.session.commit()
    before = client.get(f"/api/v1/assessments/{old.id}/scores").get_json()
    data = json.loads((fw.FRAMEWORKS_DIR / "v1.0.json").read_text())
    data["version"] = "1.1"
    data["processes"] = [p for p in data["processes"] if p["principle"] != "F1"]
    newer = tmp_path / "v1.1.json"
    newer.write_text(json.dumps(data))
    fw.load_file(newer)
    db.session.commit()
    assert fw.latest().version == "1.1"
    assert client.get(f"/api/v1/assessments/{old.id}/scores").get_json() == before
    cycle2 = services.start_assessment(pilot)
    db.session.commit()
    assert cycle2.framework.version == "1.1" and old.framework.version == "1.0"


def _coverage(processes, *, total, principles=("P1",)):
    from types import SimpleNamespace

    from flask import render_template

    from safeguards.framework import FrameworkIndex

    idx = FrameworkIndex(
        framework=SimpleNamespace(estimated_total=total),
        principles=[SimpleNamespace(code=code) for code in principles],
        risks=[],
        authorities=[],
        stages=[],
        processes=processes,
    )
    with current_app.test_request_context():
        return render_template("safeguards/_coverage.html", idx=idx)


def test_the_coverage_notice_says_only_what_is_true_of_the_version():
    from safeguards.framework import ProcessInfo

    def process(**links):
        return ProcessInfo(1, "P1.1", "P1.1", "P1", {}, {}, {}, "", **links)

    complete = _coverage([process(authorities=["R1"])], total=1)
    assert complete.strip() == ""  # an imported version with every authority read: no empty notice
    deduced = _coverage([process(inferred_authorities=["R1"])], total=1)
    assert "provisional" in deduced or "provisionales" in deduced
    partial = _coverage([process(authorities=["R1"])], total=40)
    assert "40" in partial and "provisional" not in partial and "provisionales" not in partial
