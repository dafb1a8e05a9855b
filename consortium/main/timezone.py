"""The time-zone switcher for signed-out visitors: works without JavaScript, as the language links do.

``static/js/timezone.js`` sets the same cookie from the browser's own zone; this page is the way to
see and change it by hand. Signed-in people keep their zone in their account settings.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import HiddenField
from wtforms.validators import Optional

from consortium.forms import ListFilterForm, SelectField
from consortium.i18n import lazy_gettext as _l
from consortium.main.views import bp
from consortium.permissions import public
from consortium.timezones import TIMEZONE_COOKIE, canonical_zone, select_timezone, timezone_choices
from consortium.users.views import safe_next


class TimezoneForm(ListFilterForm):
    """A GET form: no CSRF token, so the page stays cacheable, and choosing only sets a cookie."""

    tz = SelectField(_l("Time zone"), validators=[Optional()], validate_choice=False)
    next = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz.choices = timezone_choices()


@bp.route("/timezone")
@public
def timezone():
    form = TimezoneForm(request.args)
    zone = canonical_zone(form.tz.data)
    if zone and not current_user.is_authenticated:
        response = redirect(safe_next(url_for("main.home")))
        response.set_cookie(
            TIMEZONE_COOKIE,
            zone,
            max_age=60 * 60 * 24 * 365,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response
    if form.tz.data and not zone:
        form.tz.errors = [_l("Choose a time zone from the list.")]
    form.tz.data = form.tz.data if form.tz.errors else select_timezone()
    form.next.data = safe_next("")
    return render_template("main/timezone.html", form=form), 400 if form.tz.errors else 200
