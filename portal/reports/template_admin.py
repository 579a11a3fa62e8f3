"""Report templates kept by admins: section titles and which data each is drafted from."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from portal.accounts.models import Organisation, User
from portal.core.errors import ValidationError
from portal.core.i18n import _l
from portal.extensions import db
from portal.reports.models import ReportTemplate
from portal.reports.sources import is_source, source_choices

log = logging.getLogger(__name__)


def templates() -> list[ReportTemplate]:
    return list(
        db.session.scalars(
            select(ReportTemplate).order_by(ReportTemplate.is_retired, ReportTemplate.name)
        )
    )


def template_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(ReportTemplate.id, ReportTemplate.name)
        .where(ReportTemplate.is_retired.is_(False))
        .order_by(ReportTemplate.is_builtin.desc(), ReportTemplate.name)
    )
    return [(row.id, row.name) for row in rows]


def save_template(
    actor: User,
    template: ReportTemplate | None,
    *,
    name: str,
    description: str,
    funder_id: int | None,
    rows: list[tuple[str, str, str]],
) -> ReportTemplate:
    """Rows are (title, source, guidance); blank rows are skipped, an unknown source is
    refused beside its row (field "sections-<n>-source")."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_l("Ge mallen ett namn."), field="name")
    clash = db.session.scalar(
        select(func.count())
        .select_from(ReportTemplate)
        .where(
            ReportTemplate.name == name,
            ReportTemplate.id != (template.id if template else -1),
        )
    )
    if clash:
        raise ValidationError(_l("Det finns redan en mall med det namnet."), field="name")
    if funder_id is not None and db.session.get(Organisation, funder_id) is None:
        raise ValidationError(_l("Välj en finansiär i listan."), field="funder_id")
    sections = []
    for index, (title, source, guidance) in enumerate(rows):
        title, source, guidance = (title or "").strip(), (source or "").strip(), guidance or ""
        if not title and not source:
            continue
        if not is_source(source):
            known = ", ".join(label for _name, label in source_choices())
            raise ValidationError(
                _l(
                    "Okänt underlag ”%(source)s”. Välj ett av: %(known)s.",
                    source=source or "–",
                    known=known,
                ),
                field=f"sections-{index}-source",
            )
        if not title:
            raise ValidationError(
                _l("Skriv en rubrik för avsnittet."), field=f"sections-{index}-title"
            )
        sections.append({"title": title, "source": source, "guidance": guidance.strip()})
    if not sections:
        raise ValidationError(_l("En mall behöver minst ett avsnitt."), field="sections-0-title")
    if template is None:
        template = ReportTemplate()
        db.session.add(template)
    template.name = name
    template.description = (description or "").strip()
    template.funder_id = funder_id
    template.sections = sections
    db.session.flush()
    log.info("Report template %r saved by %s", name, actor.email)
    return template
