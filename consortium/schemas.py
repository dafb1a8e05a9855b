"""marshmallow validators shared by every feature's API input schemas: the rules of ``consortium.text``.

Every string an API accepts carries ``SingleLine``, ``PlainText`` or a closed list of values
(``validate.OneOf``), and every address ``Link`` (``tests/test_architecture.py`` checks).
"""

from __future__ import annotations

from marshmallow import ValidationError, validate

from consortium import text


class SingleLine(validate.Validator):
    """No line break, tab or invisible control character (names, titles, filters)."""

    def __call__(self, value: str) -> str:
        if not text.is_single_line(value):
            raise ValidationError(str(text.LINE_ERROR))
        return value


class PlainText(validate.Validator):
    """Multi-line text: tabs and line breaks, but no NUL or other control character."""

    def __call__(self, value: str) -> str:
        if not text.is_plain_text(value):
            raise ValidationError(str(text.TEXT_ERROR))
        return value


class Link(validate.Validator):
    """An address in ``schemes`` only; ``many=True`` takes one address a line."""

    def __init__(self, schemes: frozenset[str] = text.LINK_SCHEMES, *, many: bool = False):
        self.schemes = schemes
        self.many = many

    def __call__(self, value: str) -> str:
        if not value:
            return value
        if not self.many:
            if not text.is_link(value, self.schemes):
                raise ValidationError(str(text.ADDRESS_ERROR))
            return value
        for link in text.links_in(value):
            if not text.is_link(link, self.schemes):
                raise ValidationError(str(text.LINKS_ERROR % {"link": link[:80]}))
        return value
