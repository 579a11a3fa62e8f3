"""the counter that keys cached read models

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 00:40:00

"""
import time

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    data_versions = op.create_table(
        "data_versions",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_data_versions")),
    )
    op.bulk_insert(
        data_versions, [{"name": "read_models", "version": time.time_ns() // 1_000_000}]
    )


def downgrade():
    op.drop_table("data_versions")
