"""Audit log: who did what to which object, and when."""

from flask import Flask
from sqlalchemy import event

from consortium import signals
from consortium.audit import labels, recorder
from consortium.audit.views import bp
from consortium.db import db


def init_app(app: Flask) -> None:
    labels.register(actions=labels.KERNEL_ACTIONS, objects=labels.KERNEL_OBJECTS)
    app.register_blueprint(bp)
    # Every flush of every model is recorded, so no view can forget to audit a change.
    if not event.contains(db.session, "after_flush", recorder.record_flush):
        event.listen(db.session, "after_flush", recorder.record_flush)
    signals.user_logged_in.connect(recorder.on_logged_in)
    signals.user_logged_out.connect(recorder.on_logged_out)
    signals.login_failed.connect(recorder.on_login_failed)
    signals.state_changed.connect(recorder.on_state_changed)
