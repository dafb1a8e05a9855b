"""Search: accent- and case-insensitive on both databases, ranked, filtered and paginated."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from consortium.library import search, services
from consortium.library.models import ResourceKind
from tests.consortium.library.plans import version_reads


def _titles(client, query, language="es", **params):
    client.set_cookie("lang", language)
    html = client.get("/library", query_string={"q": query, **params}).get_data(as_text=True)
    return re.findall(r'<h2 class="h3"><a [^>]*>([^<]+)</a>', html)


@pytest.fixture
def spanish(make_resource):
    make_resource({"es": ("Acceso a la información pública", "Cómo pedir información al Estado.")})
    make_resource({"es": ("Pagos instantáneos", "Un sistema de pagos sin comisiones.")})


@pytest.fixture
def portuguese(make_resource):
    make_resource({"pt_BR": ("Identificação digital no gov.br", "Níveis de confiança da conta.")})
    make_resource({"pt_BR": ("Pagamentos instantâneos", "O Pix e a inclusão financeira.")})


@pytest.mark.parametrize("query", ["informacion", "información", "INFORMACIÓN", "Informacion"])
def test_spanish_search_ignores_accents_and_case(client, spanish, query):
    assert _titles(client, query) == ["Acceso a la información pública"]


@pytest.mark.parametrize("query", ["identificacao", "identificação", "IDENTIFICAÇÃO"])
def test_portuguese_search_ignores_accents_and_case(client, portuguese, query):
    assert _titles(client, query, "pt_BR") == ["Identificação digital no gov.br"]


def test_accents_in_the_text_match_a_query_without_them_and_the_reverse(client, make_resource):
    make_resource({"es": ("Guía sin tildes", "La informacion y la proteccion de datos.")})
    assert _titles(client, "protección") == ["Guía sin tildes"] == _titles(client, "proteccion")


def test_several_words_must_all_match(client, spanish):
    assert _titles(client, "pagos comisiones") == ["Pagos instantáneos"]
    assert _titles(client, "pagos información") == []


def test_a_title_match_ranks_above_a_body_match(client, make_resource):
    make_resource({"es": ("Una guía general", "Trata también de la privacidad.")})
    make_resource({"es": ("Privacidad en la identidad digital", "Una guía.")})
    assert _titles(client, "privacidad") == ["Privacidad en la identidad digital", "Una guía general"]


def test_search_reaches_resources_not_yet_in_the_readers_language(client, make_resource):
    make_resource({"en": ("Consent in data exchange", "Consent must be informed.")})
    assert _titles(client, "consent") == ["Consent in data exchange"]


def test_drafts_are_never_found(client, make_resource):
    make_resource({"es": ("Borrador secreto", "Texto.")}, published=())
    assert _titles(client, "borrador") == []


def test_filters_narrow_the_list(client, make_resource, db, dpi_systems):
    services.save_topic(None, slug="payments", names={"es": "Pagos", "en": "Payments"})
    make_resource(
        {"es": ("Caso Pix", "Texto.")},
        kind=ResourceKind.CASE_STUDY,
        countries=["BR"],
        systems=["pix"],
        principles=["F3"],
        topic_slugs=["payments"],
    )
    make_resource(
        {"es": ("Guía Llave", "Texto."), "en": ("Llave guide", "Text.")},
        countries=["MX"],
        systems=["llave-mx"],
    )
    assert _titles(client, "", kind="case_study") == ["Caso Pix"]
    assert _titles(client, "", country="MX") == ["Guía Llave"]
    assert _titles(client, "", system="pix") == ["Caso Pix"]
    assert _titles(client, "", principle="F3") == ["Caso Pix"]
    assert _titles(client, "", topic="payments") == ["Caso Pix"]
    assert _titles(client, "", available_in="en") == ["Guía Llave"]
    assert _titles(client, "texto", country="BR") == ["Caso Pix"]


def test_a_link_with_a_former_system_slug_is_redirected(client, dpi_systems):
    response = client.get("/library?system=llavemx&q=guia")
    assert response.status_code == 301
    assert response.headers["Location"] == "/library?system=llave-mx&q=guia"


def test_the_api_knows_the_kernels_systems_and_their_former_slugs(client, make_resource, dpi_systems):
    make_resource({"es": ("Guía Llave", "Texto.")}, systems=["llave-mx"])
    for slug in ("llave-mx", "llavemx"):
        items = client.get(f"/api/v1/resources?system={slug}").get_json()["items"]
        assert [item["title"] for item in items] == ["Guía Llave"]
    assert client.get("/api/v1/resources?system=nonsense").status_code == 422


def test_results_are_paginated(client, make_resource):
    for n in range(25):
        make_resource({"es": (f"Guía de datos {n}", "Datos abiertos.")}, commit=False)
    make_resource({"es": ("Otra", "x")})
    first = _titles(client, "datos")
    second = _titles(client, "datos", page=2)
    assert len(first) == 20 and len(second) == 5 and not set(first) & set(second)


@pytest.mark.parametrize(
    ("language", "with_accents", "without"),
    [("es", "información", "informacion"), ("pt_BR", "identificação", "identificacao")],
)
def test_the_search_interface_gives_the_same_results_with_and_without_accents(
    make_resource, language, with_accents, without
):
    make_resource({language: (f"Sobre {with_accents}", f"Texto com {with_accents}.")})
    make_resource({language: ("Outro", "Nada.")})
    found = [
        hit.version.title for hit in search.search(search.Filters(language=language, text=with_accents)).items
    ]
    assert found == [
        hit.version.title for hit in search.search(search.Filters(language=language, text=without)).items
    ]
    assert found == [f"Sobre {with_accents}"]


@pytest.mark.parametrize("word", ["biometria", "guia"])
def test_postgresql_search_matches_through_the_gin_index(make_resource, db, word):
    """The plan of the matching query names the index, for a rare word and for a word every guide has:
    reading each version's whole-text vector instead costs far more than the planner believes."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's; SQLite matches in its FTS5 table")
    make_resource({"es": ("Biometría y consentimiento", "Una guía.")})
    for number in range(30):
        make_resource({"es": (f"Guía {number}", "Una guía sobre pagos.")})
    plans: list[str] = []
    connection = db.session.connection().connection.driver_connection
    connection.add_notice_handler(lambda notice: plans.append(notice.message_primary))
    for statement in (
        "LOAD 'auto_explain'",  # the matching query runs inside a function: only auto_explain sees its plan
        "SET LOCAL auto_explain.log_min_duration = 0",
        "SET LOCAL auto_explain.log_nested_statements = on",
        "SET LOCAL auto_explain.log_level = notice",
    ):
        db.session.execute(sa.text(statement))
    found = search.search(search.Filters(language="es", text=word))
    assert found.total == (1 if word == "biometria" else 31)
    matching = [plan for plan in plans if "search_vector @@" in plan]
    assert matching, plans
    assert all(search.PG_VECTOR_INDEX in plan for plan in matching), matching


