"""Reports to funders are kept: a project or grant that has one is not deleted.

A report sent to a funder is a record the county library must keep, and its drafts are the
work behind it; deleting the project or the grant would take them along (or, as the database's
foreign key refuses, end in an error). A before_flush guard refuses it, whoever deletes, with a
Swedish message that says what to do instead. Projects cannot ask this themselves: reports are
built on projects, not the other way round.
"""

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from portal.core import after_commit
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.projects.models import Grant, Project
from portal.reports.models import Report

PROJECT_HAS_REPORTS = _l(
    "Projektet har rapporter till finansiärer och kan därför inte tas bort: rapporterna är "
    "handlingar som länsbiblioteket ska bevara. Ändra i stället projektets status till Avslutat."
)
GRANT_HAS_REPORTS = _l(
    "Bidraget har rapporter till finansiären och kan därför inte tas bort: rapporterna är "
    "handlingar som länsbiblioteket ska bevara."
)


def _has_report(session: Session, condition) -> bool:
    """Asked on the flush's own connection, so the question does not flush again."""
    return bool(session.connection().scalar(select(exists().where(condition))))


def register_flush_hooks() -> None:
    after_commit.before_flush("reports_kept", _keep_reports)


def _keep_reports(session: Session) -> None:
    """Deleting a project deletes its grants too: the project's message comes first."""
    deleted = list(session.deleted)
    for obj in deleted:
        if isinstance(obj, Project) and _has_report(session, Report.project_id == obj.id):
            raise ValidationError(PROJECT_HAS_REPORTS)
    for obj in deleted:
        if isinstance(obj, Grant) and _has_report(session, Report.grant_id == obj.id):
            raise ValidationError(GRANT_HAS_REPORTS)
