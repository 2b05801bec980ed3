"""WSGI entry point: `gunicorn wsgi:app`."""

from mediation import create_app

app = create_app()
