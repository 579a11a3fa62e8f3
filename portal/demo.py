"""The Västernorrland demo data: organisations, one user per role, the regional library plan
2015–2017 and its projects (Bokstart Västernorrland and two or three more per goal area).
Loading it twice is safe: what exists is left as it is.

Rows are built directly with the models so the demo does not depend on the services' rules."""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.accounts.models import Organisation, User
from portal.accounts.passwords import hash_password
from portal.calendar.models import Event
from portal.core.dates import STOCKHOLM, utcnow
from portal.documents import storage
from portal.documents.filetypes import PDF
from portal.documents.models import Document, DocumentFolder, DocumentVersion
from portal.documents.pdf import tiny_pdf
from portal.extensions import db
from portal.news.models import NewsItem
from portal.projects.models import (
    BudgetLine,
    Contribution,
    Expense,
    FunderContact,
    GoalArea,
    Grant,
    Indicator,
    Measurement,
    Milestone,
    PlanPeriod,
    ProgressUpdate,
    Project,
    ProjectParticipant,
    ReportDeadline,
    TargetGroup,
)
from portal.reports import services as report_services
from portal.reports.builtins import KULTURRADET_NAME, add_builtin_templates
from portal.reports.models import Report

ORGANISATIONS = [
    ("Länsbiblioteket Västernorrland", "county_library", "Härnösand", "2280"),
    ("Härnösands bibliotek", "municipal_library", "Härnösand", "2280"),
    ("Kramfors bibliotek", "municipal_library", "Kramfors", "2282"),
    ("Sollefteå bibliotek", "municipal_library", "Sollefteå", "2283"),
    ("Sundsvalls bibliotek", "municipal_library", "Sundsvall", "2281"),
    ("Timrå bibliotek", "municipal_library", "Timrå", "2262"),
    ("Ånge bibliotek", "municipal_library", "Ånge", "2260"),
    ("Örnsköldsviks bibliotek", "municipal_library", "Örnsköldsvik", "2284"),
    ("Region Västernorrland", "funder", None, None),
    ("Kulturrådet", "funder", None, None),
    ("Kungliga biblioteket", "national_agency", None, None),
    ("Myndigheten för tillgängliga medier", "national_agency", None, None),
    ("Internationella biblioteket", "national_agency", None, None),
]

DEMO_USERS = [
    {
        "email": "admin@lansbiblioteket.example",
        "name": "Astrid Nordin",
        "role": "admin",
        "organisation": "Länsbiblioteket Västernorrland",
        "password": "demo-admin-hoga-kusten",
    },
    {
        "email": "personal@lansbiblioteket.example",
        "name": "Erik Sjölund",
        "role": "staff",
        "organisation": "Länsbiblioteket Västernorrland",
        "password": "demo-personal-hoga-kusten",
    },
    {
        "email": "bibliotekarie@kramfors.example",
        "name": "Karin Holm",
        "role": "member",
        "organisation": "Kramfors bibliotek",
        "password": "demo-bibliotekarie-hoga-kusten",
    },
]


def load_demo() -> list[dict]:
    """Create what is missing; returns the demo accounts for printing."""
    by_name = {org.name: org for org in db.session.scalars(select(Organisation))}
    for name, kind, municipality, code in ORGANISATIONS:
        if name not in by_name:
            by_name[name] = Organisation(
                name=name, kind=kind, municipality_name=municipality, municipality_code=code
            )
            db.session.add(by_name[name])
    for spec in DEMO_USERS:
        if db.session.scalar(select(User).where(User.email == spec["email"])) is None:
            db.session.add(
                User(
                    email=spec["email"],
                    name=spec["name"],
                    role=spec["role"],
                    organisation=by_name[spec["organisation"]],
                    password_hash=hash_password(spec["password"]),
                )
            )
    db.session.flush()
    load_plan(by_name)
    load_funder_contacts(by_name)
    db.session.flush()
    load_news(date.today())
    load_events(date.today())
    load_documents()
    load_reports()
    db.session.commit()
    return DEMO_USERS


