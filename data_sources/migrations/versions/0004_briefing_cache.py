"""briefing packs kept by request key and store stamp (not content)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('briefing_cache',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_key', sa.String(length=64), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('verification_id', sa.Integer(), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('meta', sa.JSON(), nullable=False),
    sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_briefing_cache'))
    )
    with op.batch_alter_table('briefing_cache', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_briefing_cache_data_version'), ['data_version'], unique=False)
        batch_op.create_index(batch_op.f('ix_briefing_cache_request_key'), ['request_key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('briefing_cache', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_briefing_cache_request_key'))
        batch_op.drop_index(batch_op.f('ix_briefing_cache_data_version'))
    op.drop_table('briefing_cache')
