"""Response shapes of ``GET /api/v1/demands/{id}/routing``: what the dispatcher's page shows beside a demand."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class RoutingCandidateOut(Schema):
    value: str = Field(..., description="The department's or category's id, as the router stores it.")
    name: str = Field(..., description="Its name in the zone; '?' when the value is no longer in the zone.")
    confidence: float = Field(
        ..., description="Calibrated probability, 0–1 (keyword rules: share of matches)."
    )


class RoutingDuplicateOut(Schema):
    id: int = Field(..., description="The other demand; merge into it with POST demands/{id}/merge.")
    tracking_code: str
    title: str
    created_at: datetime
    similarity: float = Field(..., description="0–1: the larger of the word and title-word overlap.")

    @staticmethod
    def resolve_id(obj) -> int:
        return obj["demand"].pk

    @staticmethod
    def resolve_tracking_code(obj) -> str:
        return obj["demand"].tracking_code

    @staticmethod
    def resolve_title(obj) -> str:
        return obj["demand"].title

    @staticmethod
    def resolve_created_at(obj) -> datetime:
        return obj["demand"].created_at


class RoutingOut(Schema):
    """Suggestions best first (up to three per target) and likely duplicates best first (up to 20)."""

    department: list[RoutingCandidateOut]
    category: list[RoutingCandidateOut]
    needs_triage: bool = Field(
        ..., description="No department suggestion, or one below the zone's confidence threshold."
    )
    source: str = Field(..., description='"model" (a trained router), "keywords" (职责清单) or "" (none).')
    duplicates: list[RoutingDuplicateOut]
