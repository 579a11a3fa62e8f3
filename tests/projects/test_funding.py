"""A project's economy: grants, contributions, budget, expenses, and the balance Kulturrådet
wants."""

import pytest
from sqlalchemy import select

from portal.core.audit import AuditEntry
from portal.extensions import db
from portal.projects.funding.economy import economy_of, funder_choices
from portal.projects.models import BudgetLine, Contribution, Expense, Grant
from tests.factories import make_organisation
from tests.projects.factories import make_project
from tests.projects.funding_factories import (
    make_budget_line,
    make_contribution,
    make_expense,
    make_grant,
)
from tests.queries import counted_statements

pytestmark = pytest.mark.both_databases

NBSP = "\u00a0"


def kr(text: str) -> str:
    """ "600 000 kr" as the page shows it, with non-breaking spaces."""
    return text.replace(" ", NBSP)


def economy_page(client, project) -> str:
    response = client.get(f"/projekt/{project.slug}/ekonomi")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_kulturradet_scenario_balances_and_an_expense_updates_spent(client, login_as):
    login_as("staff")
    project = make_project("Bokstart Västernorrland", slug="bokstart-vasternorrland")
    kulturradet = make_organisation("Kulturrådet", kind="funder")
    region = make_organisation("Region Västernorrland", kind="other")
    kramfors = make_organisation("Kramfors kommun", kind="other")
    base = f"/projekt/{project.slug}/ekonomi"

    response = client.post(
        f"{base}/bidrag/ny",
        data={
            "funder_id": kulturradet.id,
            "case_number": "KUR 2015/1234",
            "amount": "600 000",
            "decided_on": "2015-11-20",
            "period_starts_on": "2016-01-01",
            "period_ends_on": "2017-02-28",
            "deadlines-0-kind": "final_report",
            "deadlines-0-due_on": "2017-03-31",
        },
    )
    assert response.status_code == 302
    for organisation, amount in ((region, "150 000"), (kramfors, "50 000")):
        response = client.post(
            f"{base}/insatser/ny",
            data={"organisation_id": organisation.id, "amount": amount, "kind": "cash"},
        )
        assert response.status_code == 302
    grant = db.session.scalar(select(Grant))
    region_share, kramfors_share = db.session.scalars(
        select(Contribution).order_by(Contribution.id)
    ).all()
    for financed_by, amount in (
        (f"grant:{grant.id}", "600 000"),
        (f"contribution:{region_share.id}", "150 000"),
        (f"contribution:{kramfors_share.id}", "50 000"),
    ):
        response = client.post(
            f"{base}/budget/ny",
            data={"category": "personnel", "planned": amount, "financed_by": financed_by},
        )
        assert response.status_code == 302

    page = economy_page(client, project)
    assert "KUR 2015/1234" in page
    assert "2017-03-31" in page
    assert kr("800 000 kr") in page
    assert 'id="balance-warning"' not in page
    assert "Kostnaderna är lika stora som finansieringen." in page

    line = db.session.scalar(select(BudgetLine).where(BudgetLine.grant_id == grant.id))
    response = client.post(
        f"{base}/utgifter/ny",
        data={
            "spent_on": "2016-02-15",
            "amount": "12 500",
            "text": "Bokpåsar till BVC",
            "budget_line_id": line.id,
        },
    )
    assert response.status_code == 302
    economy = economy_of(project)
    grant_line = next(row for row in economy.lines if row.id == line.id)
    assert (grant_line.planned_ore, grant_line.spent_ore) == (600_000_00, 12_500_00)
    page = economy_page(client, project)
    assert "Bokpåsar till BVC" in page
    assert kr("587 500 kr") in page  # left on the line, and left to repay on the grant


def test_warning_names_the_difference_until_costs_equal_financing(client, login_as):
    login_as("member")
    project = make_project()
    grant = make_grant(project, amount_ore=600_000_00)
    make_budget_line(project, planned_ore=550_000_00, grant=grant)
    page = economy_page(client, project)
    assert 'id="balance-warning"' in page
    assert kr("50 000 kr") in page
    assert "Kulturrådet kräver att kostnader och finansiering är lika stora" in page


