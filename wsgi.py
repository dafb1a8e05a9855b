"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

from consortium.app import create_app

app = create_app()
