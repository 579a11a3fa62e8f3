"""indexes for pages built afresh after a change

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 01:30:00

"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_project_team_user_id", "project_team", ["user_id"])
    op.create_index("ix_projects_title_id", "projects", ["title", "id"])
    op.create_index(
        "ix_project_participants_organisation_project",
        "project_participants",
        ["organisation_id", "project_id"],
    )
    op.drop_index("ix_project_participants_organisation_id", table_name="project_participants")
    op.create_index("ix_progress_updates_reported_on_id", "progress_updates", ["reported_on", "id"])


def downgrade():
    op.drop_index("ix_progress_updates_reported_on_id", table_name="progress_updates")
    op.create_index(
        "ix_project_participants_organisation_id", "project_participants", ["organisation_id"]
    )
    op.drop_index(
        "ix_project_participants_organisation_project", table_name="project_participants"
    )
    op.drop_index("ix_projects_title_id", table_name="projects")
    op.drop_index("ix_project_team_user_id", table_name="project_team")
