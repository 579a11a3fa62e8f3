"""worker heartbeats: the time a worker last ran beat's heartbeat task

One row (`worker`), stamped by `portal.core.tasks.record_worker_heartbeat`; `/readyz` and
`flask portal worker-health` read its age to tell a worker that takes tasks from one that only
answers a ping.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('worker_heartbeats',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('beat_at', sa.DateTime(), nullable=False),
    sa.Column('hostname', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_heartbeats'))
    )


def downgrade():
    op.drop_table('worker_heartbeats')
