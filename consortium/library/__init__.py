"""The resource library: translated guides, case studies and learning materials."""

from flask import Blueprint, Flask, render_template

from consortium.permissions import public

bp = Blueprint("library", __name__, template_folder="templates")


@bp.route("/library")
@public
def index():
    return render_template("library/index.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
