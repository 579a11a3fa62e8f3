"""indexes on the project a news item or calendar event is for

The start page reads the news for a person's own projects by their ids; without an index on
`audience_project_id` PostgreSQL read all 20 000 news items of the bench for it (7 ms). The
index also serves the foreign key's ON DELETE SET NULL when a project is deleted.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 18:45:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        op.f("ix_news_items_audience_project_id"),
        "news_items",
        ["audience_project_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_events_audience_project_id"), "events", ["audience_project_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_events_audience_project_id"), table_name="events")
    op.drop_index(op.f("ix_news_items_audience_project_id"), table_name="news_items")