PLAN_PERIOD = ("Regional biblioteksplan 2015–2017", date(2015, 1, 1), date(2017, 12, 31))
GOAL_AREAS = [
    (
        "Regional bibliotekssamverkan",
        "Länets bibliotek samarbetar om medier, kompetens och digitala tjänster.",
    ),
    (
        "Demokrati och delaktighet",
        "Biblioteken som mötesplatser där alla kan ta del av information och samtal.",
    ),
    (
        "Litteratur och läsfrämjande",
        "Läslust hos barn, unga och vuxna, med särskilt fokus på de minsta barnen.",
    ),
]
TARGET_GROUPS = [
    "Barn och unga",
    "Personer med funktionsnedsättning",
    "Personer med annat modersmål än svenska",
    "Nationella minoriteter",
]
STAFF = "personal@lansbiblioteket.example"
ADMIN = "admin@lansbiblioteket.example"
LIBRARIAN = "bibliotekarie@kramfors.example"

# Each project: its grant (funder, case number, kronor, decided, deadlines), own contributions,
# budget lines financed by the grant ("grant") or a contribution (its index), so that the costs
# equal the financing as Kulturrådet requires.
PROJECTS = [
    {
        "slug": "bokstart-vasternorrland",
        "title": "Bokstart Västernorrland",
        "summary": "Böcker och läsglädje till de allra minsta barnen och deras vuxna.",
        "description": (
            "Bokstart når familjer med barn 0–3 år genom hembesök och barnavårdscentraler "
            "i **Kramfors** och **Sollefteå**: läsfrämjande från första början."
        ),
        "goal_area": "Litteratur och läsfrämjande",
        "target_groups": ["Barn och unga"],
        "status": "running",
        "health": "on_track",
        "dates": (date(2016, 1, 1), date(2017, 12, 31)),
        "lead": STAFF,
        "team": [ADMIN],
        "participants": [
            ("Länsbiblioteket Västernorrland", "lead_applicant"),
            ("Kramfors bibliotek", "co_applicant"),
            ("Sollefteå bibliotek", "co_applicant"),
        ],
        "grant": (
            "Kulturrådet",
            "KUR 2015/1234",
            600_000,
            date(2015, 11, 20),
            [("progress_report", date(2016, 12, 31), date(2016, 12, 20))]
            + [("final_report", date(2017, 3, 31), None)],
        ),
        "contributions": [
            ("Region Västernorrland", 150_000, "cash"),
            ("Kramfors bibliotek", 50_000, "in_kind"),
            ("Sollefteå bibliotek", 50_000, "in_kind"),
        ],
        "budget": [
            ("personnel", "Projektledare 50 %", 400_000, "grant"),
            ("materials", "Bokpaket till familjer", 150_000, "grant"),
            ("events", "Föräldraträffar", 50_000, "grant"),
            ("travel", "Resor till hembesök", 50_000, 0),
            ("communication", "Trycksaker på flera språk", 100_000, 0),
            ("personnel", "Bibliotekarietid i Kramfors", 50_000, 1),
            ("personnel", "Bibliotekarietid i Sollefteå", 50_000, 2),
        ],
        "expenses": [
            (1, date(2016, 2, 15), 62_500, "Bokpaket, första beställningen"),
            (0, date(2016, 2, 25), 33_000, "Lön projektledare februari"),
            (3, date(2016, 3, 10), 1_840, "Tåg Härnösand–Kramfors"),
        ],
        "milestones": [
            ("Bokpaket levererade till BVC", date(2016, 3, 1), date(2016, 2, 26)),
            ("Utbildning för BVC-sjuksköterskor", date(2016, 9, 15), date(2016, 9, 15)),
            ("Slutredovisning till Kulturrådet", date(2017, 3, 31), None),
        ],
        "updates": [
            (STAFF, date(2016, 3, 2), "Bokpaketen har kommit fram till alla BVC.", "on_track"),
            (
                LIBRARIAN,
                date(2016, 4, 30),
                "Första hembesöken i Kramfors är gjorda, familjerna tar gärna emot böckerna.",
                "on_track",
            ),
        ],
        "indicator": ("Familjer som nåtts", "familjer", 400, "Barn och unga"),
        "measurements": [
            (date(2016, 4, 30), "45", "Kramfors", 1),
            (date(2016, 9, 30), "62", "Kramfors", None),
            (date(2016, 9, 30), "38", "Sollefteå", None),
        ],
    },
    {
        "slug": "lasambassadorer-hoga-kusten",
        "title": "Läsambassadörer i Höga kusten",
        "summary": "Unga läsambassadörer som inspirerar jämnåriga att läsa.",
        "goal_area": "Litteratur och läsfrämjande",
        "target_groups": ["Barn och unga"],
        "status": "running",
        "health": "at_risk",
        "health_reason": "Svårt att rekrytera ambassadörer i Örnsköldsvik.",
        "dates": (date(2016, 8, 1), date(2017, 6, 30)),
        "lead": ADMIN,
        "participants": [
            ("Kramfors bibliotek", "partner"),
            ("Härnösands bibliotek", "lead_applicant"),
            ("Örnsköldsviks bibliotek", "partner"),
        ],
        "grant": (
            "Kulturrådet",
            "KUR 2016/789",
            250_000,
            date(2016, 5, 20),
            [("final_report", date(2017, 9, 30), None)],
        ),
        "contributions": [("Härnösands bibliotek", 30_000, "in_kind")],
        "budget": [
            ("personnel", "Handledare", 180_000, "grant"),
            ("events", "Läsläger", 70_000, "grant"),
            ("personnel", "Bibliotekarietid", 30_000, 0),
        ],
        "expenses": [(1, date(2016, 10, 5), 24_000, "Läsläger på Mittådalen")],
        "milestones": [("Läsläger för ambassadörerna", date(2016, 10, 5), date(2016, 10, 5))],
        "updates": [
            (
                ADMIN,
                date(2016, 11, 1),
                "Tolv ambassadörer är igång; Örnsköldsvik behöver fler.",
                "at_risk",
            )
        ],
        "indicator": ("Barn som deltagit", "barn", 500, "Barn och unga"),
        "measurements": [(date(2016, 12, 31), "180", "Härnösand", None)],
    },
    {
        "slug": "berattarstunder-pa-minoritetssprak",
        "title": "Berättarstunder på samiska och meänkieli",
        "summary": "Sagostunder på nationella minoritetsspråk.",
        "goal_area": "Litteratur och läsfrämjande",
        "target_groups": ["Nationella minoriteter", "Barn och unga"],
        "status": "planned",
        "health": "on_track",
        "dates": (date(2017, 1, 1), date(2017, 12, 31)),
        "lead": STAFF,
        "participants": [("Sollefteå bibliotek", "partner"), ("Ånge bibliotek", "partner")],
        "grant": (
            "Region Västernorrland",
            "RV 2016/310",
            80_000,
            date(2016, 8, 1),
            [("final_report", date(2018, 2, 28), None)],
        ),
        "contributions": [],
        "budget": [("events", "Berättare och arvoden", 80_000, "grant")],
        "expenses": [],
        "milestones": [("Berättare kontrakterade", date(2017, 2, 1), None)],
        "updates": [(STAFF, date(2016, 12, 1), "Två berättare har tackat ja.", "on_track")],
        "indicator": ("Berättarstunder", "tillfällen", 40, "Nationella minoriteter"),
        "measurements": [],
    },
    {
        "slug": "gemensam-mediekatalog",
        "title": "Gemensam mediekatalog Västernorrland",
        "summary": "En katalog och ett lånekort för alla bibliotek i länet.",
        "goal_area": "Regional bibliotekssamverkan",
        "target_groups": [],
        "status": "running",
        "health": "off_track",
        "health_reason": "Upphandlingen av systemet är försenad.",
        "dates": (date(2015, 9, 1), date(2017, 8, 31)),
        "lead": ADMIN,
        "participants": [
            ("Härnösands bibliotek", "co_applicant"),
            ("Kramfors bibliotek", "co_applicant"),
            ("Sollefteå bibliotek", "co_applicant"),
            ("Sundsvalls bibliotek", "lead_applicant"),
            ("Timrå bibliotek", "co_applicant"),
            ("Ånge bibliotek", "co_applicant"),
            ("Örnsköldsviks bibliotek", "co_applicant"),
        ],
        "grant": (
            "Region Västernorrland",
            "RV 2015/88",
            300_000,
            date(2015, 6, 10),
            [("progress_report", date(2016, 6, 30), date(2016, 6, 28))]
            + [("final_report", date(2017, 10, 31), None)],
        ),
        "contributions": [("Sundsvalls bibliotek", 100_000, "cash")],
        "budget": [
            ("other", "Systemlicens", 250_000, "grant"),
            ("personnel", "Konvertering av poster", 50_000, "grant"),
            ("personnel", "Systembibliotekarie", 100_000, 0),
        ],
        "expenses": [(0, date(2016, 1, 20), 125_000, "Licens första året")],
        "milestones": [("Upphandling klar", date(2016, 5, 31), None)],
        "updates": [
            (ADMIN, date(2016, 6, 15), "Överprövning av upphandlingen; tidplanen glider.", None)
        ],
        "indicator": ("Anslutna bibliotek", "bibliotek", 7, None),
        "measurements": [(date(2016, 6, 30), "2", None, None)],
    },
    {
        "slug": "kompetenslyft-digitalisering",
        "title": "Kompetenslyft digitalisering",
        "summary": "Digital kompetens för all bibliotekspersonal i länet.",
        "goal_area": "Regional bibliotekssamverkan",
        "target_groups": [],
        "status": "finished",
        "health": "on_track",
        "dates": (date(2016, 1, 1), date(2016, 12, 31)),
        "lead": STAFF,
        "participants": [("Timrå bibliotek", "partner"), ("Sundsvalls bibliotek", "partner")],
        "grant": (
            "Kungliga biblioteket",
            "KB 2016/12",
            250_000,
            date(2016, 2, 15),
            [("final_report", date(2017, 2, 28), date(2017, 2, 20))],
        ),
        "contributions": [],
        "budget": [
            ("events", "Utbildningsdagar", 200_000, "grant"),
            ("travel", "Resor", 50_000, "grant"),
        ],
        "expenses": [(0, date(2016, 4, 12), 48_000, "Utbildningsdag i Sundsvall")],
        "milestones": [("Sista utbildningsdagen", date(2016, 11, 30), date(2016, 11, 30))],
        "updates": [(STAFF, date(2016, 12, 15), "Alla planerade utbildningar är gjorda.", None)],
        "indicator": ("Utbildade medarbetare", "personer", 60, None),
        "measurements": [(date(2016, 12, 15), "64", None, None)],
    },
    {
        "slug": "sprakcafeer-i-vasternorrland",
        "title": "Språkcaféer i Västernorrland",
        "summary": "Samtal på svenska för nyanlända, varje vecka på biblioteket.",
        "goal_area": "Demokrati och delaktighet",
        "target_groups": ["Personer med annat modersmål än svenska"],
        "status": "running",
        "health": "on_track",
        "dates": (date(2016, 3, 1), date(2017, 12, 31)),
        "lead": STAFF,
        "participants": [
            ("Sundsvalls bibliotek", "lead_applicant"),
            ("Timrå bibliotek", "partner"),
            ("Örnsköldsviks bibliotek", "partner"),
        ],
        "grant": (
            "Kulturrådet",
            "KUR 2016/456",
            400_000,
            date(2016, 3, 10),
            [("final_report", date(2018, 3, 31), None)],
        ),
        "contributions": [("Region Västernorrland", 50_000, "cash")],
        "budget": [
            ("personnel", "Samordnare", 300_000, "grant"),
            ("materials", "Lättlästa böcker", 100_000, "grant"),
            ("events", "Fika och lokaler", 50_000, 0),
        ],
        "expenses": [(1, date(2016, 4, 1), 18_500, "Lättlästa böcker, beställning 1")],
        "milestones": [("Språkcafé i alla tre kommuner", date(2016, 9, 1), date(2016, 8, 20))],
        "updates": [(STAFF, date(2016, 10, 1), "Fullsatt i Timrå varje tisdag.", "on_track")],
        "indicator": ("Deltagare på språkcaféer", "deltagare", 1200, None),
        "measurements": [(date(2016, 12, 31), "540", None, None)],
    },
    {
        "slug": "lattlast-och-tillgangligt",
        "title": "Lättläst och tillgängligt",
        "summary": "Talböcker och lättläst för personer med läsnedsättning.",
        "goal_area": "Demokrati och delaktighet",
        "target_groups": ["Personer med funktionsnedsättning"],
        "status": "running",
        "health": "at_risk",
        "health_reason": "Få anmälda till de första träffarna.",
        "dates": (date(2016, 9, 1), date(2017, 9, 30)),
        "lead": ADMIN,
        "participants": [
            ("Ånge bibliotek", "lead_applicant"),
            ("Härnösands bibliotek", "partner"),
        ],
        "grant": (
            "Myndigheten för tillgängliga medier",
            "MTM 2016/77",
            120_000,
            date(2016, 10, 1),
            [("final_report", date(2017, 11, 30), None)],
        ),
        "contributions": [],
        "budget": [
            ("events", "Träffar om talböcker", 70_000, "grant"),
            ("communication", "Information i lättläst form", 50_000, "grant"),
        ],
        "expenses": [],
        "milestones": [("Första träffen i Ånge", date(2016, 11, 10), date(2016, 11, 10))],
        "updates": [(ADMIN, date(2016, 11, 20), "Sex deltagare på första träffen.", "at_risk")],
        "indicator": (
            "Deltagare på träffar",
            "deltagare",
            150,
            "Personer med funktionsnedsättning",
        ),
        "measurements": [(date(2016, 11, 20), "6", "Ånge", None)],
    },
]


