"""People with accounts: sign-up, log-in, profile, two-factor log-in and API tokens."""

from flask import Flask, abort, flash, redirect, request, url_for
from flask_login import current_user

from consortium import extensions
from consortium.errors import wants_json
from consortium.extensions import login_manager
from consortium.i18n import lazy_gettext as _l
from consortium.users import services, sessions
from consortium.users.api import blp as api_blp
from consortium.users.views import bp

# While a staff account has no second factor, it may only reach these endpoints.
_SETUP_ENDPOINTS = {"users.two_factor", "users.logout", "static", "main.set_language", "main.healthz"}


def init_app(app: Flask) -> None:
    login_manager.login_view = "users.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(sessions.load_session)
    login_manager.request_loader(_load_from_bearer_token)
    login_manager.unauthorized_handler(_unauthorized)
    app.register_blueprint(bp)
    extensions.api.register_blueprint(api_blp)
    app.teardown_request(lambda error=None: sessions.record_use())

    @app.before_request
    def require_second_factor_for_staff():
        if (
            current_user.is_authenticated
            and current_user.session_token  # a browser session, not an API token
            and current_user.needs_totp
            and request.endpoint not in _SETUP_ENDPOINTS
        ):
            flash(_l("Staff accounts must use two-factor log-in. Set it up to continue."), "warning")
            return redirect(url_for("users.two_factor"))
        return None


def current_person():
    """The logged-in user itself, not Flask-Login's proxy: for services, signals and ``by=`` arguments."""
    return current_user._get_current_object()


def _unauthorized():
    if wants_json():
        abort(401)
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for("users.login", next=request.full_path.rstrip("?")))


def _load_from_bearer_token(request):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return services.user_for_api_token(header.removeprefix("Bearer ").strip())
