"""Per-object answers for organisations: their own admins may edit them and invite people."""

from consortium.organisations.models import Organisation, OrganisationRole
from consortium.permissions import Permission

_ORG_ADMIN = {Permission.ORGANISATIONS_EDIT, Permission.ORGANISATIONS_INVITE}


def organisation_policy(user, permission: Permission, organisation: Organisation) -> bool:
    if permission is Permission.ORGANISATIONS_VIEW:
        return organisation.is_verified or organisation.role_of(user) is not None
    if permission in _ORG_ADMIN:
        return organisation.role_of(user) is OrganisationRole.ADMIN
    return False