def load_plan(organisations: dict[str, Organisation]) -> None:
    """The plan period, its goal areas, the target groups and the demo projects."""
    name, starts_on, ends_on = PLAN_PERIOD
    period = db.session.scalar(select(PlanPeriod).where(PlanPeriod.name == name))
    if period is None:
        has_current = db.session.scalar(select(PlanPeriod.id).where(PlanPeriod.is_current))
        period = PlanPeriod(
            name=name, starts_on=starts_on, ends_on=ends_on, is_current=has_current is None
        )
        db.session.add(period)
    areas = {area.name: area for area in period.goal_areas}
    for position, (area_name, description) in enumerate(GOAL_AREAS, start=1):
        if area_name not in areas:
            areas[area_name] = GoalArea(
                plan_period=period, name=area_name, description=description, position=position
            )
            db.session.add(areas[area_name])
    groups = {group.name: group for group in db.session.scalars(select(TargetGroup))}
    for position, group_name in enumerate(TARGET_GROUPS, start=1):
        if group_name not in groups:
            groups[group_name] = TargetGroup(name=group_name, position=position)
            db.session.add(groups[group_name])
    db.session.flush()
    users = {user.email: user for user in db.session.scalars(select(User))}
    existing = set(db.session.scalars(select(Project.slug)))
    for spec in [*PROJECTS, *projects_running_now(date.today())]:
        if spec["slug"] not in existing:
            db.session.add(_project(spec, areas, groups, organisations, users))


