"""Places in the DPRK hierarchy (province → county; facilities), created once and reused."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from reckon.records.vocabulary import load_vocabulary
from reckon.store.models import Place


class PlaceResolver:
    """Get-or-create for places within one session, so that each place is looked up once.

    Provinces and known facilities are stored under their vocabulary code with the English label
    as name; counties are stored as written, under their province.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ids: dict[tuple[str, str, int | None], int] = {}
        for place in session.scalars(sa.select(Place)):
            self.ids[(place.kind, place.name, place.parent_id)] = place.id

    def get(
        self, kind: str, name: str, parent_id: int | None = None, code: str | None = None
    ) -> int:
        key = (kind, name, parent_id)
        if key not in self.ids:
            place = Place(kind=kind, name=name, parent_id=parent_id, code=code)
            self.session.add(place)
            self.session.flush()
            self.ids[key] = place.id
        return self.ids[key]

    def origin(self, province: str | None, county: str | None) -> int | None:
        """The most specific place for a province code and a county name (either may be None)."""
        province_id = None
        if province is not None:
            label = load_vocabulary("provinces").get(province).en
            province_id = self.get("province", label, None, province)
        if county:
            return self.get("county", county, province_id)
        return province_id

    def facility(self, code: str | None) -> int | None:
        if code is None:
            return None
        return self.get("facility", load_vocabulary("facilities").get(code).en, None, code)


def describe_place(
    session: Session, place_id: int | None
) -> tuple[str | None, str | None, str | None]:
    """(province code, county name, facility code) of a stored place."""
    if place_id is None:
        return None, None, None
    place = session.get(Place, place_id)
    if place.kind == "facility":
        return None, None, place.code
    if place.kind == "county":
        parent = place.parent
        return (parent.code if parent else None), place.name, None
    return place.code, None, None
