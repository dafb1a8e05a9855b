"""Every endpoint is deliberately public or protected (after CKAN's coding-standards test)."""

from __future__ import annotations

# Endpoints served by libraries, not by our views.
LIBRARY_ENDPOINTS = {"static", "api-docs.openapi_json"}


def test_every_endpoint_is_public_or_protected(app):
    unmarked = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in LIBRARY_ENDPOINTS or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions[rule.endpoint]
        if not (getattr(view, "is_public", False) or getattr(view, "is_protected", False)):
            unmarked.append(rule.endpoint)
    assert unmarked == [], f"mark these views with @public or @require: {unmarked}"


def test_protected_views_refuse_anonymous_visitors(app, client):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "is_protected", False) or "GET" not in rule.methods or rule.arguments:
            continue
        response = client.get(rule.rule)
        assert response.status_code in (302, 401), f"{rule.rule} answered {response.status_code} to anonymous"
