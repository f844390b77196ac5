"""load batches keep their file (name, SHA-256, templates, report); stored files by hash

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 19:50:00
"""

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('load_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_name', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('file_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('templates', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('report', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_load_batches_file_sha256'), ['file_sha256'], unique=False)
    op.create_table('stored_files',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_stored_files'))
    )


def downgrade() -> None:
    op.drop_table('stored_files')
    with op.batch_alter_table('load_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_load_batches_file_sha256'))
        batch_op.drop_column('report')
        batch_op.drop_column('templates')
        batch_op.drop_column('file_sha256')
        batch_op.drop_column('file_name')