def load_news(today: date) -> None:
    """A published news item about Bokstart, and one scheduled for 08:00 tomorrow."""
    staff = db.session.scalar(select(User).where(User.email == STAFF))
    area = db.session.scalar(select(GoalArea).where(GoalArea.name == "Litteratur och läsfrämjande"))
    bokstart = db.session.scalar(select(Project).where(Project.slug == "bokstart-vasternorrland"))
    tomorrow_0800 = datetime.combine(today + timedelta(days=1), time(8, 0), STOCKHOLM)
    items = [
        {
            "title": "Bokstart till Västernorrland!",
            "body": (
                "Kulturrådet har beviljat **600 000 kr** till Bokstart. Familjer med de "
                "allra minsta barnen i Kramfors och Sollefteå får bokpaket och hembesök, och "
                "läsfrämjandet når hela länet."
            ),
            "status": "published",
            "publish_at": utcnow() - timedelta(days=2),
            "pinned": True,
        },
        {
            "title": "Anmälan till Littfest öppnar",
            "body": "Länsbiblioteket samordnar en resa till Littfest i Umeå för länets bibliotek.",
            "status": "scheduled",
            "publish_at": tomorrow_0800,
            "pinned": False,
        },
    ]
    existing = set(db.session.scalars(select(NewsItem.title)))
    for spec in items:
        if spec["title"] not in existing:
            db.session.add(
                NewsItem(
                    **spec,
                    author=staff,
                    audience="everyone",
                    goal_areas=[area] if area else [],
                    projects=[bokstart] if bokstart and spec["pinned"] else [],
                )
            )


