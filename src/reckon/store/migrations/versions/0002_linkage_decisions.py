"""linkage review decisions

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 13:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "linkage_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_l", sa.String(length=200), nullable=False),
        sa.Column("record_id_l", sa.String(length=200), nullable=False),
        sa.Column("source_r", sa.String(length=200), nullable=False),
        sa.Column("record_id_r", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkage_decisions")),
    )


def downgrade() -> None:
    op.drop_table("linkage_decisions")
