"""goal commentary (the owner's word, recovery actions); ledger verification runs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 20:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('goal_commentary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('entered_by', sa.String(length=128), nullable=False),
    sa.Column('on_behalf', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('text', sa.JSON(), nullable=False),
    sa.Column('recovery_action', sa.JSON(), nullable=True),
    sa.Column('recovery_due', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_goal_commentary_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['node_id'], ['nodes.id'], name=op.f('fk_goal_commentary_node_id_nodes')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_goal_commentary_official_id_officials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_commentary'))
    )
    with op.batch_alter_table('goal_commentary', schema=None) as batch_op:
        batch_op.create_index('ix_goal_commentary_goal', ['node_id', 'indicator_id', 'recorded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_commentary_official_id'), ['official_id'], unique=False)
    op.create_table('ledger_verifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('head_seq', sa.Integer(), nullable=True),
    sa.Column('head_hash', sa.String(length=64), nullable=True),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('problem', sa.String(length=48), nullable=True),
    sa.Column('first_bad_seq', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('covered_rows', sa.Integer(), nullable=False),
    sa.Column('checkpoints', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_verifications'))
    )


def downgrade() -> None:
    op.drop_table('ledger_verifications')
    with op.batch_alter_table('goal_commentary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_commentary_official_id'))
        batch_op.drop_index('ix_goal_commentary_goal')
    op.drop_table('goal_commentary')
