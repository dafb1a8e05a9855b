"""The resource library: translated guides, case studies and learning materials."""

from flask import Flask

from consortium import demo, extensions, personal_data, seed, suggestions
from consortium.library import loaders, privacy
from consortium.library.api import blp as api_blp
from consortium.library.models import ResourceVersion
from consortium.library.policies import version_policy
from consortium.library.views import bp
from consortium.permissions import register_policy


def init_app(app: Flask) -> None:
    register_policy(ResourceVersion, version_policy)
    app.register_blueprint(bp)
    extensions.api.register_blueprint(api_blp)
    demo.register(loaders.load_demo)
    seed.register(loaders.seed)
    suggestions.register("library", loaders.suggest)
    personal_data.register("library", privacy.keeper)
