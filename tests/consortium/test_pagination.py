"""One paginator for every list: page numbers come from ``?page=``, and a page that is not there is a 404."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "99999999999999999999"])
def test_malformed_page_numbers_are_not_found(client, page):
    assert client.get(f"/organisations?page={page}").status_code == 404


def test_page_past_the_last_is_not_found_but_an_empty_first_page_is_fine(client):
    assert client.get("/organisations?page=1").status_code == 200
    assert client.get("/organisations?page=2").status_code == 404


def test_pages_link_to_each_other_and_keep_the_filters(client, db):
    for number in range(30):
        factories.OrganisationFactory(name=f"Org {number:02d}", country="MX")
    db.session.commit()
    first = client.get("/organisations?country=MX").get_data(as_text=True)
    assert 'rel="next"' in first and "page=2" in first and "country=MX" in first
    second = client.get("/organisations?country=MX&page=2").get_data(as_text=True)
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert client.get("/organisations?country=MX&page=3").status_code == 404


def test_uncounted_lists_still_offer_the_next_page(client, login_as, admin, db):
    """The audit log skips the count for speed; it looks one row ahead to know a next page exists."""
    from consortium.audit.models import AuditEvent
    from consortium.audit.views import PAGE_SIZE

    login_as(admin)
    db.session.add_all(AuditEvent(action="test.row", object_type="test") for _ in range(PAGE_SIZE + 1))
    db.session.commit()
    first = client.get("/admin/audit?action=test.row").get_data(as_text=True)
    assert 'rel="next"' in first
    second = client.get("/admin/audit?action=test.row&page=2").get_data(as_text=True)
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert client.get("/admin/audit?page=x").status_code == 404


def test_api_lists_are_empty_past_the_last_page_and_refuse_impossible_pages(client):
    assert client.get("/api/v1/trainings?page=2").get_json() == []  # as the API documents
    response = client.get("/api/v1/trainings?page=99999999999999999999")
    assert response.status_code == 422 and response.is_json
