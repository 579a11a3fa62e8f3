"""The API's response bodies as Pydantic models: each view fills one, it serialises itself,
and its JSON Schema (2020-12, the dialect of OpenAPI 3.1) goes into the OpenAPI document as it
is. Field names are part of the API and do not change; money is whole öre (`_ore`), dates and
times ISO 8601 (times in UTC)."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from portal.api.paging import Page


class FromRow(BaseModel):
    """Filled from an ORM row's attributes of the same names (`model_validate(row)`)."""

    model_config = ConfigDict(from_attributes=True)


class Named(FromRow):
    id: int
    name: str


class GoalAreaRef(Named):
    plan_period_id: int


class Participant(BaseModel):
    organisation_id: int
    name: str
    role: str


class Grant(BaseModel):
    id: int
    funder_id: int
    funder_name: str
    case_number: str
    amount_ore: int
    decided_on: date | None
    period_starts_on: date | None
    period_ends_on: date | None


class BudgetTotals(BaseModel):
    """The economy tab's totals: financing (grants and contributions), planned, spent."""

    granted_ore: int
    contributed_ore: int
    financing_ore: int
    planned_ore: int
    spent_ore: int


class Milestone(FromRow):
    id: int
    title: str
    due_on: date
    done_on: date | None


class LatestStatus(FromRow):
    """The latest progress update."""

    reported_on: date
    health: str | None
    text: str


class Measurement(FromRow):
    id: int
    measured_on: date
    value: float
    municipality: str | None


class Indicator(BaseModel):
    id: int
    name: str
    unit: str
    target: float | None
    measurements: list[Measurement]


class Project(BaseModel):
    id: int
    slug: str
    title: str
    summary: str
    status: str
    health: str
    starts_on: date | None
    ends_on: date | None
    goal_area: GoalAreaRef
    target_groups: list[Named]
    participants: list[Participant]
    grants: list[Grant]
    budget: BudgetTotals
    milestones: list[Milestone]
    latest_status: LatestStatus | None
    indicators: list[Indicator]
    updated_at: datetime
    url: str = Field(description="The project's page in the portal.")


class ProjectPage(Page[Project]):
    pass


class GoalArea(FromRow):
    id: int
    plan_period_id: int
    name: str
    description: str
    position: int
    is_retired: bool


class PlanPeriod(BaseModel):
    id: int
    name: str
    starts_on: date
    ends_on: date
    is_current: bool
    goal_areas: list[GoalArea]


class PlanPeriodPage(Page[PlanPeriod]):
    pass


class GoalAreaPage(Page[GoalArea]):
    pass


class Organisation(FromRow):
    id: int
    name: str
    kind: str
    municipality_name: str | None
    municipality_code: str | None


class OrganisationPage(Page[Organisation]):
    pass


class NewsItem(BaseModel):
    id: int
    title: str
    body: str = Field(description="Markdown, as written.")
    pinned: bool
    published_at: datetime | None
    author_name: str | None
    goal_area_ids: list[int]
    project_ids: list[int]
    url: str


class NewsPage(Page[NewsItem]):
    pass


class DocumentVersion(FromRow):
    number: int
    filename: str
    mime_type: str
    size_bytes: int
    sha256: str
    uploaded_at: datetime


class Document(BaseModel):
    id: int
    title: str
    description: str
    folder_id: int | None
    project_id: int | None
    visibility: str
    case_number: str
    document_date: date | None
    created_at: datetime
    updated_at: datetime
    current_version: DocumentVersion
    download_url: str = Field(description="The current version's file, with the same token.")
    url: str


class DocumentPage(Page[Document]):
    pass


class Event(BaseModel):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    place: str
    description: str
    audience: str
    url: str


class EventPage(Page[Event]):
    pass


class StatisticsColumn(BaseModel):
    title: str = Field(description="The column's heading on the page, in Swedish.")
    kind: str = Field(
        description="text, year, money (öre), count, number, status (a project status key) "
        "or group (a target group's name, null for none)."
    )


class StatisticsTable(BaseModel):
    slug: str
    title: str
    columns: list[StatisticsColumn]
    rows: list[list[str | int | float | None]]


class Statistics(BaseModel):
    plan_period: int | None
    year: int | None
    built_at: datetime
    tables: list[StatisticsTable]
