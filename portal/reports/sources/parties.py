"""Who is who in a report: the grant's recipient, the contact person, the case number, the
participating organisations and the target groups reached."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.accounts.models import ORGANISATION_KINDS, Organisation, User
from portal.core.numbers import format_money, format_number
from portal.extensions import db
from portal.projects.models import (
    PARTICIPANT_ROLES,
    Indicator,
    Measurement,
    ProjectParticipant,
    TargetGroup,
    project_target_groups,
)
from portal.reports.sources.period import Draft, Period


def _participants(period: Period):
    return db.session.execute(
        select(
            Organisation.name,
            Organisation.kind,
            Organisation.municipality_name,
            ProjectParticipant.role,
        )
        .join(ProjectParticipant, ProjectParticipant.organisation_id == Organisation.id)
        .where(ProjectParticipant.project_id == period.project.id)
        .order_by(
            ProjectParticipant.role != "lead_applicant",
            ProjectParticipant.role != "co_applicant",
            Organisation.name,
        )
    ).all()


def _grant_holder(period: Period) -> str | None:
    """Kulturrådet's "Bidragsmottagare": the organisation that holds the grant, not the
    project's lead applicant (a municipal library may lead the work of a county project).

    A grant records no holder of its own; the portal's projects are run by the county library,
    which applies for and receives their grants. So the holder is the county library (the one
    taking part in the project where there are several); in a portal without one, the lead
    applicant, else the project lead's organisation.
    """
    participating = select(ProjectParticipant.organisation_id).where(
        ProjectParticipant.project_id == period.project.id
    )
    county_library = db.session.scalar(
        select(Organisation.name)
        .where(Organisation.kind == "county_library")
        .order_by(Organisation.id.not_in(participating), Organisation.id)
        .limit(1)
    )
    if county_library is not None:
        return county_library
    rows = [row for row in _participants(period) if row.role == "lead_applicant"]
    if rows:
        return rows[0].name
    if period.project.lead_id is None:
        return None
    return db.session.scalar(
        select(Organisation.name)
        .join(User, User.organisation_id == Organisation.id)
        .where(User.id == period.project.lead_id)
    )


def draft_recipient(period: Period) -> Draft:
    name = _grant_holder(period)
    funder = db.session.get(Organisation, period.grant.funder_id)
    facts = [
        [_("Bidragsmottagare"), name or "–"],
        [_("Projekt"), period.project.title],
        [_("Bidragsgivare"), funder.name if funder else "–"],
    ]
    text = _(
        "%(recipient)s tar emot bidraget för projektet %(project)s.",
        recipient=name or _("Bidragsmottagaren"),
        project=period.project.title,
    )
    return Draft(data={"facts": facts}, text=text)


def draft_contact(period: Period) -> Draft:
    lead = (
        period.project.lead_id
        and db.session.execute(
            select(User.name, User.email, Organisation.name.label("organisation"))
            .outerjoin(Organisation, Organisation.id == User.organisation_id)
            .where(User.id == period.project.lead_id)
        ).one_or_none()
    )
    if not lead:
        facts = [[_("Kontaktperson"), "–"]]
        return Draft(data={"facts": facts}, text=_("Projektet har ingen projektledare angiven."))
    facts = [
        [_("Kontaktperson"), lead.name],
        [_("E-post"), lead.email],
        [_("Organisation"), lead.organisation or "–"],
    ]
    text = _(
        "Kontaktperson är projektledaren %(name)s, %(email)s.", name=lead.name, email=lead.email
    )
    return Draft(data={"facts": facts}, text=text)


def draft_case_number(period: Period) -> Draft:
    grant = period.grant
    funder = db.session.get(Organisation, grant.funder_id)
    grant_period = "–"
    if grant.period_starts_on and grant.period_ends_on:
        grant_period = f"{grant.period_starts_on.isoformat()}–{grant.period_ends_on.isoformat()}"
    report_period = f"{period.starts_on.isoformat()}–{period.ends_on.isoformat()}"
    facts = [
        [_("Diarienummer"), grant.case_number or "–"],
        [_("Bidragsgivare"), funder.name if funder else "–"],
        [_("Beviljat belopp"), format_money(grant.amount_ore)],
        [_("Beslutsdatum"), grant.decided_on.isoformat() if grant.decided_on else "–"],
        [_("Bidragsperiod"), grant_period],
        [_("Rapportperiod"), report_period],
    ]
    text = _(
        "Diarienummer %(case)s. Rapporten gäller perioden %(period)s.",
        case=grant.case_number or "–",
        period=report_period,
    )
    return Draft(data={"facts": facts, "figures": {"case_number": grant.case_number}}, text=text)


def draft_participants(period: Period) -> Draft:
    rows = _participants(period)
    table = {
        "caption": _("Deltagande organisationer"),
        "columns": [_("Organisation"), _("Roll"), _("Slag"), _("Kommun")],
        "numeric": [False, False, False, False],
        "rows": [
            [
                row.name,
                str(PARTICIPANT_ROLES.get(row.role, row.role)),
                str(ORGANISATION_KINDS.get(row.kind, row.kind)),
                row.municipality_name or "–",
            ]
            for row in rows
        ],
    }
    if rows:
        text = _(
            "I projektet deltar %(count)d organisationer: %(names)s.",
            count=len(rows),
            names=", ".join(row.name for row in rows),
        )
    else:
        text = _("Inga deltagande organisationer är registrerade.")
    return Draft(data={"tables": [table], "figures": {"count": len(rows)}}, text=text)


def draft_target_groups(period: Period) -> Draft:
    """The project's target groups, with what the indicators tied to each group reached by the
    end of the period."""
    groups = db.session.execute(
        select(TargetGroup.id, TargetGroup.name)
        .join(project_target_groups, project_target_groups.c.target_group_id == TargetGroup.id)
        .where(project_target_groups.c.project_id == period.project.id)
        .order_by(TargetGroup.position, TargetGroup.name)
    ).all()
    reach = db.session.execute(
        select(
            Indicator.target_group_id,
            Indicator.name,
            Indicator.unit,
            Indicator.target,
            func.coalesce(func.sum(Measurement.value), 0).label("actual"),
        )
        .outerjoin(
            Measurement,
            (Measurement.indicator_id == Indicator.id)
            & (Measurement.measured_on <= period.ends_on),
        )
        .where(Indicator.project_id == period.project.id, Indicator.target_group_id.is_not(None))
        .group_by(
            Indicator.id,
            Indicator.target_group_id,
            Indicator.name,
            Indicator.unit,
            Indicator.target,
        )
        .order_by(Indicator.id)
    ).all()
    by_group: dict[int, list] = {}
    for row in reach:
        by_group.setdefault(row.target_group_id, []).append(row)
    names = {group.id: group.name for group in groups}
    for group_id in by_group:
        if group_id not in names:
            names[group_id] = db.session.get(TargetGroup, group_id).name
    table_rows = []
    for group_id, name in names.items():
        measured = by_group.get(group_id, [])
        if not measured:
            table_rows.append([name, "–", "–", "–"])
        for row in measured:
            table_rows.append(
                [
                    name,
                    row.name,
                    f"{format_number(Decimal(row.actual))} {row.unit}",
                    f"{format_number(row.target)} {row.unit}" if row.target else "–",
                ]
            )
    table = {
        "caption": _(
            "Målgrupper och räckvidd till och med %(date)s", date=period.ends_on.isoformat()
        ),
        "columns": [_("Målgrupp"), _("Indikator"), _("Utfall"), _("Mål")],
        "numeric": [False, False, True, True],
        "rows": table_rows,
    }
    if names:
        text = _("Projektet vänder sig till %(groups)s.", groups=", ".join(names.values()))
    else:
        text = _("Inga målgrupper är angivna för projektet.")
    return Draft(data={"tables": [table]}, text=text)