def load_events(today: date) -> None:
    """Littfest in Umeå for everyone, three weeks ahead, and a meeting of the team of
    Bokstart i hela länet the week after, dated from the day the demo is loaded."""
    staff = db.session.scalar(select(User).where(User.email == STAFF))
    bokstart = db.session.scalar(select(Project).where(Project.slug == "bokstart-i-hela-lanet"))

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(hour, minute), STOCKHOLM)

    events = [
        {
            "title": "Littfest i Umeå",
            "starts_at": at(21, 0),
            "ends_at": at(23, 0),
            "all_day": True,
            "place": "Kulturväven, Umeå",
            "description": (
                "Norra Europas största litteraturfestival. Länsbiblioteket samordnar resan: "
                "**anmäl dig senast en vecka innan** till länsbiblioteket."
            ),
            "audience": "everyone",
            "audience_project": None,
        },
        {
            "title": "Träff om Bokstart i hela länet",
            "starts_at": at(28, 10),
            "ends_at": at(28, 15),
            "all_day": False,
            "place": "Ånge bibliotek",
            "description": "Språkstödjare, bokpaket och hembesök: hur går det i Ånge och Timrå?",
            "audience": "project" if bokstart else "everyone",
            "audience_project": bokstart,
        },
    ]
    existing = set(db.session.scalars(select(Event.title)))
    for spec in events:
        if spec["title"] not in existing:
            db.session.add(Event(**spec, author=staff))


