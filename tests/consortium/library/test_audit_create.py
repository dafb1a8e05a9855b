"""Creating a resource is audited with the new resource's id."""

from __future__ import annotations

from tests.audit_rows import creates_of


def test_a_created_resource_is_audited_with_its_id(db, make_resource):
    resource = make_resource({"es": ("Guía", "Texto.")})
    assert creates_of(resource) == [str(resource.id)]
    assert creates_of(resource.original) == [str(resource.original.id)]
