"""An anonymous reader of a space or a consultation gets the page without a session (issue 14): a form
built for nobody made a CSRF token, so every visit set a cookie and the page cache never kept the page."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("page", ["space", "consultation"])
def test_anonymous_readers_get_no_session(client, space, make_consultation, page):
    consultation = make_consultation(space)
    path = (
        f"/governance/spaces/{space.id}"
        if page == "space"
        else f"/governance/consultations/{consultation.id}"
    )
    response = client.get(path)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