def load_documents() -> None:
    """Meeting notes in the folder "Protokoll" for everyone, and Bokstart's application for
    its team and participants only: small PDFs made now, their text already extracted."""
    if db.session.scalar(select(Document.id).limit(1)) is not None:
        return
    staff = db.session.scalar(select(User).where(User.email == STAFF))
    bokstart = db.session.scalar(select(Project).where(Project.slug == "bokstart-vasternorrland"))
    notes = DocumentFolder(name="Protokoll", position=1)
    specs = [
        (
            "Minnesanteckningar nätverksträff i Kramfors",
            ["Nätverksträff för barnbibliotekarier", "Läsfrämjande för barn i hela länet."],
            {"folder": notes, "visibility": "everyone"},
        ),
        (
            "Ansökan Bokstart Västernorrland",
            ["Ansökan till Kulturrådet", "Bokstart: språkutveckling för de allra minsta barnen."],
            {"project": bokstart, "visibility": "project" if bokstart else "everyone"},
        ),
    ]
    for title, lines, fields in specs:
        data = tiny_pdf(title, *lines)
        received = storage.receive(io.BytesIO(data), len(data))
        key = storage.keep(db.session(), received)
        version = DocumentVersion(
            number=1,
            is_current=True,
            filename=f"{title}.pdf",
            mime_type=PDF,
            size_bytes=received.size,
            sha256=received.sha256,
            storage_key=key,
            uploaded_by=staff,
            extracted_text="\n".join([title, *lines]),
            extracted_at=utcnow(),
        )
        db.session.add(Document(title=title, created_by=staff, versions=[version], **fields))


