"""What the library does, one rule set a module. Services flush and raise, never commit: views and the
API run them in ``transaction.action()``, and file changes wait for its outcome (see ``attach``).

- ``errors``       the domain errors, each with a translated message
- ``slugs``        readable, unique address parts
- ``resources``    resources and the text of their versions; the filter facets (tags)
- ``versions``     a version's workflow: translator, review by a second person, publication
- ``demand``       readers' translation requests, the translation board, language coverage
- ``topics``       the topics and their names
- ``attachments``  uploaded files: size and type checks, storage, removal, the download count

The names below are re-exported so ``from consortium.library import services; services.attach(...)``
keeps working (and tests can replace one); new code may import from the module that owns the rule.
"""

from consortium.library.services.attachments import (
    DOWNLOADS,
    add_downloads,
    attach,
    note_download,
    remove_attachment,
)
from consortium.library.services.demand import BoardRow, board, coverage, demand, request_translation
from consortium.library.services.errors import (
    InvalidAttachment,
    LibraryError,
    ReviewRequired,
    SameReviewer,
    TopicExists,
)
from consortium.library.services.resources import (
    CONTENT_FIELDS,
    RESOURCE_FIELDS,
    create_resource,
    save_version,
    sync_tags,
    tag_values,
    update_resource,
)
from consortium.library.services.slugs import slugify, unique_slug
from consortium.library.services.topics import delete_topic, save_topic
from consortium.library.services.versions import (
    assign_translator,
    publish_version,
    refresh_publication,
    return_to_translation,
    submit_for_review,
    unpublish_version,
)

__all__ = [
    "CONTENT_FIELDS",
    "DOWNLOADS",
    "RESOURCE_FIELDS",
    "BoardRow",
    "InvalidAttachment",
    "LibraryError",
    "ReviewRequired",
    "SameReviewer",
    "TopicExists",
    "add_downloads",
    "assign_translator",
    "attach",
    "board",
    "coverage",
    "create_resource",
    "delete_topic",
    "demand",
    "note_download",
    "publish_version",
    "refresh_publication",
    "remove_attachment",
    "request_translation",
    "return_to_translation",
    "save_topic",
    "save_version",
    "slugify",
    "submit_for_review",
    "sync_tags",
    "tag_values",
    "unique_slug",
    "unpublish_version",
    "update_resource",
]