def test_spent_per_funder_and_left_to_repay_never_below_zero(app):
    project = make_project()
    grant = make_grant(project, amount_ore=100_000_00)
    overspent = make_budget_line(project, planned_ore=100_000_00, grant=grant)
    make_expense(overspent, amount_ore=120_000_00)
    contribution = make_contribution(project, amount_ore=40_000_00)
    own = make_budget_line(project, planned_ore=40_000_00, contribution=contribution)
    make_expense(own, amount_ore=15_000_00)
    other_project = make_project()
    make_expense(make_budget_line(other_project, grant=make_grant(other_project)))

    economy = economy_of(project)

    by_kind = {row.kind: row for row in economy.funders}
    assert by_kind["grant"].spent_ore == 120_000_00
    assert by_kind["grant"].to_repay_ore == 0
    assert by_kind["contribution"].spent_ore == 15_000_00
    assert by_kind["contribution"].to_repay_ore is None
    assert economy.spent_ore == 135_000_00
    assert economy.difference_ore == 0


def test_left_to_repay_is_the_grant_minus_what_its_lines_spent(app):
    project = make_project()
    grant = make_grant(project, amount_ore=600_000_00)
    make_expense(make_budget_line(project, planned_ore=600_000_00, grant=grant), 450_000_00)
    assert economy_of(project).funders[0].to_repay_ore == 150_000_00


def test_economy_page_runs_the_same_number_of_queries_with_one_row_or_many(client, login_as):
    login_as("staff")
    small, large = make_project(), make_project()
    for project, count in ((small, 1), (large, 30)):
        for _ in range(count):
            grant = make_grant(project)
            make_contribution(project)
            make_expense(make_budget_line(project, grant=grant))

    def queries_for(project) -> int:
        with counted_statements() as statements:
            economy_page(client, project)
        return len(statements)

    assert queries_for(small) == queries_for(large)


def test_amount_typed_with_spaces_and_a_comma_is_saved_in_ore(client, login_as):
    login_as("staff")
    project = make_project()
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/insatser/ny",
        data={"organisation_id": make_organisation().id, "amount": "1 000,50", "kind": "in_kind"},
    )
    assert response.status_code == 302
    contribution = db.session.scalar(select(Contribution))
    assert (contribution.amount_ore, contribution.kind) == (1_000_50, "in_kind")
    assert f"{kr('1 000,50 kr')}\n    (Naturainsats)" in economy_page(client, project)


def test_contribution_beyond_what_the_amount_column_holds_gets_the_swedish_message(
    client, login_as
):
    """2^31 öre is 21 474 836,48 kr: PostgreSQL's integer refused the row with a 500."""
    login_as("staff")
    project = make_project()
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/insatser/ny",
        data={"organisation_id": make_organisation().id, "amount": "21 474 837", "kind": "cash"},
    )
    assert response.status_code == 200
    assert f"Portalen tar emot belopp upp till {kr('21 474 836 kr')}." in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(Contribution)) is None


def test_negative_grant_is_refused_beside_the_field_and_the_form_keeps_what_was_typed(
    client, login_as
):
    login_as("staff")
    project = make_project()
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/bidrag/ny",
        data={
            "funder_id": make_organisation(kind="funder").id,
            "case_number": "KUR 2015/1234",
            "amount": "-600 000",
            "deadlines-0-kind": "final_report",
            "deadlines-0-due_on": "2017-03-31",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error" id="amount-error"><span>Beloppet kan inte vara negativt.' in page
    assert 'value="KUR 2015/1234"' in page
    assert 'value="-600 000"' in page
    assert db.session.scalar(select(Grant)) is None


def test_absurd_budget_amount_is_refused(client, login_as):
    login_as("staff")
    project = make_project()
    grant = make_grant(project)
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/budget/ny",
        data={
            "category": "materials",
            "planned": "999 999 999 999 999",
            "financed_by": f"grant:{grant.id}",
        },
    )
    assert "Beloppet är orimligt stort." in response.get_data(as_text=True)
    assert db.session.scalar(select(BudgetLine)) is None


def test_grant_period_ending_before_it_starts_is_refused(client, login_as):
    login_as("staff")
    project = make_project()
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/bidrag/ny",
        data={
            "funder_id": make_organisation(kind="funder").id,
            "amount": "600 000",
            "period_starts_on": "2017-01-01",
            "period_ends_on": "2016-01-01",
            "deadlines-0-kind": "final_report",
            "deadlines-0-due_on": "2017-03-31",
        },
    )
    page = response.get_data(as_text=True)
    assert 'id="period_ends_on-error"' in page
    assert "Bidragsperioden kan inte sluta före den börjar." in page
    assert db.session.scalar(select(Grant)) is None


