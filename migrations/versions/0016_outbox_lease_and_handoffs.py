"""outbox lease and hand-overs: a claim token per sending worker, and a count of hand-overs

`claim_token` names the worker that holds a row's claim, so a worker that renews its lease or
records an outcome touches only the rows it still holds. `handoffs` counts the times a row was
handed to the SMTP server and not refused: above 1 on a sent row, the email may have gone out
more than once, which `/admin/utskick` shows. Existing rows start at 0.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column('handoffs', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.drop_column('handoffs')
        batch_op.drop_column('claim_token')
