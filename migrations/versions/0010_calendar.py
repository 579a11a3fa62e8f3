"""calendar events, deadline reminders, feed tokens of every kind

The news feed's tokens move into feed_tokens (kind "news"), so addresses people already use
keep working; the calendar's iCal feed uses the same table with kind "calendar".

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 03:12:56.978396

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_tokens',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_feed_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('audience_project_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['audience_project_id'], ['projects.id'], name=op.f('fk_events_audience_project_id_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_events_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_starts_at_ends_at', ['starts_at', 'ends_at'], unique=False)

    op.create_table('event_organisations',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_organisations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_event_organisations_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('event_id', 'organisation_id', name=op.f('pk_event_organisations'))
    )
    op.create_table('deadline_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.Column('report_deadline_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'], name=op.f('fk_deadline_reminders_milestone_id_milestones'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_deadline_reminders_recipient_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_deadline_id'], ['report_deadlines.id'], name=op.f('fk_deadline_reminders_report_deadline_id_report_deadlines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_reminders')),
    sa.UniqueConstraint('milestone_id', 'due_on', 'days_before', name=op.f('uq_deadline_reminders_milestone_id')),
    sa.UniqueConstraint('report_deadline_id', 'due_on', 'days_before', name=op.f('uq_deadline_reminders_report_deadline_id'))
    )
    op.execute(
        "INSERT INTO feed_tokens (user_id, kind, token_hash, created_at) "
        "SELECT user_id, 'news', token_hash, created_at FROM news_feed_tokens"
    )
    op.drop_table('news_feed_tokens')


def downgrade():
    op.create_table('news_feed_tokens',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_news_feed_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_news_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_news_feed_tokens_token_hash'))
    )
    op.execute(
        "INSERT INTO news_feed_tokens (user_id, token_hash, created_at) "
        "SELECT user_id, token_hash, created_at FROM feed_tokens WHERE kind = 'news'"
    )
    op.drop_table('deadline_reminders')
    op.drop_table('event_organisations')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_starts_at_ends_at')

    op.drop_table('events')
    op.drop_table('feed_tokens')
