"""indexes for the first views after a change: news in the order shown, projects counted

Every saved change renews the read cache, so the next view of the start page and the project
list is built from the database. Three indexes make that first view read less at 100 000
projects and 20 000 news items:

- news_items (pinned, publish_at, id): the start page's five latest news and the news page read
  news pinned first, newest first. With only (status, publish_at) indexed, PostgreSQL fetched
  every published item and sorted them all; read backwards, this index gives the rows in the
  order shown, so the query stops after its first readable rows.
- projects (goal_area_id, health): the start page counts projects per goal area and health of
  the current plan period from this index alone (index-only scans), not from the table.
- projects (status, health, goal_area_id): the project list groups every project by these three
  for its total and four filters; from this index it reads them in order, without the table.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 16:45:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_news_items_shown_order", "news_items", ["pinned", "publish_at", "id"], unique=False
    )
    op.create_index(
        "ix_projects_goal_area_health", "projects", ["goal_area_id", "health"], unique=False
    )
    op.create_index(
        "ix_projects_status_health_goal_area",
        "projects",
        ["status", "health", "goal_area_id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_projects_status_health_goal_area", table_name="projects")
    op.drop_index("ix_projects_goal_area_health", table_name="projects")
    op.drop_index("ix_news_items_shown_order", table_name="news_items")
