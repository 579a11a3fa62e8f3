"""accessibility: the statement admins edit, and the barriers anyone may report

`accessibility_statements` holds the statement at /tillganglighet once an admin has saved it
(one row; until then the page shows the default in portal/accessibility/statement.py).
`barrier_reports` keeps what people send through "Rapportera en brist", with its status, new or
handled; the admins' list reads it by status, newest first.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 18:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accessibility_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_accessibility_statements_updated_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accessibility_statements")),
    )
    op.create_table(
        "barrier_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("page", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["handled_by_id"], ["users.id"], name=op.f("fk_barrier_reports_handled_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_barrier_reports")),
    )
    op.create_index(
        "ix_barrier_reports_status_created_at",
        "barrier_reports",
        ["status", "created_at"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_barrier_reports_status_created_at", table_name="barrier_reports")
    op.drop_table("barrier_reports")
    op.drop_table("accessibility_statements")
