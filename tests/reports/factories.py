"""A Bokstart-like project with a Kulturrådet grant, and reports drafted for it."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.accounts.models import Organisation
from portal.extensions import db
from portal.projects.models import (
    Indicator,
    Measurement,
    Milestone,
    ProgressUpdate,
)
from portal.reports import services
from portal.reports.builtins import KULTURRADET_NAME, add_builtin_templates
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_project, make_target_group
from tests.projects.funding_factories import (
    make_budget_line,
    make_contribution,
    make_expense,
    make_grant,
)

FIRST_HALF = (date(2016, 1, 1), date(2016, 6, 30))


def organisation(name, kind="municipal_library", **fields):
    """The organisation of that name, made once: several Bokstart projects share them."""
    found = db.session.scalar(select(Organisation).where(Organisation.name == name))
    return found or make_organisation(name, kind=kind, **fields)


def bokstart_project(lead=None, slug="bokstart-vasternorrland"):
    """Kulturrådet grant 600 000 kr (KUR 2015/1234, 2016-01-01–2017-02-28), the region's
    150 000 kr and Kramfors' 50 000 kr; budget 800 000 kr, so costs equal financing. The
    built-in report templates are there, as in a migrated database."""
    lead = lead or make_user(role="member", name="Lena Ledare", email=f"lena@{slug}.example")
    kramfors = organisation("Kramfors bibliotek", municipality_name="Kramfors")
    timra = organisation("Timrå bibliotek", municipality_name="Timrå")
    families = make_target_group()
    project = make_project(
        "Bokstart Västernorrland",
        slug=slug,
        lead=lead,
        participants=[kramfors, timra],
        starts_on=date(2016, 1, 1),
        ends_on=date(2017, 2, 28),
    )
    project.target_groups.append(families)
    kulturradet = organisation("Kulturrådet", kind="funder")
    grant = make_grant(
        project,
        funder=kulturradet,
        amount_ore=600_000_00,
        case_number="KUR 2015/1234",
        period_starts_on=date(2016, 1, 1),
        period_ends_on=date(2017, 2, 28),
    )
    region = make_contribution(
        project, organisation("Region Västernorrland", kind="other"), 150_000_00
    )
    municipality = make_contribution(
        project, organisation("Kramfors kommun", kind="other"), 50_000_00
    )
    staff_line = make_budget_line(project, 500_000_00, grant=grant, description="Projektledare")
    books = make_budget_line(
        project, 100_000_00, grant=grant, category="materials", description="Böcker"
    )
    make_budget_line(project, 150_000_00, contribution=region, description="Samordnare")
    make_budget_line(project, 50_000_00, contribution=municipality, category="events")
    make_expense(staff_line, 40_000_00, "Lön januari", date(2016, 1, 25))
    make_expense(books, 12_500_00, "Bokpåsar", date(2016, 3, 10))
    make_expense(staff_line, 40_000_00, "Lön juli", date(2016, 7, 25))  # after the period
    db.session.add_all(
        [
            ProgressUpdate(
                project=project,
                author=lead,
                reported_on=date(2016, 2, 3),
                text="Första hembesöken i Kramfors.",
                municipality="Kramfors",
            ),
            ProgressUpdate(
                project=project,
                author=lead,
                reported_on=date(2016, 5, 20),
                text="Bokpåsar till BVC i Timrå.",
                municipality="Timrå",
            ),
            ProgressUpdate(
                project=project,
                author=lead,
                reported_on=date(2016, 9, 1),
                text="Höstens träffar planerade.",
            ),
            ProgressUpdate(
                project=project,
                author=lead,
                reported_on=date(2015, 12, 1),
                text="Förberedelser före starten.",
            ),
            Milestone(
                project=project,
                title="Utbildning för BVC-personal",
                due_on=date(2016, 3, 1),
                done_on=date(2016, 2, 25),
            ),
            Milestone(project=project, title="Bokpåsar tryckta", due_on=date(2016, 5, 1)),
            Milestone(project=project, title="Slutkonferens", due_on=date(2017, 2, 1)),
        ]
    )
    families_reached = Indicator(
        project=project,
        name="Familjer som nåtts",
        unit="familjer",
        target=Decimal(400),
        target_group=families,
    )
    db.session.add(families_reached)
    db.session.add_all(
        [
            Measurement(
                indicator=families_reached,
                measured_on=date(2016, 2, 3),
                value=Decimal(60),
                municipality="Kramfors",
            ),
            Measurement(
                indicator=families_reached,
                measured_on=date(2016, 5, 20),
                value=Decimal(40),
                municipality="Timrå",
            ),
            Measurement(
                indicator=families_reached,
                measured_on=date(2016, 9, 1),
                value=Decimal(100),
                municipality="Timrå",
            ),
        ]
    )
    add_builtin_templates()  # as migration 0018 and the demo do
    db.session.commit()
    return project


def kulturradet_template():
    templates = add_builtin_templates()
    db.session.commit()
    return next(template for template in templates if template.name == KULTURRADET_NAME)


def make_report(project=None, actor=None, period=FIRST_HALF, template=None):
    project = project or bokstart_project()
    report = services.create_report(
        project,
        grant=project.grants[0],
        template=template or kulturradet_template(),
        kind="progress_report",
        period_starts_on=period[0],
        period_ends_on=period[1],
        actor=actor,
    )
    db.session.commit()
    return report


def section(version, title):
    return next(section for section in version.sections if section["title"] == title)