def test_grant_without_any_report_deadline_is_refused(client, login_as):
    login_as("staff")
    project = make_project()
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/bidrag/ny",
        data={"funder_id": make_organisation(kind="funder").id, "amount": "600 000"},
    )
    assert "Ange minst en rapport med datum" in response.get_data(as_text=True)
    assert db.session.scalar(select(Grant)) is None


def test_budget_line_financed_by_a_forged_grant_of_another_project_is_refused(client, login_as):
    login_as("staff")
    project = make_project()
    make_grant(project)
    foreign_grant = make_grant(make_project(), case_number="KUR 2016/9")
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/budget/ny",
        data={
            "category": "travel",
            "planned": "10 000",
            "financed_by": f"grant:{foreign_grant.id}",
        },
    )
    page = response.get_data(as_text=True)
    assert "Välj ett bidrag eller en egen insats i det här projektet." in page
    assert "KUR 2016/9" not in page
    assert db.session.scalar(select(BudgetLine)) is None


def test_expense_on_another_projects_budget_line_is_refused(client, login_as):
    login_as("staff")
    project = make_project()
    make_budget_line(project, grant=make_grant(project))
    other = make_project()
    foreign_line = make_budget_line(other, grant=make_grant(other))
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/utgifter/ny",
        data={
            "spent_on": "2016-05-02",
            "amount": "2 500",
            "text": "Tåg till Sollefteå",
            "budget_line_id": foreign_line.id,
        },
    )
    page = response.get_data(as_text=True)
    assert "Välj en budgetrad i det här projektet." in page
    assert 'value="Tåg till Sollefteå"' in page
    assert db.session.scalar(select(Expense)) is None


def test_another_projects_grant_cannot_be_edited_through_this_projects_url(client, login_as):
    login_as("staff")
    project = make_project()
    foreign_grant = make_grant(make_project())
    response = client.get(f"/projekt/{project.slug}/ekonomi/bidrag/{foreign_grant.id}")
    assert response.status_code == 404


def test_team_member_adds_an_expense(client, login_as):
    project = make_project()
    line = make_budget_line(project, grant=make_grant(project))
    member = login_as("member")
    project.team.append(member)
    db.session.commit()
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/utgifter/ny",
        data={
            "spent_on": "2016-05-02",
            "amount": "2 500",
            "text": "Tåg",
            "budget_line_id": line.id,
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Expense)).amount_ore == 2_500_00


def test_member_outside_the_project_reads_the_economy_but_cannot_add_a_grant(client, login_as):
    login_as("member", organisation=make_organisation("Timrå bibliotek"))
    project = make_project()
    make_grant(project)
    page = economy_page(client, project)
    assert "KUR 2015/1234" in page
    assert "Nytt bidrag" not in page
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/bidrag/ny",
        data={"funder_id": make_organisation().id, "amount": "1 000"},
    )
    assert response.status_code == 403
    assert len(db.session.scalars(select(Grant)).all()) == 1


def test_changing_a_grant_is_audited_with_old_and_new_values(client, login_as):
    staff = login_as("staff")
    project = make_project()
    grant = make_grant(project, amount_ore=600_000_00)
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/bidrag/{grant.id}",
        data={
            "funder_id": grant.funder_id,
            "case_number": "KUR 2015/1234",
            "amount": "650 000",
            "decided_on": "2015-11-20",
            "deadlines-0-kind": "final_report",
            "deadlines-0-due_on": "2017-03-31",
            "deadlines-1-kind": "progress_report",
            "deadlines-1-due_on": "2016-09-30",
        },
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "grant"))
    assert (entry.action, entry.actor_id, entry.entity_id) == ("update", staff.id, grant.id)
    assert entry.changes["amount_ore"] == [600_000_00, 650_000_00]
    assert entry.changes["deadlines"][1] == [
        "progress_report 2016-09-30",
        "final_report 2017-03-31",
    ]


