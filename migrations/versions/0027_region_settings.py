"""regions: the region's own words, written by `portal import-region`

`region_settings` holds one row once a region file has been imported: its county library's
short name, the name its emails are sent under and the page footer's text. `token` is a new
random number on every import that changes the row, so a process knows when to read it again
(portal/core/region_identity.py).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 20:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "region_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=False),
        sa.Column("email_sender_name", sa.String(length=200), nullable=False),
        sa.Column("footer_text", sa.String(length=500), nullable=False),
        sa.Column("token", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_settings")),
    )


def downgrade():
    op.drop_table("region_settings")
