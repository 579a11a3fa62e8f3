"""indexes for the audit log read newest first, and per person

/admin/logg lists every change newest first (one page of 50), or one person's. With only
(project_id, at) indexed, the database read and sorted every entry for either.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 19:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_audit_entries_at_id", "audit_entries", ["at", "id"], unique=False)
    op.create_index(
        "ix_audit_entries_actor_at", "audit_entries", ["actor_id", "at"], unique=False
    )


def downgrade():
    op.drop_index("ix_audit_entries_actor_at", table_name="audit_entries")
    op.drop_index("ix_audit_entries_at_id", table_name="audit_entries")
