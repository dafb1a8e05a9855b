"""Limits on guessing: failed log-ins per account, second-step codes, and checks of the current password.

Each counts failures only. An attempt takes its try before the password is checked, in one atomic step
of the shared storage (Flask-Limiter's plain hit), and a success gives it back (``count_failures_only``):
checking first and counting after a failure would let every attempt in flight at once through.

The per-account limits skip a browser that the account's owner unlocked with the e-mailed link, and
hitting them e-mails that link (``consortium.users.unlock``), so the limit slows a guesser without
locking the owner out. The per-address limits are declared beside their views.
"""

from __future__ import annotations

import functools

from flask import current_app, g, request, session
from flask_login import current_user
from limits.storage import MemoryStorage, RedisStorage

from consortium import transaction
from consortium.db import db
from consortium.extensions import limiter
from consortium.i18n import lazy_gettext as _l
from consortium.users import services, unlock
from consortium.users.models import User
from consortium.users.passwords import verify_password

PENDING_2FA = "pending_second_factor"  # session key: the user who gave the right password, and next
LOCKED_OUT = _l(
    "Too many attempts for this account. If an account uses this address, we have e-mailed it a link that"
    " lets its owner log in at once; otherwise, please wait a few minutes and try again."
)


def setting(name: str):
    return lambda: current_app.config[name]


def failed(response) -> bool:
    """Only failed attempts count towards the log-in limits; a success redirects."""
    return response.status_code != 302


def account_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))


def _pending_user_id() -> int | None:
    return session.get(PENDING_2FA, {}).get("user")


def _account_unlocked() -> bool:
    if not unlock.has_marker():  # most attempts: no database look-up
        return False
    user = services.find_user(request.form.get("email", ""))
    return user is not None and unlock.unlocked_for(user.id)


def _offer_unlock(limit) -> None:
    with transaction.action():
        unlock.offer(services.find_user(request.form.get("email", "")))


def _offer_unlock_pending(limit) -> None:
    with transaction.action():
        unlock.offer(db.session.get(User, _pending_user_id() or 0))


def _give_back(key: str) -> None:
    """Remove the newest try from a moving window (a list, newest first, in both storages we use)."""
    storage = limiter.storage
    if isinstance(storage, RedisStorage):
        storage.get_connection().lpop(storage.prefixed_key(key))
    elif isinstance(storage, MemoryStorage):
        with storage.locks[key]:
            if storage.events.get(key):
                del storage.events[key][0]


def _give_back_unless(failed_when):
    """Give back the tries this POST took from its limits unless ``failed_when(response)``.

    Goes under the limits' decorators. Any other storage than memory and Redis keeps successes counted.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            response = current_app.make_response(view(*args, **kwargs))
            if request.method == "POST" and not failed_when(response):
                for request_limit in limiter.current_limits:
                    _give_back(request_limit.key)
            return response

        return wrapper

    return decorator


#: A log-in's tries are given back when it succeeded (a redirect).
count_failures_only = _give_back_unless(failed)


login_per_account = limiter.limit(
    setting("LOGIN_LIMIT_PER_ACCOUNT"),
    key_func=account_key,
    methods=["POST"],
    exempt_when=_account_unlocked,
    on_breach=_offer_unlock,
    error_message=lambda: str(LOCKED_OUT),
)

second_factor_per_account = limiter.limit(
    setting("LOGIN_LIMIT_PER_ACCOUNT"),
    key_func=lambda: f"second-factor:{_pending_user_id() or ''}",
    methods=["POST"],
    exempt_when=lambda: unlock.has_marker() and unlock.unlocked_for(_pending_user_id()),
    on_breach=_offer_unlock_pending,
    error_message=lambda: str(LOCKED_OUT),
)

#: Whoever holds a signed-in browser guesses the current password no faster than a log-in: one counter
#: for every page that asks for it (change password, turn off two-factor log-in, delete the account).
_password_check_limit = limiter.shared_limit(
    setting("LOGIN_LIMIT_PER_ACCOUNT"),
    "password-check",
    key_func=lambda: f"password-check:{getattr(current_user, 'id', 'anonymous')}",
    methods=["POST"],
)


def password_check(view):
    """Every POST takes its try first; only a wrong current password keeps it (see the module's note)."""
    return _password_check_limit(_give_back_unless(lambda response: g.pop("wrong_password", False))(view))


def current_password_ok(user: User, password: str) -> bool:
    """Check the signed-in person's password; a wrong one counts towards ``password_check``."""
    if verify_password(user.password_hash, password):
        return True
    g.wrong_password = True
    return False
