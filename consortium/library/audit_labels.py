"""The library's audit codes, named for the log (``consortium.audit.labels``)."""

from consortium.i18n import N_

ACTIONS = {
    "library.review_requested": N_("Translation sent for review"),
    "library.review_returned": N_("Translation returned to its translator"),
    "library.translation_outdated": N_("Translation marked outdated"),
    "library.translator_assigned": N_("Translator assigned"),
    "library.version_published": N_("Library version published"),
    "library.version_reviewed_and_published": N_("Translation reviewed and published"),
    "library.version_unpublished": N_("Library version unpublished"),
}
OBJECTS = {
    "topics": N_("Library topic"),
    "resources": N_("Library resource"),
    "resource_tags": N_("Library tag"),
    "resource_versions": N_("Library version"),
    "attachments": N_("Attachment"),
    "translation_requests": N_("Translation request"),
}
