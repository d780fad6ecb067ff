"""Indicators: the catalogue and its data points, import runs, and the police's open events."""

from samverkan.indicators.models.catalogue import DataPoint, Indicator, area_code_choices
from samverkan.indicators.models.imports import DataRevision, ImportRun
from samverkan.indicators.models.police import PoliceEvent, PoliceEventTypeMapping
from samverkan.indicators.models.statistics import CrimeCode, Deso, RegisteredCrime, Target

__all__ = [
    "CrimeCode",
    "DataPoint",
    "DataRevision",
    "Deso",
    "ImportRun",
    "Indicator",
    "PoliceEvent",
    "PoliceEventTypeMapping",
    "RegisteredCrime",
    "Target",
    "area_code_choices",
]