def projects_running_now(today: date) -> list[dict]:
    """A project of today, dated from the day the demo is loaded: the rest is 2015–2017, and
    without it the dashboard's next 30 days and the latest updates would be empty."""

    def days(n: int) -> date:
        return today + timedelta(days=n)

    return [
        {
            "slug": "bokstart-i-hela-lanet",
            "title": "Bokstart i hela länet",
            "summary": "Bokstart sprids från Kramfors och Sollefteå till länets alla kommuner.",
            "description": (
                "Efter Bokstart Västernorrland tar **Ånge** och **Timrå** emot bokpaket och "
                "hembesök, med material på flera språk."
            ),
            "goal_area": "Litteratur och läsfrämjande",
            "target_groups": ["Barn och unga", "Personer med annat modersmål än svenska"],
            "status": "running",
            "health": "at_risk",
            "health_reason": "Rekryteringen av språkstödjare i Ånge drar ut på tiden.",
            "dates": (days(-240), days(300)),
            "lead": STAFF,
            "participants": [
                ("Länsbiblioteket Västernorrland", "lead_applicant"),
                ("Ånge bibliotek", "co_applicant"),
                ("Timrå bibliotek", "co_applicant"),
                ("Kramfors bibliotek", "partner"),
            ],
            "grant": (
                "Kulturrådet",
                "KUR 2025/4711",
                450_000,
                days(-270),
                [("progress_report", days(21), None), ("final_report", days(390), None)],
            ),
            "contributions": [("Region Västernorrland", 90_000, "cash")],
            "budget": [
                ("personnel", "Projektsamordnare 25 %", 300_000, "grant"),
                ("materials", "Bokpaket på flera språk", 150_000, "grant"),
                ("events", "Träffar på biblioteken", 90_000, 0),
            ],
            "expenses": [(1, days(-60), 48_000, "Bokpaket, första beställningen")],
            "milestones": [
                ("Bokpaket till BVC i Ånge och Timrå", days(-30), days(-33)),
                ("Utbildningsdag för BVC i Timrå", days(10), None),
            ],
            "updates": [
                (
                    LIBRARIAN,
                    days(-7),
                    "Bokprat med föräldragruppen i Kramfors, tolv familjer kom.",
                    "on_track",
                ),
            ],
            "indicator": ("Familjer som nåtts", "familjer", 600, "Barn och unga"),
            "measurements": [(days(-7), "12", "Kramfors", 0)],
        }
    ]


