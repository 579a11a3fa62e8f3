"""The calendar: events (meetings, conferences such as Littfest) aimed at an audience, the
deadlines of projects, a personal iCal feed, and email reminders before a deadline."""

from flask import Blueprint

bp = Blueprint("calendar", __name__)

from portal.calendar import routes  # noqa: E402,F401
