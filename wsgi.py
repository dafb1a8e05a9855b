"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

from consortium.app import create_app, settle_worker

app = create_app()
settle_worker()
