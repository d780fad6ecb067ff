"""Import of DeSO boundaries from a GeoJSON FeatureCollection (SCB's DeSO, e.g. Region Dalarna's 2025_v1)."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape

from samverkan.core.models import Kommun
from samverkan.indicators.models import Deso, ImportRun
from samverkan.indicators.polisen import ImportFileError
from samverkan.indicators.revision import DESO_AREAS, bump_data_revision
from samverkan.indicators.services.table_runs import (
    DESO_CODE,
    check_not_duplicate,
    finish_run,
    start_run,
)
from samverkan.indicators.tables import MAX_ERRORS, RowError, TableImportError

TOLERANCE = 0.0003  # degrees, about 20–30 m: invisible at the zoom a DeSO is looked at
DECIMALS = 5  # about a metre
REGSO_CODE = re.compile(r"^\d{4}R\d{3}$")


def _rounded(coordinates: Any) -> Any:
    if isinstance(coordinates, (list, tuple)) and coordinates and isinstance(coordinates[0], (int, float)):
        return [round(float(c), DECIMALS) for c in coordinates]
    return [_rounded(c) for c in coordinates]


def simplified_geometry(geometry: dict[str, Any]) -> tuple[dict[str, Any], float, float]:
    """The boundary simplified (topology kept) and rounded, and the centroid (lat, lon) of the original."""
    polygon = shape(geometry)
    if polygon.is_empty or polygon.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(_("Gränsen är ingen polygon."))
    simple = mapping(polygon.simplify(TOLERANCE, preserve_topology=True))
    centroid = polygon.centroid
    return (
        {"type": simple["type"], "coordinates": _rounded(simple["coordinates"])},
        round(centroid.y, 6),
        round(centroid.x, 6),
    )


def _features(data: bytes) -> list[Any]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(_("Filen är inte giltig GeoJSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportFileError(_("Filen är ingen GeoJSON FeatureCollection."))
    features = document.get("features")
    if not isinstance(features, list):
        raise ImportFileError(_("GeoJSON-filen saknar listan ”features”."))
    return features


def import_deso_areas(*, data: bytes, file_name: str, user: Any = None, force: bool = False) -> ImportRun:
    """DeSO areas (properties desokod, kommunkod, regsokod, version) with simplified boundaries and centroids.

    All or nothing: a feature without a valid code, kommun or polygon raises ``TableImportError`` (``line``
    is the feature's number, 1-based). An area held already is updated when anything about it changed.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    check_not_duplicate(kind=ImportRun.Kind.DESO_AREAS, sha256=sha256, force=force)
    features = _features(data)
    kommun_codes = set(Kommun.objects.values_list("kod", flat=True))
    errors: list[RowError] = []
    parsed: dict[str, dict[str, Any]] = {}
    for number, feature in enumerate(features, start=1):
        if len(errors) >= MAX_ERRORS:
            break
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            errors.append(RowError(number, "properties", _("Området saknar egenskaper.")))
            continue
        code = str(properties.get("desokod") or "").strip().upper()
        kommun = str(properties.get("kommunkod") or code[:4]).strip().zfill(4)
        if not DESO_CODE.match(code):
            errors.append(
                RowError(number, "desokod", _("”%(value)s” är ingen DeSO-kod.") % {"value": code[:20]})
            )
            continue
        if code in parsed:
            errors.append(
                RowError(number, "desokod", _("DeSO-området %(code)s finns två gånger.") % {"code": code})
            )
            continue
        if kommun not in kommun_codes or code[:4] != kommun:
            errors.append(
                RowError(number, "kommunkod", _("Kommunkoden ”%(value)s” passar inte.") % {"value": kommun})
            )
            continue
        try:
            geometry, lat, lon = simplified_geometry(feature.get("geometry") or {})
        except (ValueError, TypeError, AttributeError, KeyError, GEOSException) as exc:
            errors.append(
                RowError(number, "geometry", _("Gränsen kan inte läsas: %(error)s") % {"error": exc})
            )
            continue
        parsed[code] = {
            "kommun_id": kommun,
            "regso": str(properties.get("regsokod") or "")[:200],
            "version": str(properties.get("version") or "")[:20],
            "geometry": geometry,
            "centroid_lat": lat,
            "centroid_lon": lon,
        }
    if errors:
        raise TableImportError(errors)

    counts: dict[str, Any] = {
        "lines": len(features),
        "imported": 0,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "flagged": 0,
    }
    with transaction.atomic():
        run = start_run(
            kind=ImportRun.Kind.DESO_AREAS, file_name=file_name, sha256=sha256, user=user, options={}
        )
        held = {deso.code: deso for deso in Deso.objects.filter(code__in=list(parsed))}
        to_create, to_update = [], []
        for code, values in parsed.items():
            deso = held.get(code)
            if deso is None:
                to_create.append(Deso(code=code, **values))
                counts["imported"] += 1
                continue
            if deso.regso and (not values["regso"] or not REGSO_CODE.match(deso.regso)):
                values["regso"] = deso.regso  # a RegSO name (from crime statistics) says more than its code
            if all(getattr(deso, name) == value for name, value in values.items()):
                counts["unchanged"] += 1
                continue
            for name, value in values.items():
                setattr(deso, name, value)
            to_update.append(deso)
            counts["updated"] += 1
        Deso.objects.bulk_create(to_create, batch_size=200)
        Deso.objects.bulk_update(
            to_update,
            ["kommun_id", "regso", "version", "geometry", "centroid_lat", "centroid_lon"],
            batch_size=200,
        )
        if to_create or to_update:
            bump_data_revision(DESO_AREAS)  # the maps' DeSO outlines are cached under it
        return finish_run(run, counts, user)
