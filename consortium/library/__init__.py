"""The resource library: translated guides, case studies and learning materials, their translation
workflow and their attachments. ``init_app`` registers its pages, API, policy and kernel providers."""

from flask import Flask

from consortium import counters, extensions, personal_data, suggestions
from consortium import demo as kernel_demo
from consortium import seed as kernel_seed
from consortium.library import demo, privacy, providers, seed, services
from consortium.library.api import blp as api_blp
from consortium.library.models import ResourceVersion
from consortium.library.policies import version_policy
from consortium.library.views import bp
from consortium.permissions import register_policy


def init_app(app: Flask) -> None:
    register_policy(ResourceVersion, version_policy)
    app.register_blueprint(bp)
    extensions.api.register_blueprint(api_blp)
    kernel_demo.register(demo.load)
    kernel_seed.register(seed.seed)
    suggestions.register("library", providers.suggest)
    personal_data.register("library", privacy.keeper)
    counters.register(services.DOWNLOADS, services.add_downloads)
