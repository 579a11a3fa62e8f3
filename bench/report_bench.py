"""Drafting a funder report and rendering its PDF, for a project with a long record.

The project has 200 progress updates, 50 budget lines with expenses, milestones and indicators
with measurements in three municipalities, all inside the report's period. Each round drafts a
new Kulturrådet report from that record (`create_report`), renders its document and the PDF
(`render_pdf`), and rolls back. Printed beside it, measured in the same run: the floor, a
one-page PDF of a single paragraph, i.e. what WeasyPrint costs before any of our work. Target:
median of 5 rounds ≤ 1 s.
"""

import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from flask_migrate import upgrade

UPDATES = 200
BUDGET_LINES = 50
ROUNDS = 5
TARGET_SECONDS = 1.0
PERIOD = (date(2016, 1, 1), date(2016, 6, 30))
FLOOR_HTML = (
    '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Golv</title></head>'
    "<body><h1>Golv</h1><p>Ett stycke.</p></body></html>"
)


def seed_bokstart():
    """The project and its record; returns (project, grant, template)."""
    from sqlalchemy import select

    from portal.accounts.models import Organisation, User
    from portal.extensions import db
    from portal.projects.models import (
        BudgetLine,
        Expense,
        GoalArea,
        Grant,
        Indicator,
        Measurement,
        Milestone,
        PlanPeriod,
        ProgressUpdate,
        Project,
    )
    from portal.reports.builtins import add_builtin_templates
    from portal.reports.models import ReportTemplate

    lead = User(email="lead@bench.example", name="Erik Sjölund", role="staff", password_hash="x")
    funder = Organisation(name="Kulturrådet", kind="funder")
    period = PlanPeriod(name="2014–2017", starts_on=date(2014, 1, 1), ends_on=date(2017, 12, 31))
    goal_area = GoalArea(plan_period=period, name="Litteratur och läsfrämjande")
    project = Project(
        slug="bokstart-bench",
        title="Bokstart Västernorrland",
        goal_area=goal_area,
        status="running",
        lead=lead,
        starts_on=date(2016, 1, 1),
        ends_on=date(2017, 2, 28),
    )
    grant = Grant(
        project=project,
        funder=funder,
        case_number="KUR 2015/1234",
        amount_ore=600_000_00,
        period_starts_on=date(2016, 1, 1),
        period_ends_on=date(2017, 2, 28),
    )
    db.session.add_all([lead, funder, project, grant])
    days = (PERIOD[1] - PERIOD[0]).days
    municipalities = ("Kramfors", "Sollefteå", "Ånge")
    for number in range(UPDATES):
        db.session.add(
            ProgressUpdate(
                project=project,
                author=lead,
                reported_on=PERIOD[0] + timedelta(days=number * days // UPDATES),
                text=f"Uppdatering {number}: bokpåsar delade ut på BVC i "
                f"{municipalities[number % 3]}, samtal med föräldrar om läsning. " * 3,
                municipality=municipalities[number % 3],
            )
        )
    for number in range(BUDGET_LINES):
        line = BudgetLine(
            project=project,
            category="personnel" if number % 2 else "material",
            description=f"Kostnadspost {number}",
            planned_ore=12_000_00,
            grant=grant,
        )
        db.session.add(line)
        for month in range(3):
            db.session.add(
                Expense(
                    budget_line=line,
                    spent_on=date(2016, month + 1, 15),
                    amount_ore=1_500_00,
                    text=f"Utgift {month}",
                )
            )
    for number in range(12):
        db.session.add(
            Milestone(
                project=project,
                title=f"Milstolpe {number}",
                due_on=PERIOD[0] + timedelta(days=number * 15),
                done_on=PERIOD[0] + timedelta(days=number * 15) if number % 3 else None,
            )
        )
    for number in range(4):
        indicator = Indicator(
            project=project, name=f"Familjer nådda {number}", unit="st", target=Decimal(400)
        )
        db.session.add(indicator)
        for month in range(6):
            for municipality in municipalities:
                db.session.add(
                    Measurement(
                        indicator=indicator,
                        measured_on=date(2016, month + 1, 28),
                        value=Decimal(10 + month),
                        municipality=municipality,
                    )
                )
    db.session.flush()
    add_builtin_templates()
    template = db.session.scalar(select(ReportTemplate).where(ReportTemplate.name == "Kulturrådet"))
    db.session.commit()
    return project, grant, template


def draft_and_render(project, grant, template) -> tuple[float, int]:
    from portal.core.pdf import render_pdf
    from portal.extensions import db
    from portal.reports.document import render_document
    from portal.reports.services import create_report

    started = time.perf_counter()
    report = create_report(
        project,
        grant=grant,
        template=template,
        kind="progress_report",
        period_starts_on=PERIOD[0],
        period_ends_on=PERIOD[1],
        actor=None,
    )
    db.session.flush()
    pdf = render_pdf(render_document(report), title=project.title)
    elapsed = time.perf_counter() - started
    db.session.rollback()
    return elapsed, len(pdf)


def floor_pdf() -> float:
    from portal.core.pdf import render_pdf

    started = time.perf_counter()
    render_pdf(FLOOR_HTML, title="Golv")
    return time.perf_counter() - started


def run(tools) -> None:
    """`python -m bench report`: in a fresh PostgreSQL database, dropped afterwards."""
    from portal import create_app

    name = tools.create_database()
    try:
        app = create_app("development", {"SQLALCHEMY_DATABASE_URI": tools.database_url(name)})
        with app.app_context(), app.test_request_context():
            upgrade()
            project, grant, template = seed_bokstart()
            draft_and_render(project, grant, template)  # fonts, templates and caches warm
            floor_pdf()
            report_times, floor_times, size = [], [], 0
            for _ in range(ROUNDS):
                floor_times.append(floor_pdf())
                elapsed, size = draft_and_render(project, grant, template)
                report_times.append(elapsed)
        median = statistics.median(report_times)
        floor = statistics.median(floor_times)
        verdict = "met" if median <= TARGET_SECONDS else "NOT met"
        print(
            f"report draft + PDF ({UPDATES} updates, {BUDGET_LINES} budget lines, {size} bytes): "
            f"median {median * 1000:.0f} ms of {ROUNDS} "
            f"[{', '.join(f'{t * 1000:.0f}' for t in report_times)}]; "
            f"floor (one-page PDF) {floor * 1000:.0f} ms; "
            f"target ≤ {TARGET_SECONDS * 1000:.0f} ms: {verdict}"
        )
    finally:
        tools.drop_database(name)
