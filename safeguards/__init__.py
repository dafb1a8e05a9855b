"""Safeguards self-assessment against the UN Universal DPI Safeguards Framework."""

from flask import Blueprint, Flask, render_template

from consortium.permissions import public

bp = Blueprint("safeguards", __name__, template_folder="templates")


@bp.route("/safeguards")
@public
def index():
    return render_template("safeguards/index.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
