"""Names people read in the audit log: actions and kinds of object, translated.

The log stores stable codes (``organisation.verified``, ``registrations``); each part of the platform
registers the names of its own codes here at init_app (features through ``register``), so the kernel
never lists a feature's vocabulary. A code nobody named is shown as it is.
"""

from __future__ import annotations

from consortium.i18n import N_, fast_gettext

_actions: dict[str, str] = {}
_objects: dict[str, str] = {}


def register(*, actions: dict[str, str] = {}, objects: dict[str, str] = {}) -> None:  # noqa: B006  (read only)
    """``actions`` and ``objects`` map codes to messages marked with ``N_`` (translated when shown)."""
    _actions.update(actions)
    _objects.update(objects)


def action_label(code: str) -> str:
    label = _actions.get(code)
    return fast_gettext(label) if label else code


def object_label(code: str) -> str:
    label = _objects.get(code)
    return fast_gettext(label) if label else code


def known_actions() -> dict[str, str]:
    return dict(_actions)


def known_objects() -> dict[str, str]:
    return dict(_objects)


KERNEL_ACTIONS = {
    "create": N_("Created"),
    "update": N_("Changed"),
    "delete": N_("Deleted"),
    "user.login": N_("Logged in"),
    "user.login_failed": N_("Failed log-in"),
    "user.login_unlock_sent": N_("Log-in unlock link sent"),
    "user.login_unlocked": N_("Log-in unlocked"),
    "user.logout": N_("Logged out"),
    "user.password_changed": N_("Password changed"),
    "user.password_reset": N_("Password reset"),
    "user.password_reset_requested": N_("Password reset requested"),
    "user.totp_enabled": N_("Two-factor log-in turned on"),
    "user.totp_disabled": N_("Two-factor log-in turned off"),
    "user.data_exported": N_("Personal data exported"),
    "user.deleted": N_("Account deleted"),
    "organisation.verified": N_("Organisation verified"),
    "organisation.invitation_resent": N_("Invitation sent again"),
    "organisation.invitation_revoked": N_("Invitation withdrawn"),
    "privacy.purged": N_("Old personal data erased"),
}
KERNEL_OBJECTS = {
    "users": N_("Account"),
    "organisations": N_("Organisation"),
    "memberships": N_("Membership"),
    "invitations": N_("Invitation"),
    "user_sessions": N_("Session"),
    "api_tokens": N_("API token"),
    "outbox_messages": N_("E-mail"),
    "form_submissions": N_("Form submission"),
    "recovery_codes": N_("Recovery code"),
    "login_unlocks": N_("Log-in unlock"),
}
