"""The library's domain errors: each carries a translated message that is safe to show."""

from __future__ import annotations

from consortium.errors import DomainError
from consortium.i18n import lazy_gettext as _l


class LibraryError(DomainError):
    """A rule of the library was broken."""

    message = _l("This action is not possible.")


class ReviewRequired(LibraryError):
    message = _l("A translation is published only after review: send it for review first.")


class SameReviewer(LibraryError):
    message = _l("A second person must review this translation: you translated it.")


class InvalidAttachment(LibraryError):
    message = _l("Upload a PDF, ODT, DOCX or PPTX file.")


class TopicExists(LibraryError):
    message = _l("A topic with this short name exists already.")
