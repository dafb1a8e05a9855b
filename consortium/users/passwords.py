"""Argon2id hashing and the rules a new password must meet."""

from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from zxcvbn import zxcvbn


def _hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher_for(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"])


@functools.cache
def _hasher_for(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verifying against this when the e-mail is unknown makes a failed log-in take as long as a
    wrong password, so timing does not reveal which addresses are registered."""
    return hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    if password_hash is None:
        _verify_quietly(hasher, _dummy_hash(hasher), password)
        return False
    return _verify_quietly(hasher, password_hash, password)


def _verify_quietly(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def password_problem(password: str, *, related: list[str]) -> str | None:
    """A translated reason to refuse ``password``, or None. ``related`` are the user's name and e-mail."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Use at least %(count)d characters.", count=minimum)
    if len(password) > 256:
        return _("Use at most %(count)d characters.", count=256)
    # zxcvbn knows the most common passwords, names and keyboard patterns; score 0-2 is guessable.
    if zxcvbn(password[:100], user_inputs=[value for value in related if value])["score"] < 3:
        return _("This password is too common or easy to guess. Try a longer phrase of unrelated words.")
    return None
