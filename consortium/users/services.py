"""Account logic: registration, verification, log-in, passwords, two-factor and API tokens.

Log-in sessions live in ``consortium.users.sessions``, the e-mailed unlock link in
``consortium.users.unlock``.

Services flush and never commit; the view commits once.
"""

from __future__ import annotations

import functools
import secrets
import time
from datetime import timedelta

import pyotp
import sqlalchemy as sa
from flask import current_app, g
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from consortium import signals
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.mail import compose_email, public_url, queue_email
from consortium.permissions import Role
from consortium.users.models import ApiToken, RecoveryCode, User, UserSession, digest
from consortium.users.passwords import hash_password, needs_rehash, verify_password

RECOVERY_CODE_COUNT = 10
TOKEN_PREFIX = "dpi_"  # noqa: S105 - a public prefix that lets secret scanners spot leaked tokens


class AccountError(Exception):
    """A domain error whose message is already translated for the user."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


# Registration and e-mail verification ------------------------------------------------------------


def create_user(
    email: str,
    name: str,
    password: str,
    *,
    role: Role = Role.MEMBER,
    locale: str | None = None,
    timezone: str | None = None,
    verified: bool = False,
) -> User:
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        locale=locale,
        timezone=timezone,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def register(email: str, name: str, password: str, *, locale: str, timezone: str | None) -> User | None:
    """Create an unverified account and e-mail a confirmation link.

    An address that already has an account gets a notice instead, and the caller shows the same
    page either way, so the form never reveals who is registered.
    """
    existing = find_user(email)
    if existing is not None:
        hash_password(password)  # the same work as for a new account, so timing reveals nothing either
        queue_email(
            existing.email,
            "account_exists",
            _l("Someone tried to sign up with your address"),
            to_name=existing.name,
            locale=existing.locale or locale,
            login_url=public_url("users.login"),
            reset_url=public_url("users.forgot_password"),
        )
        return None
    user = create_user(email, name, password, locale=locale, timezone=timezone)
    send_verification(user)
    return user


def send_verification(user: User) -> None:
    token = _serializer("verify-email").dumps({"u": user.id, "e": user.email})
    queue_email(
        user.email,
        "verify_email",
        _l("Confirm your e-mail address"),
        to_name=user.name,
        locale=user.locale,
        verify_url=public_url("users.verify_email", token=token),
    )


def verify_email(token: str) -> User | None:
    try:
        data = _serializer("verify-email").loads(token, max_age=current_app.config["TOKEN_MAX_AGE_VERIFY"])
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or user.email != data.get("e"):
        return None
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


# Log-in -----------------------------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The user whose password this is, or None (recorded as a failed log-in: commit either way)."""
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password) or not user.is_active:
        signals.login_failed.send(normalise_email(email), reason="credentials")
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def update_profile(user: User, *, name: str, locale: str, timezone: str) -> None:
    user.name = name.strip()
    user.locale = locale
    user.timezone = timezone


# Passwords ------------------------------------------------------------------------------------


def _revoke_credentials(user: User, *, keep_this_session: bool) -> dict[str, int]:
    """A new password ends everything the old one let anyone set up: API tokens and other sessions."""
    tokens = db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    ).rowcount
    sessions = db.session.execute(
        sa.delete(UserSession).where(
            UserSession.user_id == user.id,
            UserSession.token_hash
            != (digest(user.session_token) if keep_this_session and user.session_token else ""),
        )
    ).rowcount
    queue_email(
        user.email,
        "password_changed",
        _l("Your password was changed"),
        to_name=user.name,
        locale=user.locale,
        tokens=tokens,
        reset_url=public_url("users.forgot_password"),
    )
    return {"tokens_revoked": tokens, "sessions_ended": sessions}


def change_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    ended = _revoke_credentials(user, keep_this_session=True)
    signals.state_changed.send(user, action="user.password_changed", by=user, **ended)


