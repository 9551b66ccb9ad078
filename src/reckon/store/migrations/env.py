"""Alembic environment: migrations run on the connection that :class:`reckon.store.Store` opens."""

from alembic import context

from reckon.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when alembic's own CLI is used by a developer
    raise RuntimeError("run migrations through reckon.store.Store.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
