"""Site-wide pages: home and /home, health check, language and time-zone switches, the API's documentation."""

from flask import Flask

from consortium.main import home, timezone  # noqa: F401  (their routes join the blueprint)
from consortium.main.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