def send_password_reset(email: str, locale: str) -> None:
    """E-mail a reset link if the address has an account.

    Unknown addresses get the same work, a token and a rendered message that is then dropped, and both
    paths store one audit record, so the answer takes as long whether or not the address is registered.
    """
    user = find_user(email)
    known = user is not None and user.is_active
    token = _serializer("reset-password").dumps(
        {"u": user.id, "h": user.password_hash[-16:]} if known else {"u": 0, "h": secrets.token_hex(8)}
    )
    message = compose_email(
        user.email if known else normalise_email(email),
        "reset_password",
        _l("Reset your password"),
        to_name=user.name if known else "",
        locale=(user.locale if known else None) or locale,
        reset_url=public_url("users.reset_password", token=token),
        minutes=current_app.config["TOKEN_MAX_AGE_RESET"] // 60,
    )
    if known:
        db.session.add(message)
    signals.state_changed.send(user if known else None, action="user.password_reset_requested")


def user_for_reset_token(token: str) -> User | None:
    """The token names the password it replaces, so it stops working once used."""
    try:
        data = _serializer("reset-password").loads(token, max_age=current_app.config["TOKEN_MAX_AGE_RESET"])
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or user.password_hash[-16:] != data.get("h"):
        return None
    return user


def reset_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    user.email_verified_at = user.email_verified_at or utcnow()  # the link proved they read the mailbox
    ended = _revoke_credentials(user, keep_this_session=False)
    signals.state_changed.send(user, action="user.password_reset", by=user, **ended)


# Two-factor log-in (TOTP) ---------------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="DPI Consortium")


def _matching_counter(secret: str, code: str) -> int | None:
    """The time step whose code equals ``code`` (one step of clock drift either way), or None."""
    code = "".join(ch for ch in code if ch.isdigit())
    totp = pyotp.TOTP(secret)
    now = int(time.time())
    for drift in (0, -1, 1):
        at = now + drift * totp.interval
        if secrets.compare_digest(totp.at(at), code):
            return at // totp.interval
    return None


def enable_totp(user: User, secret: str, code: str) -> list[str] | None:
    """Turn on two-factor log-in if ``code`` proves the app is set up; return new recovery codes."""
    counter = _matching_counter(secret, code)
    if counter is None:
        return None
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_counter = counter
    signals.state_changed.send(user, action="user.totp_enabled", by=user)
    return new_recovery_codes(user)


def disable_totp(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_counter = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    signals.state_changed.send(user, action="user.totp_disabled", by=user)


def new_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=digest(code)) for code in codes)
    return codes


def check_second_factor(user: User, code: str) -> bool:
    """Accept a current authenticator code (each only once) or an unused recovery code.

    A refused code is recorded as a failed log-in, so the caller commits whatever the answer.
    """
    if _second_factor_ok(user, (code or "").strip().lower()):
        return True
    signals.login_failed.send(user.email, reason="second-factor")
    return False


def _second_factor_ok(user: User, code: str) -> bool:
    if user.totp_secret and len(code.replace(" ", "")) == 6:
        counter = _matching_counter(user.totp_secret, code)
        if counter is not None and counter > (user.totp_last_counter or -1):
            user.totp_last_counter = counter
            return True
        return False
    recovery = db.session.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == digest(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return False
    recovery.used_at = utcnow()
    return True


def recovery_codes_left(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


# Personal API tokens --------------------------------------------------------------------------


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Return the token row and its secret; the secret is shown once and only its hash is stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip() or "API",
        token_hash=digest(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
    )
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_api_token(token: ApiToken) -> None:
    token.revoked_at = token.revoked_at or utcnow()


@functools.cache
def _token_query() -> sa.Select:
    """Built once, as the browser's session query is (``sessions._session_query``): the person and their
    memberships come in the same statement, since most API calls check what the caller may do for their
    organisations."""
    return (
        sa.select(ApiToken)
        .where(ApiToken.token_hash == sa.bindparam("token_hash"), ApiToken.revoked_at.is_(None))
        .options(sa.orm.joinedload(ApiToken.user).joinedload(User.memberships))
    )


def user_for_api_token(secret: str) -> User | None:
    token = db.session.execute(_token_query(), {"token_hash": digest(secret)}).unique().scalar_one_or_none()
    if token is None or not token.user.is_active:
        return None
    now = utcnow()
    # A minute's precision is enough. Recorded once the request is over, in its own transaction: the
    # loader must not commit the request's work (it can run in the middle of a flush), and a second
    # connection writing while the request holds SQLite's write lock would wait for itself.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        g.api_token_used = token.id
    return token.user