def test_deleting_an_expense_is_audited(client, login_as):
    login_as("staff")
    project = make_project()
    expense = make_expense(make_budget_line(project, grant=make_grant(project)), 2_500_00)
    response = client.post(f"/projekt/{project.slug}/ekonomi/utgifter/{expense.id}/ta-bort")
    assert response.status_code == 302
    assert db.session.scalar(select(Expense)) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "expense"))
    assert entry.action == "delete"
    assert entry.changes["amount_ore"] == [None, 2_500_00]


def test_grant_that_finances_budget_lines_cannot_be_deleted(client, login_as):
    login_as("staff")
    project = make_project()
    grant = make_grant(project)
    make_budget_line(project, grant=grant)
    response = client.post(f"/projekt/{project.slug}/ekonomi/bidrag/{grant.id}/ta-bort")
    assert response.status_code == 400
    assert "Bidraget finansierar budgetrader." in response.get_data(as_text=True)
    assert db.session.get(Grant, grant.id) is not None


def test_funders_come_first_among_the_organisations_to_choose_from(app):
    make_organisation("Alnö bibliotek")
    make_organisation("Kulturrådet", kind="funder")
    names = [name for _id, name in funder_choices()]
    assert names == ["Kulturrådet", "Alnö bibliotek"]


def test_expense_dates_and_text_are_required(client, login_as):
    login_as("staff")
    project = make_project()
    line = make_budget_line(project, grant=make_grant(project))
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/utgifter/ny",
        data={"spent_on": "15/3", "amount": "100", "text": "", "budget_line_id": line.id},
    )
    page = response.get_data(as_text=True)
    assert "Skriv ett datum som 2016-03-15." in page
    assert "Fyll i fältet." in page
    assert db.session.scalar(select(Expense)) is None


def test_deleting_a_budget_line_deletes_and_audits_its_expenses(client, login_as):
    login_as("staff")
    project = make_project()
    line = make_budget_line(project, grant=make_grant(project))
    expense_id, line_id = make_expense(line).id, line.id
    response = client.post(f"/projekt/{project.slug}/ekonomi/budget/{line_id}/ta-bort")
    assert response.status_code == 302
    assert db.session.scalar(select(BudgetLine)) is None
    audited = db.session.execute(
        select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.action).order_by(AuditEntry.id)
    ).all()
    assert [tuple(row) for row in audited] == [
        ("expense", expense_id, "delete"),
        ("budget_line", line_id, "delete"),
    ]


def test_the_economy_sums_only_this_projects_rows(app):
    project, other = make_project(), make_project()
    for each in (project, other):
        grant = make_grant(each, amount_ore=200_000_00)
        make_expense(make_budget_line(each, planned_ore=200_000_00, grant=grant), 50_000_00)
    economy = economy_of(project)
    assert (economy.financing_ore, economy.planned_ore, economy.spent_ore) == (
        200_000_00,
        200_000_00,
        50_000_00,
    )
    assert [row.spent_ore for row in economy.lines] == [50_000_00]
    assert [row.spent_ore for row in economy.funders] == [50_000_00]


def grant_form(funder, **fields) -> dict:
    return {
        "funder_id": funder.id,
        "amount": "600 000",
        "period_starts_on": "2016-01-01",
        "period_ends_on": "2016-12-31",
        "deadlines-0-kind": "final_report",
        "deadlines-0-due_on": "2017-03-31",
        **fields,
    }


def test_grant_with_a_quarterly_progress_report_keeps_the_choice(client, login_as):
    login_as("staff")
    project = make_project()
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/bidrag/ny",
        data=grant_form(make_organisation(kind="funder"), report_recurrence="quarterly"),
    )
    assert response.status_code == 302
    grant = db.session.scalar(select(Grant))
    assert grant.report_recurrence == "quarterly"
    page = client.get(f"/projekt/{project.slug}/ekonomi/bidrag/{grant.id}").get_data(as_text=True)
    assert '<option selected value="quarterly">Varje kvartal</option>' in page


def test_grant_with_an_unknown_report_recurrence_is_refused_beside_the_field(client, login_as):
    login_as("staff")
    project = make_project()
    response = client.post(
        f"/projekt/{project.slug}/ekonomi/bidrag/ny",
        data=grant_form(make_organisation(kind="funder"), report_recurrence="weekly"),
    )
    page = response.get_data(as_text=True)
    assert 'id="report_recurrence-error"' in page
    assert "Välj hur ofta en lägesrapport ska skrivas." in page
    assert db.session.scalar(select(Grant)) is None
