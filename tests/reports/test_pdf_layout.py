"""The funder's PDF lays out: no two words printed over each other and every word inside the
page's margins, on the demo's Kulturrådet report and on a record built to be hard to lay out
(seven municipalities, long indicator and funder names, fifty budget lines, a long story).

One render per test: rendering is what costs, and the app is rolled back per test."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.extensions import db
from portal.projects.models import Indicator, Measurement, ProgressUpdate
from portal.reports import services
from portal.reports.delivery import render_report_pdf
from portal.reports.models import Report
from tests.factories import make_user
from tests.pdfs import Page, Word, pdf_pages
from tests.projects.factories import make_project, make_target_group
from tests.projects.funding_factories import (
    make_budget_line,
    make_contribution,
    make_expense,
    make_grant,
)
from tests.reports.factories import FIRST_HALF, kulturradet_template, organisation
from tests.reports.test_demo import run_demo

MM = 72 / 25.4
# The document's @page margins (templates/reports/document.html): top, right, bottom, left.
MARGINS = (20 * MM, 18 * MM, 22 * MM, 18 * MM)
# Glyph boxes may stick out of the line box by a hair (italic overhang, rounding).
TOLERANCE = 1.0
MUNICIPALITIES = [
    "Ånge",
    "Härnösand",
    "Kramfors",
    "Sollefteå",
    "Sundsvall",
    "Timrå",
    "Örnsköldsvik",
]
LONG_FUNDERS = [
    "Statens kulturråd, Stärkta bibliotek – regional utvecklingsverksamhet",
    "Region Västernorrlands kultur- och bildningsnämnd, regionala kulturplanen",
    "Europeiska socialfonden plus, programområde Mellersta Norrland",
    "Stiftelsen Längmanska kulturfondens folkbildnings- och läsfrämjandeanslag",
]
STORY = (
    "Under perioden har biblioteksverksamhetsutvecklingssamordnarna i länet besökt "
    "barnavårdscentraler, förskolor och familjecentraler och delat ut bokpaket på flera språk "
    "till familjer med de allra minsta barnen."
)


def _page_number(word: Word, page: Page) -> bool:
    """The "3 / 12" in the bottom margin, put there by the @page rule on purpose."""
    bottom = page.height - MARGINS[2]
    return word.y_min >= bottom - TOLERANCE and (word.text.isdigit() or word.text == "/")


def _outside_margins(page: Page) -> list[Word]:
    top, right, bottom, left = MARGINS
    return [
        word
        for word in page.words
        if not _page_number(word, page)
        and (
            word.x_min < left - TOLERANCE
            or word.x_max > page.width - right + TOLERANCE
            or word.y_min < top - TOLERANCE
            or word.y_max > page.height - bottom + TOLERANCE
        )
    ]


def _overlapping(page: Page) -> list[tuple[Word, Word]]:
    """Pairs of words whose boxes share more than a hair, found by a sweep from left to right."""
    words = sorted(page.words, key=lambda word: word.x_min)
    pairs = []
    for index, word in enumerate(words):
        for other in words[index + 1 :]:
            if other.x_min >= word.x_max - TOLERANCE:
                break
            if min(word.y_max, other.y_max) - max(word.y_min, other.y_min) > TOLERANCE:
                pairs.append((word, other))
    return pairs


def assert_lays_out(pdf: bytes) -> list[Page]:
    pages = pdf_pages(pdf)
    assert pages and all(page.words for page in pages)
    outside = [word for page in pages for word in _outside_margins(page)]
    assert not outside, f"words outside the margins: {outside[:10]}"
    overlaps = [pair for page in pages for pair in _overlapping(page)]
    assert not overlaps, f"words printed over each other: {overlaps[:10]}"
    return pages


def _sum_rows_alone(pages: list[Page]) -> list[int]:
    """The pages where a table's "Summa" row comes straight under the header repeated at the
    top of the page: the sum parted from every row it adds up."""
    alone = []
    for page in pages:
        for total in (word for word in page.words if word.text == "Summa"):
            headers = [w for w in page.words if w.text == "Kvar" and w.y_max <= total.y_min]
            if not headers:
                continue
            header_bottom = max(header.y_max for header in headers)
            between = [w for w in page.words if header_bottom < w.y_min < total.y_min]
            if not between:
                alone.append(page.number)
    return alone


def _pages_with(pages: list[Page], *phrase: str) -> list[int]:
    """The numbers of the pages on which the words of `phrase` stand in a row."""
    found = []
    for page in pages:
        texts = [word.text for word in page.words]
        if any(texts[i : i + len(phrase)] == list(phrase) for i in range(len(texts))):
            found.append(page.number)
    return found


def _text(pages: list[Page]) -> str:
    return " ".join(word.text for page in pages for word in page.words)


def test_the_demo_report_lays_out_on_the_page(app):
    run_demo(app)
    report = db.session.scalars(select(Report)).one()
    pages = assert_lays_out(render_report_pdf(report))
    text = _text(pages)
    # The headers that used to be printed over each other are all there, readable.
    for header in ("Finansiär", "Finansiering", "Planerade", "Utbetalt", "Kvar", "Indikator"):
        assert header in text
    assert _sum_rows_alone(pages) == []
    # A table's caption is on the page of its first row, not left behind at the foot of one.
    caption = _pages_with(pages, "Deltagande", "organisationer")
    assert caption and caption == _pages_with(pages, "Huvudsökande")


def _stress_project():
    """7 municipalities, 10 indicators with 60-character names, 50 budget lines, 4 funders with
    long names, each municipality reporting updates and measurements."""
    libraries = [
        organisation(f"{name} bibliotek", municipality_name=name) for name in MUNICIPALITIES
    ]
    lead = make_user(role="member", name="Lena Ledare", email="lena@stress.example")
    project = make_project(
        "Bokstart och läsfrämjande för de allra minsta i hela Västernorrlands län",
        slug="bokstart-stress",
        lead=lead,
        participants=libraries,
        starts_on=date(2016, 1, 1),
        ends_on=date(2017, 2, 28),
    )
    grants = [
        make_grant(
            project,
            funder=organisation(name, kind="funder"),
            amount_ore=(1_250_000_00 if number == 0 else 375_000_00),
            case_number=f"DNR 2015/{1234 + number}-KUL-VÄSTERNORRLAND",
            period_starts_on=date(2016, 1, 1),
            period_ends_on=date(2017, 2, 28),
        )
        for number, name in enumerate(LONG_FUNDERS)
    ]
    own = make_contribution(
        project, organisation("Region Västernorrland", kind="other"), 500_000_00
    )
    for number in range(50):
        line = make_budget_line(
            project,
            1_234_567_00 if number == 0 else 45_678_00,
            grant=grants[number % 4] if number % 5 else None,
            contribution=None if number % 5 else own,
            category=("personnel", "materials", "events", "travel", "communication")[number % 5],
            description=f"Kostnadspost {number + 1}: bokpaket, hembesök och läsfrämjande insatser",
        )
        make_expense(line, 12_345_67, f"Faktura {number + 1}", date(2016, 1, 1 + number % 28))
    groups = [
        make_target_group(f"Målgrupp {number}: barn 0–3 år och deras vuxna") for number in (1, 2)
    ]
    project.target_groups.extend(groups)
    for number in range(10):
        name = f"Antal familjer med barn 0–3 år som fått bokpaket, mätpunkt {number:01d}"
        assert len(name) == 60
        indicator = Indicator(
            project=project,
            name=name,
            unit="familjer",
            target=Decimal(123_456),
            target_group=groups[number % 2],
        )
        db.session.add(indicator)
        db.session.add_all(
            Measurement(
                indicator=indicator,
                measured_on=date(2016, 2, 1) + timedelta(days=7 * position),
                value=Decimal(1_234 + number),
                municipality=municipality,
            )
            for position, municipality in enumerate(MUNICIPALITIES)
        )
    db.session.add_all(
        ProgressUpdate(
            project=project,
            author=lead,
            reported_on=date(2016, 3, 1) + timedelta(days=position),
            text=f"Hembesök och bokpaket i {municipality}s kommun enligt planen.",
            municipality=municipality,
        )
        for position, municipality in enumerate(MUNICIPALITIES)
    )
    db.session.commit()
    return project


def test_a_report_with_many_and_long_figures_lays_out_on_the_page(app):
    project = _stress_project()
    report = services.create_report(
        project,
        grant=project.grants[0],
        template=kulturradet_template(),
        kind="progress_report",
        period_starts_on=FIRST_HALF[0],
        period_ends_on=FIRST_HALF[1],
        actor=None,
    )
    db.session.commit()
    sections = report.versions[-1].sections
    words = STORY.split()
    story = " ".join(words[index % len(words)] for index in range(5000))
    texts = [
        story if section["source"] == "narrative" else section.get("text", "")
        for section in sections
    ]
    services.save_report(report, texts, None)
    db.session.commit()
    pdf = render_report_pdf(report)
    pages = assert_lays_out(pdf)
    text = _text(pages)
    assert len(pages) > 10
    assert "mätpunkt 9" in text and "Kostnadspost 50:" in text
