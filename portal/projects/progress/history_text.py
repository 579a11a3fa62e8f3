"""How the project's audited rows read in the history: their names, field labels and how to
name a row an id points at (registered with `portal.core.audit_text` at start-up)."""

from __future__ import annotations

from portal.accounts.models import Organisation, User
from portal.core.audit_text import (
    AMOUNT,
    DATE,
    FLAG,
    NUMBER,
    Entity,
    Field,
    name_loader,
    register_entity,
    register_names,
    swedish_date,
)
from portal.core.i18n import _l
from portal.projects.models import (
    BUDGET_CATEGORIES,
    CONTRIBUTION_KINDS,
    DEADLINE_KINDS,
    PARTICIPANT_ROLES,
    PROJECT_HEALTH,
    PROJECT_STATUSES,
    REPORT_RECURRENCES,
    BudgetLine,
    Contribution,
    Expense,
    GoalArea,
    Grant,
    Indicator,
    Measurement,
    Milestone,
    Project,
    ProjectParticipant,
    TargetGroup,
)


def _deadlines(value) -> str:
    """["final_report 2017-03-31"] → "Slutredovisning 31 mars 2017"."""
    shown = []
    for item in value if isinstance(value, list) else [value]:
        kind, _, due_on = str(item).partition(" ")
        shown.append(f"{DEADLINE_KINDS.get(kind, kind)} {swedish_date(due_on)}")
    return ", ".join(shown)


PEOPLE = "user"
ORGANISATIONS = "organisation"
GOAL_AREAS = "goal_area"
TARGET_GROUPS = "target_group"

FIELD_NAMES = {
    "title": Field(_l("Titel")),
    "slug": Field(_l("Webbadress")),
    "summary": Field(_l("Sammanfattning")),
    "description": Field(_l("Beskrivning")),
    "goal_area_id": Field(_l("Målområde"), names=GOAL_AREAS),
    "secondary_goal_area_ids": Field(_l("Fler målområden"), names=GOAL_AREAS),
    "target_group_ids": Field(_l("Målgrupper"), names=TARGET_GROUPS),
    "team_ids": Field(_l("Projektgrupp"), names=PEOPLE),
    "status": Field(_l("Status"), choices=PROJECT_STATUSES),
    "health": Field(_l("Läge"), choices=PROJECT_HEALTH),
    "health_reason": Field(_l("Skäl till läget")),
    "starts_on": Field(_l("Startdatum"), DATE),
    "ends_on": Field(_l("Slutdatum"), DATE),
    "lead_id": Field(_l("Projektledare"), names=PEOPLE),
}


