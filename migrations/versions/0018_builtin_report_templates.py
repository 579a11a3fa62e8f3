"""built-in report templates: the general progress report and Kulturrådet's form

Data only. Until now the page "Ny rapport" made them on its first visit; a GET changes nothing,
so the database gets them here. The rows are those of `portal.reports.builtins` on the day this
revision landed, copied because a migration never imports portal code (a later change to the
built-ins is a revision of its own). A template of the same name that is there already is kept
as it is. Kulturrådet's template gets the funder "Kulturrådet" when that organisation exists.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 13:30:00

"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# (name, description, funder's name, sections as (title, source, guidance))
BUILTIN_TEMPLATES = [
    (
        "Lägesrapport (allmän)",
        "Allmän lägesrapport för vilken finansiär som helst.",
        None,
        [
            ("Sammanfattning", "narrative", "Några meningar om hur projektet går."),
            ("Kontaktperson", "contact_person", ""),
            ("Diarienummer", "case_number", ""),
            ("Genomfört under perioden", "updates", "Redigera gärna: stryk det som inte hör hit."),
            ("Milstolpar", "milestones", ""),
            ("Indikatorer", "indicators", ""),
            ("Målgrupper", "target_groups", ""),
            ("Deltagande organisationer", "participants", ""),
            ("Ekonomi", "economy", ""),
            ("Nästa period", "narrative", "Vad planeras till nästa rapport?"),
        ],
    ),
    (
        "Kulturrådet",
        "Avsnitten följer Kulturrådets redovisningsformulär i e-tjänsten.",
        "Kulturrådet",
        [
            ("Bidragsmottagare", "recipient", ""),
            ("Kontaktperson", "contact_person", ""),
            ("Diarienummer", "case_number", ""),
            (
                "Vad har genomförts",
                "updates",
                "Beskriv vad som har genomförts under perioden i förhållande till ansökan.",
            ),
            (
                "Måluppfyllelse",
                "indicators",
                "Hur väl har projektets mål uppnåtts? Kommentera indikatorerna.",
            ),
            ("Målgrupp och räckvidd", "target_groups", "Vilka har nåtts, och hur många?"),
            ("Samarbetsparter", "participants", ""),
            (
                "Förändringar jämfört med ansökan",
                "narrative",
                "Har något ändrats jämfört med ansökan? Beskriv vad och varför.",
            ),
            (
                "Ekonomisk redovisning",
                "economy",
                "Kulturrådet kräver att kostnaderna är lika stora som finansieringen.",
            ),
        ],
    ),
]

organisations = sa.table("organisations", sa.column("id", sa.Integer), sa.column("name", sa.String))
reports = sa.table("reports", sa.column("template_id", sa.Integer))
report_templates = sa.table(
    "report_templates",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("description", sa.Text),
    sa.column("funder_id", sa.Integer),
    sa.column("sections", sa.JSON),
    sa.column("is_builtin", sa.Boolean),
    sa.column("is_retired", sa.Boolean),
    sa.column("created_at", sa.DateTime),
)


def upgrade():
    connection = op.get_bind()
    existing = set(connection.scalars(sa.select(report_templates.c.name)))
    now = datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC, as UTCDateTime does
    for name, description, funder_name, sections in BUILTIN_TEMPLATES:
        if name in existing:
            continue
        funder_id = None
        if funder_name:
            funder_id = connection.scalar(
                sa.select(organisations.c.id).where(organisations.c.name == funder_name)
            )
        connection.execute(
            report_templates.insert().values(
                name=name,
                description=description,
                funder_id=funder_id,
                sections=[
                    {"title": title, "source": source, "guidance": guidance}
                    for title, source, guidance in sections
                ],
                is_builtin=True,
                is_retired=False,
                created_at=now,
            )
        )


def downgrade():
    """Remove the built-in templates no report was drafted from; the others stay."""
    op.execute(
        report_templates.delete().where(
            report_templates.c.is_builtin.is_(True),
            report_templates.c.name.in_([name for name, *_rest in BUILTIN_TEMPLATES]),
            report_templates.c.id.not_in(sa.select(reports.c.template_id)),
        )
    )
