"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from portal import create_app, prepare_to_serve

app = create_app()
prepare_to_serve(app)
