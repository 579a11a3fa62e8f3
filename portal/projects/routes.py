"""Project pages. Feature routes live in their own modules and register on the same blueprint."""

from portal.projects import models  # noqa: F401  (the models belong to the app from the start)
