"""personal data: the time an account was erased, and the outbox read by person and by age

`users.erased_at` marks an account an admin erased (its personal data removed, its name
"Borttagen användare <id>"). The outbox gets an index on `recipient`, for a person's data export
and erasure, and on `created_at`, for beat's daily emptying of bodies older than
OUTBOX_RETENTION_DAYS.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 18:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
    op.create_index("ix_outbound_emails_recipient", "outbound_emails", ["recipient"], unique=False)
    op.create_index(
        "ix_outbound_emails_created_at", "outbound_emails", ["created_at"], unique=False
    )


def downgrade():
    op.drop_index("ix_outbound_emails_created_at", table_name="outbound_emails")
    op.drop_index("ix_outbound_emails_recipient", table_name="outbound_emails")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
