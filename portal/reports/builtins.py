"""The two templates every portal has: a general progress report and Kulturrådet's form.

Kulturrådet's sections follow its reporting form in the e-service, in its order, so staff can
copy each section straight across. Its economic report wants costs equal to financing.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import Organisation
from portal.core.i18n import _l
from portal.extensions import db
from portal.projects.models import Grant
from portal.reports.models import ReportTemplate

GENERAL_NAME = "Lägesrapport (allmän)"
KULTURRADET_NAME = "Kulturrådet"

GENERAL_SECTIONS = [
    ("Sammanfattning", "narrative", _l("Några meningar om hur projektet går.")),
    ("Kontaktperson", "contact_person", ""),
    ("Diarienummer", "case_number", ""),
    ("Genomfört under perioden", "updates", _l("Redigera gärna: stryk det som inte hör hit.")),
    ("Milstolpar", "milestones", ""),
    ("Indikatorer", "indicators", ""),
    ("Målgrupper", "target_groups", ""),
    ("Deltagande organisationer", "participants", ""),
    ("Ekonomi", "economy", ""),
    ("Nästa period", "narrative", _l("Vad planeras till nästa rapport?")),
]
KULTURRADET_SECTIONS = [
    ("Bidragsmottagare", "recipient", ""),
    ("Kontaktperson", "contact_person", ""),
    ("Diarienummer", "case_number", ""),
    (
        "Vad har genomförts",
        "updates",
        _l("Beskriv vad som har genomförts under perioden i förhållande till ansökan."),
    ),
    (
        "Måluppfyllelse",
        "indicators",
        _l("Hur väl har projektets mål uppnåtts? Kommentera indikatorerna."),
    ),
    ("Målgrupp och räckvidd", "target_groups", _l("Vilka har nåtts, och hur många?")),
    ("Samarbetsparter", "participants", ""),
    (
        "Förändringar jämfört med ansökan",
        "narrative",
        _l("Har något ändrats jämfört med ansökan? Beskriv vad och varför."),
    ),
    (
        "Ekonomisk redovisning",
        "economy",
        _l("Kulturrådet kräver att kostnaderna är lika stora som finansieringen."),
    ),
]


def _sections(rows) -> list[dict]:
    return [
        {"title": title, "source": source, "guidance": str(guidance)}
        for title, source, guidance in rows
    ]


def template_for_grant(grant: Grant, templates: list[ReportTemplate]) -> ReportTemplate | None:
    """The template made for the grant's funder, else the first general one (no funder)."""
    for template in templates:
        if template.funder_id == grant.funder_id:
            return template
    return next((template for template in templates if template.funder_id is None), None)


def active_templates() -> list[ReportTemplate]:
    """Templates in use, the built-in ones first."""
    return list(
        db.session.scalars(
            select(ReportTemplate)
            .where(ReportTemplate.is_retired.is_(False))
            .order_by(ReportTemplate.is_builtin.desc(), ReportTemplate.id)
        )
    )


def builtin_templates() -> list[dict]:
    """The built-in templates as rows: name, description, the funder's name (or None) and the
    sections. Migration 0018 holds a copy of these; a change here needs a revision too
    (tests/test_migrations.py compares the two)."""
    return [
        {
            "name": GENERAL_NAME,
            "description": "Allmän lägesrapport för vilken finansiär som helst.",
            "funder_name": None,
            "sections": _sections(GENERAL_SECTIONS),
        },
        {
            "name": KULTURRADET_NAME,
            "description": "Avsnitten följer Kulturrådets redovisningsformulär i e-tjänsten.",
            "funder_name": KULTURRADET_NAME,
            "sections": _sections(KULTURRADET_SECTIONS),
        },
    ]


def add_builtin_templates() -> list[ReportTemplate]:
    """Add the built-in templates that are missing (by name) and give a built-in template
    without a funder its funder once that organisation exists; returns both. No commit.

    Migration 0018 seeds them in a migrated database; the demo and the tests, whose schema
    comes from `create_all`, call this. No page does: a GET changes nothing."""
    existing = {
        template.name: template
        for template in db.session.scalars(
            select(ReportTemplate).where(ReportTemplate.name.in_([GENERAL_NAME, KULTURRADET_NAME]))
        )
    }
    for row in builtin_templates():
        funder = _organisation_named(row["funder_name"])
        template = existing.get(row["name"])
        if template is None:
            template = ReportTemplate(
                name=row["name"],
                description=row["description"],
                sections=row["sections"],
                is_builtin=True,
            )
            db.session.add(template)
            existing[row["name"]] = template
        if template.is_builtin and template.funder_id is None and funder is not None:
            template.funder_id = funder.id
    db.session.flush()
    return [existing[GENERAL_NAME], existing[KULTURRADET_NAME]]


def _organisation_named(name: str | None) -> Organisation | None:
    if name is None:
        return None
    return db.session.scalar(select(Organisation).where(Organisation.name == name))
