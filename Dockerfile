# One image for web (gunicorn), worker (celery worker) and beat (celery beat); docker-compose.yml
# picks the command. The code runs from /app, where templates/, migrations/ and config.py live
# beside the portal package.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    PORTAL_ENV=production \
    PORTAL_INSTANCE_DIR=/var/lib/portal

WORKDIR /app

# WeasyPrint (report PDFs) needs Pango, HarfBuzz's subsetter and a font with å, ä and ö.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies in their own layer, rebuilt only when pyproject.toml or constraints.txt change.
# The project is installed from a stub package and then removed: the real code is imported from
# /app (PYTHONPATH), because templates/ and migrations/ sit outside the package.
COPY pyproject.toml constraints.txt README.md ./
RUN mkdir portal \
    && touch portal/__init__.py \
    && pip install --no-cache-dir -c constraints.txt . \
    && pip uninstall --yes portal \
    && rm -rf portal build portal.egg-info

COPY . .
RUN pybabel compile -d portal/translations

# Run as an unprivileged user. It owns only the instance folder (beat keeps its schedule in
# /var/lib/portal/beat, uploaded documents live in /var/lib/portal/documents; docker-compose.yml
# mounts both as volumes); the code stays root's.
RUN groupadd --system portal \
    && useradd --system --gid portal --home-dir /var/lib/portal --no-create-home portal \
    && mkdir -p /var/lib/portal/beat /var/lib/portal/documents \
    && chown -R portal:portal /var/lib/portal
USER portal

EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "wsgi:app"]
