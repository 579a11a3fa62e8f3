"""Statistics for county library staff: money per goal area, year, funder and municipality,
projects per target group and status, indicators per goal area; charts, tables, downloads."""

from flask import Blueprint

bp = Blueprint("statistics", __name__)

from portal.statistics import models, routes  # noqa: E402,F401
