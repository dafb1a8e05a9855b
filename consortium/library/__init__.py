"""The resource library: translated guides, case studies and learning materials, their translation
workflow and their attachments. ``init_app`` registers its pages, API, policy and kernel providers."""

from flask import Flask

from consortium import counters, extensions, personal_data, storage, suggestions, worklist
from consortium import demo as kernel_demo
from consortium import seed as kernel_seed
from consortium.audit.labels import register as register_audit_labels
from consortium.library import audit_labels, demo, notifications, privacy, providers, seed, services
from consortium.library.api import blp as api_blp
from consortium.library.models import Attachment, ResourceVersion
from consortium.library.policies import version_policy
from consortium.library.views import bp
from consortium.permissions import register_policy


def init_app(app: Flask) -> None:
    register_audit_labels(actions=audit_labels.ACTIONS, objects=audit_labels.OBJECTS)
    register_policy(ResourceVersion, version_policy)
    storage.owned_by(Attachment.file)
    app.register_blueprint(bp)
    extensions.api.register_blueprint(api_blp)
    kernel_demo.register(demo.load)
    kernel_seed.register(seed.seed)
    suggestions.register("library", providers.suggest)
    personal_data.register("library", privacy.keeper)
    counters.register(services.DOWNLOADS, services.add_downloads)
    worklist.register("library", providers.translations_in_review)
    notifications.init_app()