def _project(spec, areas, groups, organisations, users) -> Project:
    starts_on, ends_on = spec["dates"]
    project = Project(
        slug=spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        description=spec.get("description", spec["summary"]),
        goal_area=areas[spec["goal_area"]],
        target_groups=[groups[name] for name in spec["target_groups"]],
        status=spec["status"],
        health=spec["health"],
        health_reason=spec.get("health_reason", ""),
        starts_on=starts_on,
        ends_on=ends_on,
        lead=users.get(spec["lead"]),
        team=[users[email] for email in spec.get("team", []) if email in users],
        participants=[
            ProjectParticipant(organisation=organisations[name], role=role)
            for name, role in spec["participants"]
        ],
    )
    funder, case_number, kronor, decided_on, deadlines = spec["grant"]
    grant = Grant(
        funder=organisations[funder],
        case_number=case_number,
        amount_ore=kronor * 100,
        decided_on=decided_on,
        period_starts_on=starts_on,
        period_ends_on=ends_on,
        deadlines=[
            ReportDeadline(kind=kind, due_on=due_on, submitted_on=submitted_on)
            for kind, due_on, submitted_on in deadlines
        ],
    )
    project.grants = [grant]
    project.contributions = [
        Contribution(organisation=organisations[name], amount_ore=kronor * 100, kind=kind)
        for name, kronor, kind in spec["contributions"]
    ]
    project.budget_lines = [
        BudgetLine(
            category=category,
            description=description,
            planned_ore=kronor * 100,
            grant=grant if source == "grant" else None,
            contribution=None if source == "grant" else project.contributions[source],
        )
        for category, description, kronor, source in spec["budget"]
    ]
    for line_index, spent_on, kronor, text in spec["expenses"]:
        project.budget_lines[line_index].expenses.append(
            Expense(spent_on=spent_on, amount_ore=kronor * 100, text=text)
        )
    project.milestones = [
        Milestone(title=title, due_on=due_on, done_on=done_on, responsible=project.lead)
        for title, due_on, done_on in spec["milestones"]
    ]
    project.updates = [
        ProgressUpdate(
            author=users[email],
            reported_on=reported_on,
            text=text,
            health=health,
            municipality=users[email].organisation.municipality_name
            if users[email].role == "member"
            else None,
        )
        for email, reported_on, text, health in spec["updates"]
    ]
    name, unit, target, target_group = spec["indicator"]
    project.indicators = [
        Indicator(
            name=name,
            unit=unit,
            target=Decimal(target),
            target_group=groups.get(target_group) if target_group else None,
            measurements=[
                Measurement(
                    measured_on=measured_on,
                    value=Decimal(value),
                    municipality=municipality,
                    update=project.updates[update_index] if update_index is not None else None,
                )
                for measured_on, value, municipality, update_index in spec["measurements"]
            ],
        )
    ]
    return project


# --- Funder contacts: who receives the projects' reports -------------------------------------

FUNDER_CONTACTS = [
    # (funder, name, email, role, phone, receives reports)
    (
        "Kulturrådet",
        "Maria Lindqvist",
        "maria.lindqvist@kulturradet.example.org",
        "Handläggare, litteratur och läsfrämjande",
        "08-519 264 00",
        True,
    ),
    (
        "Kulturrådet",
        "Registrator Kulturrådet",
        "registrator@kulturradet.example.org",
        "Registrator",
        "",
        False,
    ),
    (
        "Region Västernorrland",
        "Johan Berglund",
        "johan.berglund@regionvasternorrland.example.org",
        "Kulturstrateg, bibliotek",
        "0611-800 00",
        True,
    ),
]


def load_funder_contacts(organisations: dict[str, Organisation]) -> None:
    """The demo funders' contacts; an address that is already there is left as it is."""
    existing = set(db.session.scalars(select(FunderContact.email)))
    for funder, name, email, role, phone, receives_reports in FUNDER_CONTACTS:
        if email in existing:
            continue
        db.session.add(
            FunderContact(
                organisation=organisations[funder],
                name=name,
                email=email,
                role=role,
                phone=phone,
                receives_reports=receives_reports,
            )
        )


def load_reports() -> None:
    """The built-in report templates, and a draft Kulturrådet progress report for Bokstart's
    first half of 2016 (drafted by the portal, so any staff member may approve it)."""
    templates = {template.name: template for template in add_builtin_templates()}
    bokstart = db.session.scalar(select(Project).where(Project.slug == "bokstart-vasternorrland"))
    if bokstart is None or not bokstart.grants:
        return
    if db.session.scalar(select(Report.id).where(Report.project_id == bokstart.id)) is not None:
        return
    report_services.create_report(
        bokstart,
        grant=bokstart.grants[0],
        template=templates[KULTURRADET_NAME],
        kind="progress_report",
        period_starts_on=date(2016, 1, 1),
        period_ends_on=date(2016, 6, 30),
        actor=None,
    )
