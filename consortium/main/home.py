"""/home: a signed-in person's own page, where log-in lands.

Everything on it comes through ``consortium.worklist``: the sections features register (their
registrations, certificates, organisations, invitations) and, for staff, the queue of what waits for
them with counts. One query per provider, whatever the person holds.
"""

from __future__ import annotations

from flask import render_template

from consortium.forms import PostForm
from consortium.main.views import bp
from consortium.permissions import require
from consortium.users import current_person
from consortium.worklist import sections_for, waiting_for


@bp.route("/home")
@require()
def my_home():
    user = current_person()
    return render_template(
        "main/my_home.html",
        queue=waiting_for(user) if user.is_staff else [],
        sections=sections_for(user),
        post_form=PostForm(),
    )