def register() -> None:
    register_names(PEOPLE, name_loader(User.id, User.name))
    register_names(ORGANISATIONS, name_loader(Organisation.id, Organisation.name))
    register_names(GOAL_AREAS, name_loader(GoalArea.id, GoalArea.name))
    register_names(TARGET_GROUPS, name_loader(TargetGroup.id, TargetGroup.name))
    register_names("project", name_loader(Project.id, Project.title))
    register_names(
        "participant",
        name_loader(ProjectParticipant.id, Organisation.name, join=ProjectParticipant.organisation),
    )
    register_names("grant", name_loader(Grant.id, Organisation.name, join=Grant.funder))
    register_names(
        "contribution",
        name_loader(Contribution.id, Organisation.name, join=Contribution.organisation),
    )
    register_names("budget_line", name_loader(BudgetLine.id, BudgetLine.description))
    register_names("expense", name_loader(Expense.id, Expense.text))
    register_names("milestone", name_loader(Milestone.id, Milestone.title))
    register_names("indicator", name_loader(Indicator.id, Indicator.name))
    register_names(
        "measurement", name_loader(Measurement.id, Indicator.name, join=Measurement.indicator)
    )

    register_entity(
        "project",
        Entity(
            _l("Projekt"),
            _l("Projektet %(name)s"),
            _l("Projektet"),
            FIELD_NAMES,
            name_field="title",
            names="project",
        ),
    )
    register_entity(
        "participant",
        Entity(
            _l("Deltagare"),
            _l("Deltagaren %(name)s"),
            _l("En deltagare"),
            {
                "organisation_id": Field(_l("Organisation"), names=ORGANISATIONS),
                "role": Field(_l("Roll"), choices=PARTICIPANT_ROLES),
            },
            name_field="organisation_id",
            names="participant",
        ),
    )
    register_entity(
        "grant",
        Entity(
            _l("Bidrag"),
            _l("Bidraget från %(name)s"),
            _l("Ett bidrag"),
            {
                "funder_id": Field(_l("Bidragsgivare"), names=ORGANISATIONS),
                "case_number": Field(_l("Diarienummer")),
                "amount_ore": Field(_l("Belopp"), AMOUNT),
                "decided_on": Field(_l("Beslutsdatum"), DATE),
                "period_starts_on": Field(_l("Bidragsperiodens start"), DATE),
                "period_ends_on": Field(_l("Bidragsperiodens slut"), DATE),
                "conditions": Field(_l("Villkor")),
                "report_recurrence": Field(_l("Lägesrapporter"), choices=REPORT_RECURRENCES),
                "deadlines": Field(_l("Rapporttillfällen"), show=_deadlines),
            },
            name_field="funder_id",
            names="grant",
            value_field="amount_ore",
        ),
    )
    register_entity(
        "contribution",
        Entity(
            _l("Egen insats"),
            _l("Den egna insatsen från %(name)s"),
            _l("En egen insats"),
            {
                "organisation_id": Field(_l("Organisation"), names=ORGANISATIONS),
                "amount_ore": Field(_l("Belopp"), AMOUNT),
                "kind": Field(_l("Slag"), choices=CONTRIBUTION_KINDS),
            },
            name_field="organisation_id",
            names="contribution",
            value_field="amount_ore",
        ),
    )
    register_entity(
        "budget_line",
        Entity(
            _l("Budgetrad"),
            _l("Budgetraden %(name)s"),
            _l("En budgetrad"),
            {
                "category": Field(_l("Kategori"), choices=BUDGET_CATEGORIES),
                "description": Field(_l("Beskrivning")),
                "planned_ore": Field(_l("Planerat belopp"), AMOUNT),
                "grant_id": Field(_l("Finansieras av bidraget från"), names="grant"),
                "contribution_id": Field(
                    _l("Finansieras av egna insatsen från"), names="contribution"
                ),
            },
            name_field="description",
            names="budget_line",
            value_field="planned_ore",
        ),
    )
    register_entity(
        "expense",
        Entity(
            _l("Utgift"),
            _l("Utgiften %(name)s"),
            _l("En utgift"),
            {
                "budget_line_id": Field(_l("Budgetrad"), names="budget_line"),
                "spent_on": Field(_l("Datum"), DATE),
                "amount_ore": Field(_l("Belopp"), AMOUNT),
                "text": Field(_l("Vad pengarna gick till")),
            },
            name_field="text",
            names="expense",
            value_field="amount_ore",
        ),
    )
    register_entity(
        "milestone",
        Entity(
            _l("Milstolpe"),
            _l("Milstolpen %(name)s"),
            _l("En milstolpe"),
            {
                "title": Field(_l("Titel")),
                "due_on": Field(_l("Planerat datum"), DATE),
                "responsible_id": Field(_l("Ansvarig"), names=PEOPLE),
                "done_on": Field(_l("Klar"), DATE),
            },
            name_field="title",
            names="milestone",
        ),
    )
    register_entity(
        "indicator",
        Entity(
            _l("Indikator"),
            _l("Indikatorn %(name)s"),
            _l("En indikator"),
            {
                "name": Field(_l("Namn")),
                "unit": Field(_l("Enhet")),
                "target": Field(_l("Mål"), NUMBER),
                "target_group_id": Field(_l("Målgrupp"), names=TARGET_GROUPS),
                "goal_area_id": Field(_l("Målområde"), names=GOAL_AREAS),
            },
            name_field="name",
            names="indicator",
            value_field="target",
        ),
    )
    register_entity(
        "measurement",
        Entity(
            _l("Mätning"),
            _l("Mätningen av %(name)s"),
            _l("En mätning"),
            {
                "indicator_id": Field(_l("Indikator"), names="indicator"),
                "measured_on": Field(_l("Datum"), DATE),
                "value": Field(_l("Värde"), NUMBER),
                "municipality": Field(_l("Kommun")),
            },
            name_field="indicator_id",
            names="measurement",
            value_field="value",
        ),
    )
    register_entity(
        "user",
        Entity(_l("Konto"), _l("Kontot för %(name)s"), _l("Ett konto"), {}, names=PEOPLE),
    )
    register_entity(
        "funder_contact",
        Entity(
            _l("Kontakt hos bidragsgivare"),
            _l("Kontakten %(name)s"),
            _l("En kontakt"),
            {
                "name": Field(_l("Namn")),
                "email": Field(_l("E-post")),
                "role": Field(_l("Roll")),
                "phone": Field(_l("Telefon")),
                "receives_reports": Field(_l("Får rapporter"), FLAG),
            },
            name_field="name",
        ),
    )


register()
