"""reckon.store: the database behind one :class:`Store`, and the project folder around it."""

from reckon.store.models import identifying_columns
from reckon.store.project import Project
from reckon.store.store import Store

__all__ = ["Project", "Store", "identifying_columns"]
