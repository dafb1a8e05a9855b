"""Site-wide pages: home, health check, language switch and the API's human documentation."""

from flask import Flask

from consortium.main.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