def test_postgresql_search_index_keeps_no_pending_list(db):
    """New versions go straight into the GIN tree: a pending list would be read in full by every search
    until a vacuum merged it (511 pages after the bench seed, 5 ms per search instead of 0.8 ms)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's")
    options = db.session.scalar(
        sa.text("SELECT reloptions FROM pg_class WHERE relname = :name"), {"name": search.PG_VECTOR_INDEX}
    )
    assert "fastupdate=off" in (options or [])


def test_postgresql_version_rows_keep_only_what_lists_and_ranking_read(db):
    """The body and the whole-text vector live out of line (TOAST), the ranked title-and-summary vector in
    the row: a frequent word's 3,385 matches were on 2,484 heap pages of wide rows, and are on 1,013."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TOAST is PostgreSQL's")
    options = db.session.scalar(
        sa.text("SELECT reloptions FROM pg_class WHERE relname = 'resource_versions'")
    )
    assert "toast_tuple_target=256" in (options or [])
    storage = dict(
        db.session.execute(
            sa.text(
                "SELECT attname, attstorage FROM pg_attribute"
                " WHERE attrelid = 'resource_versions'::regclass AND attnum > 0 AND NOT attisdropped"
            )
        ).all()
    )
    assert {name: storage[name] for name in ("title", "summary", "search_rank_vector")} == dict.fromkeys(
        ("title", "summary", "search_rank_vector"), "m"
    )
    assert storage["body"] == storage["search_vector"] == "x"


def test_postgresql_listing_looks_up_the_version_to_show_for_its_page_only(make_resource, db):
    """The newest page's versions are looked up for that page, not for every published resource (the
    lookup joined before the limit took 14 ms on the bench's 3,500 resources)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the plan's loop counts are PostgreSQL's EXPLAIN ANALYZE")
    for number in range(30):
        make_resource({"es": (f"Guía {number}", "Una guía.")})
    found: list = []
    lookups = version_reads(db, lambda: found.extend(search.search(search.Filters("es", per_page=5)).items))
    assert len(found) == 5
    assert lookups and max(lookups) <= 2 * 5, lookups  # a few per listed guide, not one per guide
