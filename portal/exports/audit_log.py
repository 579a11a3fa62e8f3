"""The admins' log of changes as a CSV file, with the filters of /admin/logg: the sentence
people read beside the raw structured fields, so the file can also be read by a program."""

import json

from flask import request

from portal.core.dates import local_time
from portal.core.i18n import _l
from portal.core.permissions import require_role
from portal.exports import bp
from portal.exports.writers import download
from portal.projects.progress.audit_log import filter_form, log_entries

HEADERS = [
    _l("Tid (svensk tid)"),
    _l("Person"),
    _l("Projekt"),
    _l("Slag"),
    _l("Beskrivning"),
    _l("Rad (tabell)"),
    _l("Rad-id"),
    _l("Händelse (kod)"),
    _l("Ändringar (fält: före, efter)"),
]


@bp.route("/admin/logg.csv")
@require_role("admin")
def audit_log():
    rows = [
        (
            local_time(readable.entry.at),
            readable.actor,
            readable.entry.project.title if readable.entry.project else "",
            readable.kind,
            readable.text,
            readable.entry.entity,
            readable.entry.entity_id,
            readable.entry.action,
            json.dumps(readable.entry.changes or {}, ensure_ascii=False, sort_keys=True),
        )
        for readable in log_entries(filter_form(request.args))
    ]
    return download(HEADERS, rows, "andringslogg", "csv")
