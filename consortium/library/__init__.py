"""The resource library: translated guides, case studies and learning materials."""

from flask import Flask

from consortium import demo, extensions, personal_data, seed, suggestions, worklist
from consortium.audit.labels import register as register_audit_labels
from consortium.library import audit_labels, loaders, notifications, privacy, providers
from consortium.library.api import blp as api_blp
from consortium.library.models import ResourceVersion
from consortium.library.policies import version_policy
from consortium.library.views import bp
from consortium.permissions import register_policy


def init_app(app: Flask) -> None:
    register_audit_labels(actions=audit_labels.ACTIONS, objects=audit_labels.OBJECTS)
    register_policy(ResourceVersion, version_policy)
    app.register_blueprint(bp)
    extensions.api.register_blueprint(api_blp)
    demo.register(loaders.load_demo)
    seed.register(loaders.seed)
    suggestions.register("library", loaders.suggest)
    personal_data.register("library", privacy.keeper)
    worklist.register("library", providers.translations_in_review)
    notifications.init_app()
