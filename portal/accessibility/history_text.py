"""How the statement and the reported barriers read in the admins' change log (registered with
`portal.core.audit_text` when the feature is imported)."""

from portal.accessibility.models import REPORT_STATUSES, BarrierReport
from portal.core.audit_text import DATE, Entity, Field, name_loader, register_entity, register_names
from portal.core.i18n import _l

REPORTS = "barrier_report"


def register() -> None:
    register_names(REPORTS, name_loader(BarrierReport.id, BarrierReport.page))
    register_entity(
        "accessibility_statement",
        Entity(
            _l("Tillgänglighetsredogörelse"),
            _l("Tillgänglighetsredogörelsen"),
            _l("Tillgänglighetsredogörelsen"),
            {"body": Field(_l("Text")), "assessed_on": Field(_l("Bedömningen gjord"), DATE)},
        ),
    )
    register_entity(
        REPORTS,
        Entity(
            _l("Rapporterad brist"),
            _l("Den rapporterade bristen på %(name)s"),
            _l("En rapporterad brist"),
            {"status": Field(_l("Status"), choices=REPORT_STATUSES)},
            names=REPORTS,
        ),
    )


register()
