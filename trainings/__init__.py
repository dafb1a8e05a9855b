"""DPI trainings: catalogue, registration, attendance, certificates and disseminator reach."""

from flask import Blueprint, Flask, render_template

from consortium.permissions import public

bp = Blueprint("trainings", __name__, template_folder="templates")


@bp.route("/trainings")
@public
def index():
    return render_template("trainings/index.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
