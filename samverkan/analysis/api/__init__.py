"""The analysis API: problems and their causes."""

from samverkan.analysis.api.problems import router

__all__ = ["router"]
