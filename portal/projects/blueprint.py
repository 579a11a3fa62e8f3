"""The projects blueprint, in a module of its own so that the sub-packages' routes can attach
to it without importing one another through `portal.projects`."""

from flask import Blueprint

bp = Blueprint("projects", __name__)
