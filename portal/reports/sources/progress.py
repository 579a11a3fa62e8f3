"""What happened in the period: updates, milestones reached and missed, indicators against their
targets (in total and per municipality)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from portal.accounts.models import User
from portal.core.markdown import markdown_excerpt
from portal.core.numbers import format_number, format_share, share_of
from portal.extensions import db
from portal.projects.models import Indicator, Measurement, Milestone, ProgressUpdate
from portal.reports.sources.period import Draft, Period

UPDATE_EXCERPT_CHARS = 600
DRAFTED_UPDATES = 12
DRAFTED_EXCERPT_CHARS = 300


def draft_updates(period: Period) -> Draft:
    """Only the updates reported inside the period, oldest first, as the funder reads a story."""
    rows = db.session.execute(
        select(
            ProgressUpdate.reported_on,
            ProgressUpdate.municipality,
            ProgressUpdate.text,
            User.name.label("author"),
        )
        .join(User, User.id == ProgressUpdate.author_id)
        .where(
            ProgressUpdate.project_id == period.project.id,
            ProgressUpdate.reported_on >= period.starts_on,
            ProgressUpdate.reported_on <= period.ends_on,
        )
        .order_by(ProgressUpdate.reported_on, ProgressUpdate.id)
    ).all()
    log = {
        "caption": _(
            "Uppdateringar %(start)s–%(end)s",
            start=period.starts_on.isoformat(),
            end=period.ends_on.isoformat(),
        ),
        "columns": [_("Datum"), _("Kommun"), _("Vad som hände")],
        "numeric": [False, False, False],
        "rows": [
            [
                row.reported_on.isoformat(),
                row.municipality or "–",
                markdown_excerpt(row.text, UPDATE_EXCERPT_CHARS),
            ]
            for row in rows
        ],
        # The whole log is the staff's material for the text; the funder reads the text.
        "document": False,
    }
    per_municipality = Counter(row.municipality or "–" for row in rows)
    summary = {
        "caption": _("Uppdateringar per kommun"),
        "columns": [_("Kommun"), _("Uppdateringar")],
        "numeric": [False, True],
        "rows": [[name, str(count)] for name, count in sorted(per_municipality.items())],
    }
    return Draft(
        data={"tables": [log, summary], "figures": {"count": len(rows)}},
        text=_drafted_story(rows),
    )


def _drafted_story(rows) -> str:
    """The updates as a first draft of the story: all of them when they are few, else the
    latest DRAFTED_UPDATES, so a busy period still drafts a readable text to edit."""
    if not rows:
        return _("Inga uppdateringar rapporterades under perioden.")
    shown = rows[-DRAFTED_UPDATES:]
    lines = [
        f"{row.reported_on.isoformat()}"
        + (f" ({row.municipality})" if row.municipality else "")
        + f": {markdown_excerpt(row.text, DRAFTED_EXCERPT_CHARS)}"
        for row in shown
    ]
    if len(shown) < len(rows):
        intro = _(
            "Under perioden rapporterades %(count)s uppdateringar. De %(shown)s senaste:",
            count=len(rows),
            shown=len(shown),
        )
    else:
        intro = _("Under perioden har projektet genomfört följande:")
    return intro + "\n" + "\n".join(f"– {line}" for line in lines)


def draft_milestones(period: Period) -> Draft:
    """Reached: done inside the period. Missed: due by the end of the period and not done by
    then, whenever they were due (an old miss is still open)."""
    rows = db.session.execute(
        select(Milestone.title, Milestone.due_on, Milestone.done_on)
        .where(
            Milestone.project_id == period.project.id,
            (
                Milestone.done_on.between(period.starts_on, period.ends_on)
                | (
                    (Milestone.due_on <= period.ends_on)
                    & (Milestone.done_on.is_(None) | (Milestone.done_on > period.ends_on))
                )
            ),
        )
        .order_by(Milestone.due_on, Milestone.id)
    ).all()
    reached = [
        row
        for row in rows
        if row.done_on is not None and period.starts_on <= row.done_on <= period.ends_on
    ]
    missed = [row for row in rows if row not in reached]

    def state(row) -> str:
        if row in missed:
            return _("Missad")
        if row.done_on > row.due_on:
            return _("Nådd, försenad")
        return _("Nådd")

    table = {
        "caption": _("Milstolpar under perioden"),
        "columns": [_("Milstolpe"), _("Planerad"), _("Klar"), _("Läge")],
        "numeric": [False, False, False, False],
        "rows": [
            [
                row.title,
                row.due_on.isoformat(),
                row.done_on.isoformat() if row in reached else "–",
                state(row),
            ]
            for row in rows
        ],
    }
    parts = []
    if reached:
        parts.append(
            _("Nådda milstolpar: %(titles)s.", titles=", ".join(row.title for row in reached))
        )
    if missed:
        parts.append(
            _("Missade milstolpar: %(titles)s.", titles=", ".join(row.title for row in missed))
        )
    text = " ".join(parts) or _("Inga milstolpar låg inom perioden.")
    figures = {"reached": [row.title for row in reached], "missed": [row.title for row in missed]}
    return Draft(data={"tables": [table], "figures": figures}, text=text)


def draft_indicators(period: Period) -> Draft:
    """Per indicator: the value in the period and up to its end, against the target; per
    municipality up to the end; a bar chart of the share of each target reached."""
    in_period = Measurement.measured_on.between(period.starts_on, period.ends_on)
    sums = db.session.execute(
        select(
            Measurement.indicator_id,
            Measurement.municipality,
            func.sum(case((in_period, Measurement.value), else_=0)).label("in_period"),
            func.sum(Measurement.value).label("to_date"),
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(Indicator.project_id == period.project.id, Measurement.measured_on <= period.ends_on)
        .group_by(Measurement.indicator_id, Measurement.municipality)
    ).all()
    indicators = db.session.execute(
        select(Indicator.id, Indicator.name, Indicator.unit, Indicator.target)
        .where(Indicator.project_id == period.project.id)
        .order_by(Indicator.id)
    ).all()
    totals = {row.id: [Decimal(0), Decimal(0)] for row in indicators}
    municipalities: dict[str, dict[int, Decimal]] = {}
    no_municipality = _("Ingen kommun angiven")
    for row in sums:
        totals[row.indicator_id][0] += Decimal(row.in_period or 0)
        totals[row.indicator_id][1] += Decimal(row.to_date or 0)
        per = municipalities.setdefault(row.municipality or no_municipality, {})
        per[row.indicator_id] = per.get(row.indicator_id, Decimal(0)) + Decimal(row.to_date or 0)

    def share(indicator, actual: Decimal) -> str:
        return format_share(share_of(actual, indicator.target))

    table = {
        "caption": _("Indikatorer mot mål"),
        "columns": [
            _("Indikator"),
            _("Under perioden"),
            _("Till och med %(date)s", date=period.ends_on.isoformat()),
            _("Mål"),
            _("Andel av målet"),
        ],
        "numeric": [False, True, True, True, True],
        "rows": [
            [
                indicator.name,
                f"{format_number(totals[indicator.id][0])} {indicator.unit}",
                f"{format_number(totals[indicator.id][1])} {indicator.unit}",
                f"{format_number(indicator.target)} {indicator.unit}" if indicator.target else "–",
                share(indicator, totals[indicator.id][1]),
            ]
            for indicator in indicators
        ],
    }
    tables = [table]
    named = [name for name in municipalities if name != no_municipality]
    if named:
        names = sorted(named) + ([no_municipality] if no_municipality in municipalities else [])
        tables.append(
            {
                "caption": _(
                    "Indikatorer per kommun till och med %(date)s", date=period.ends_on.isoformat()
                ),
                "columns": [_("Kommun"), *[indicator.name for indicator in indicators]],
                "numeric": [False, *[True for _indicator in indicators]],
                "rows": [
                    [
                        name,
                        *[
                            format_number(municipalities[name].get(indicator.id, Decimal(0)))
                            for indicator in indicators
                        ],
                    ]
                    for name in names
                ],
            }
        )
    bars = [
        {
            "label": indicator.name,
            "value": float(totals[indicator.id][1]),
            "target": float(indicator.target),
            "unit": indicator.unit,
        }
        for indicator in indicators
        if indicator.target
    ]
    data: dict = {"tables": tables}
    if bars:
        data["chart"] = {
            "title": _("Utfall mot mål till och med %(date)s", date=period.ends_on.isoformat()),
            "bars": bars,
        }
    if indicators:
        text = " ".join(
            _(
                "%(name)s: %(actual)s av målet %(target)s %(unit)s.",
                name=indicator.name,
                actual=format_number(totals[indicator.id][1]),
                target=format_number(indicator.target) if indicator.target else "–",
                unit=indicator.unit,
            )
            for indicator in indicators
        )
    else:
        text = _("Projektet har inga indikatorer.")
    return Draft(data=data, text=text)
