"""What people may write: one-line values without control characters, and links only to the web or to mail.

Plain functions, so that the WTForms validators (``consortium.forms``), the marshmallow validators
(``consortium.schemas``), services and templates all apply the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from consortium.i18n import lazy_gettext as _l

LINE_ERROR = _l("Write this on one line, without tabs or invisible control characters.")
TEXT_ERROR = _l("Remove the invisible control characters from this text.")
ADDRESS_ERROR = _l("Enter a full address, e.g. https://example.org")
LINKS_ERROR = _l(
    "Write one address a line, each starting with https://, http:// or mailto: (this one does not: %(link)s)"
)

WEB_SCHEMES = frozenset({"http", "https"})
LINK_SCHEMES = WEB_SCHEMES | {"mailto"}

# Control (Cc), format (Cf: bidi overrides, zero-width spaces), surrogate (Cs) and line/paragraph separators.
_REFUSED_IN_LINE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Zero-width non-joiner and joiner are format characters that spelling needs (Persian, Indic scripts, emoji).
_JOINERS = frozenset({"\u200c", "\u200d"})
# Multi-line text keeps tabs and line breaks; NUL and other C0/C1 controls break PostgreSQL, terminals, XML.
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def is_single_line(value: str) -> bool:
    """True when ``value`` could be a name, a title or a mail header: no line break, tab or hidden control."""
    if value.isprintable():  # the common case, at C speed
        return True
    return not any(char not in _JOINERS and unicodedata.category(char) in _REFUSED_IN_LINE for char in value)


def is_plain_text(value: str) -> bool:
    """True when multi-line ``value`` holds no control character other than tab and line breaks."""
    return _CONTROL_IN_TEXT.search(value) is None


def is_link(value: str, schemes: frozenset[str] = LINK_SCHEMES) -> bool:
    """True for an absolute address in ``schemes``: http(s) with a host name, mailto with an address.

    Browsers ignore tabs and line breaks inside an address (``java\\tscript:`` runs), so any space or control
    character inside it refuses the whole value; surrounding spaces are dropped, as browsers do.
    """
    value = value.strip()
    if not value or not value.isprintable() or " " in value:
        return False
    try:
        parts = urlsplit(value)
        hostname = parts.hostname or ""
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return False
    if scheme == "mailto":
        return "@" in parts.path
    # a dotted name or an IPv6 literal; user:password@ before the host is a known phishing disguise
    return ("." in hostname or ":" in hostname) and parts.username is None


def links_in(value: str) -> list[str]:
    """The addresses of a one-address-a-line field."""
    return value.split()
