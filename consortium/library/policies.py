"""Per-object answers for the library.

Staff hold LIBRARY_EDIT and LIBRARY_TRANSLATE everywhere (their role). A translator from outside the
consortium is simply a member whom staff assign to a language version on its editor page: this
policy lets that person edit and send for review that one version while it is unpublished. Review
and publication stay with staff, and the reviewer must differ from the translator.

Reading a version (and its attachment) is LIBRARY_READ: everyone once it is published; before that,
whoever may edit the library or translate this version, so they can preview it.
"""

from consortium.library.models import ResourceVersion
from consortium.permissions import Permission, can


def version_policy(user, permission: Permission, version: ResourceVersion) -> bool:
    if permission is Permission.LIBRARY_READ:
        return (
            version.is_published
            or can(Permission.LIBRARY_EDIT, user=user)
            or can(Permission.LIBRARY_TRANSLATE, version, user=user)
        )
    if not user or not user.is_authenticated:
        return False
    if permission is Permission.LIBRARY_TRANSLATE:
        return version.translator_id == user.id and not version.is_published and not version.is_original
    return False
