"""Unbound extensions; ``create_app`` binds each one to the app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from consortium.db import db
from consortium.openapi import ConsortiumApi

__all__ = ["api", "babel", "csrf", "db", "limiter", "login_manager", "migrate"]

migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = ConsortiumApi()
