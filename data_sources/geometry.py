"""Map geometry: the regions' boundaries, read once per process from ``assets/kz-regions.geojson``.

The file holds simplified boundaries of the 20 regions in their borders since the 2022 reform
(feature ``id`` = region code; provenance in ``../shared/data/README.md``). For periods before a
region existed, the map drops its feature and draws its territory as part of the region it was
carved out of (:func:`region_geojson` with ``absorb``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

GEOJSON_PATH = Path(__file__).resolve().parents[1] / "assets" / "kz-regions.geojson"


@lru_cache(maxsize=1)
def _features() -> dict[str, dict]:
    """Feature by region code, parsed once per process. Shared: never handed out without a copy."""
    with GEOJSON_PATH.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    return {str(feature["id"]): feature for feature in collection["features"]}


def geometry_codes() -> list[str]:
    """Codes of the regions the geometry has a feature for."""
    return sorted(_features())


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unexpected geometry type {geometry['type']!r}")


def region_geojson(codes: Iterable[str] | None = None,
                   absorb: Mapping[str, Iterable[str]] | None = None) -> dict:
    """A FeatureCollection with a feature for each of ``codes`` (all regions when None), in code order.

    ``absorb`` maps a region to regions whose territory it covered (e.g. ``{"EKR": ["ABY"]}`` before
    Abai was formed): its feature becomes a MultiPolygon of its own polygons and theirs. Every call
    returns new feature dicts (the coordinate arrays are shared: treat them as read-only).
    """
    features = _features()
    wanted = sorted(features) if codes is None else sorted({c for c in codes if c in features})
    absorb = {key: [c for c in value if c in features] for key, value in (absorb or {}).items()}
    out = []
    for code in wanted:
        feature = features[code]
        geometry = dict(feature["geometry"])
        if absorb.get(code):
            polygons = _polygons(geometry)
            for other in absorb[code]:
                polygons += _polygons(features[other]["geometry"])
            geometry = {"type": "MultiPolygon", "coordinates": polygons}
        out.append({"type": "Feature", "id": code, "properties": dict(feature.get("properties") or {}),
                    "geometry": geometry})
    return {"type": "FeatureCollection", "features": out}
