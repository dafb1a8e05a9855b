"""One permission layer for pages and API: global grants by role, per-object answers by policies.

``can(user, permission, obj)`` is True when the user's platform role grants the permission everywhere,
or when a policy registered for the object's type grants it for that object (for example an
organisation admin editing their own organisation). Views are marked with ``@require`` so
``tests/test_architecture.py`` can prove that every endpoint is either protected or deliberately public.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from consortium.db import db
from consortium.extensions import login_manager
from consortium.i18n import LabelledEnum


class Permission(enum.StrEnum):
    ACCOUNT_MANAGE = "account:self:manage"
    AUDIT_READ = "admin:audit:read"
    GOVERNANCE_CONTRIBUTE = "governance:contribution:create"  # per consultation, by the governance policy
    GOVERNANCE_CONVENE = "governance:consultation:manage"  # per space: its convenors (and staff)
    GOVERNANCE_MANAGE = "governance:space:manage"
    GOVERNANCE_MODERATE = "governance:contribution:moderate"  # per consultation: moderators, convenors, staff
    GOVERNANCE_RESPOND = "governance:response:create"  # per contribution: those who answer for the space
    GOVERNANCE_SEATS = "governance:seat:grant"  # per space: its convenors (and staff)
    GOVERNANCE_VIEW = "governance:space:view"  # per space, by the governance policy
    LIBRARY_EDIT = "library:resource:edit"
    LIBRARY_READ = "library:version:read"  # per version, by the library policy (drafts are previews)
    LIBRARY_TRANSLATE = "library:translation:edit"
    MAIL_MANAGE = "admin:mail:manage"
    ORGANISATIONS_CREATE = "orgs:organisation:create"
    ORGANISATIONS_EDIT = "orgs:organisation:edit"
    ORGANISATIONS_INVITE = "orgs:member:invite"
    ORGANISATIONS_VERIFY = "orgs:organisation:verify"
    ORGANISATIONS_VIEW = "orgs:organisation:view"
    SAFEGUARDS_ASSESS = "safeguards:assessment:edit"
    SAFEGUARDS_ASSIGN_REVIEWERS = "safeguards:reviewer:assign"
    SAFEGUARDS_FRAMEWORK_MANAGE = "safeguards:framework:manage"
    SAFEGUARDS_DISCUSS = "safeguards:thread:write"
    SAFEGUARDS_ITEMS_READ = "safeguards:item:read"
    SAFEGUARDS_MANAGE = "safeguards:pilot:manage"
    SAFEGUARDS_REVIEW = "safeguards:assessment:review"
    SAFEGUARDS_ROADMAP_RATE = "safeguards:action:rate"  # per action, by the roadmap policy (its reviewers)
    SAFEGUARDS_ROADMAP_TRACK = "safeguards:action:track"  # per action, by the roadmap policy (its owners)
    SAFEGUARDS_ROADMAP_VALIDATE = "safeguards:roadmap:validate"
    SAFEGUARDS_VIEW = "safeguards:assessment:view"
    SAFEGUARDS_WITHDRAW = "safeguards:assessment:withdraw"
    STAFF_DASHBOARD = "admin:dashboard:view"
    TRAININGS_ENROL = "trainings:registration:create"
    TRAININGS_MANAGE = "trainings:training:manage"
    TRAININGS_REGISTRATION_MANAGE = "trainings:registration:manage"
    TRAININGS_REPORT = "trainings:report:create"
    TRAININGS_REPORT_EDIT = "trainings:report:edit"
    TRAININGS_VIEW = "trainings:training:view"


class Role(LabelledEnum):
    MEMBER = "member"
    STAFF = "staff"
    ADMIN = "admin"


# Not ORGANISATIONS_VIEW: members see verified organisations and their own (the organisation policy).
_MEMBER = {
    Permission.ACCOUNT_MANAGE,
    Permission.ORGANISATIONS_CREATE,
    Permission.TRAININGS_ENROL,
}
# Not SAFEGUARDS_ASSIGN_REVIEWERS: admins choose reviewers, so staff cannot pick the drafts they read.
# Not SAFEGUARDS_REVIEW: the safeguards policy grants it per assessment to its pilot's assigned reviewers.
# Not SAFEGUARDS_WITHDRAW: taking published results back is an admin's decision.
# Not GOVERNANCE_RESPOND nor GOVERNANCE_CONTRIBUTE: official responses are the space's, contributions
# come from seat holders (the governance policy grants both per object).
_STAFF = _MEMBER | {
    Permission.AUDIT_READ,
    Permission.GOVERNANCE_CONVENE,
    Permission.GOVERNANCE_MANAGE,
    Permission.GOVERNANCE_MODERATE,
    Permission.GOVERNANCE_SEATS,
    Permission.GOVERNANCE_VIEW,
    Permission.LIBRARY_EDIT,
    Permission.LIBRARY_TRANSLATE,
    Permission.MAIL_MANAGE,
    Permission.ORGANISATIONS_EDIT,
    Permission.ORGANISATIONS_VERIFY,
    Permission.ORGANISATIONS_VIEW,
    Permission.SAFEGUARDS_FRAMEWORK_MANAGE,
    Permission.SAFEGUARDS_ITEMS_READ,  # staff read threads and history of what they may see; they write none
    Permission.SAFEGUARDS_MANAGE,
    Permission.SAFEGUARDS_ROADMAP_VALIDATE,
    Permission.STAFF_DASHBOARD,
    Permission.TRAININGS_MANAGE,
    Permission.TRAININGS_REGISTRATION_MANAGE,
    Permission.TRAININGS_VIEW,
}
#: Permissions each platform role holds on every object. Anything narrower is a policy's job.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.MEMBER: frozenset(_MEMBER),
    Role.STAFF: frozenset(_STAFF),
    Role.ADMIN: frozenset(Permission),
}

Policy = Callable[[Any, Permission, Any], bool]
_policies: dict[type, Policy] = {}
_permission_policies: dict[tuple[type, Permission], Policy] = {}


def register_policy(model: type, policy: Policy, *, permissions: Iterable[Permission] = ()) -> None:
    """Features register ``policy(user, permission, obj) -> bool`` for their models at init_app.

    With ``permissions``, the policy answers only for those, on a model another package owns (trainings
    decide who reports for an organisation; the organisations' own policy answers the rest).
    """
    if not permissions:
        _policies[model] = policy
    for permission in permissions:
        _permission_policies[(model, permission)] = policy


def role_grants(user, permission: Permission) -> bool:
    if not user or not user.is_authenticated:
        return False
    return permission in ROLE_PERMISSIONS.get(Role(user.role), frozenset())


def can(permission: Permission, obj: Any = None, user=None) -> bool:
    user = current_user if user is None else user
    if role_grants(user, permission):
        return True
    if obj is None:
        return False
    policy = next(
        (
            p
            for (model, granted), p in _permission_policies.items()
            if granted is permission and isinstance(obj, model)
        ),
        None,
    ) or next((p for model, p in _policies.items() if isinstance(obj, model)), None)
    return bool(policy and policy(user, permission, obj))


F = TypeVar("F", bound=Callable[..., Any])


def require(permission: Permission | None = None) -> Callable[[F], F]:
    """Mark a view as protected: log-in always, plus ``permission`` granted by the user's role.

    With ``permission=None`` the view checks its objects itself (``visible_or_404``/``can``), for
    permissions that a policy grants per object; the marker still records that it is not public.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if permission is not None and not can(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        wrapped.is_protected = True  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Mark a view as deliberately open to anonymous visitors."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def visible_or_404(model: type, object_id: Any, permission: Permission, *, options: Sequence[Any] = ()):
    """Load an object, or answer 404 when it does not exist or the user may not even see it.

    ``options`` are loader options (``joinedload``…) for what the caller reads next, saving queries.
    """
    obj = db.session.get(model, object_id, options=options)
    if obj is None or not can(permission, obj):
        abort(404)
    return obj
