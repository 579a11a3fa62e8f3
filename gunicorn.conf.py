"""gunicorn reads this file from the working directory by default.

With LOG_FORMAT=json its own lines (start, workers booting, a worker timing out) are JSON objects
too, like the portal's; the portal logs each request itself, so gunicorn's access log stays off.
"""

import os

if os.environ.get("LOG_FORMAT") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": []},
        "formatters": {"json": {"()": "portal.core.logs.JsonLineFormatter"}},
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["json"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
    }
