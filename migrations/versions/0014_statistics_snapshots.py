"""statistics snapshots: the statistics page's saved figures, and date indexes for its years

`statistics_snapshots` keeps the figures per choice of filters with the data version they were
built at (portal/statistics/snapshots.py). Plain indexes on projects.starts_on,
projects.ends_on and grants.decided_on let the page find its range of years from a few index
entries instead of reading both tables.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 11:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('statistics_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filters_key', sa.String(length=64), nullable=False),
    sa.Column('data_version', sa.BigInteger(), nullable=True),
    sa.Column('built_at', sa.DateTime(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statistics_snapshots')),
    sa.UniqueConstraint('filters_key', name=op.f('uq_statistics_snapshots_filters_key'))
    )
    op.create_index(op.f("ix_grants_decided_on"), "grants", ["decided_on"])
    op.create_index(op.f("ix_projects_ends_on"), "projects", ["ends_on"])
    op.create_index(op.f("ix_projects_starts_on"), "projects", ["starts_on"])



def downgrade():
    op.drop_index(op.f("ix_projects_starts_on"), table_name="projects")
    op.drop_index(op.f("ix_projects_ends_on"), table_name="projects")
    op.drop_index(op.f("ix_grants_decided_on"), table_name="grants")

    op.drop_table('statistics_snapshots')
