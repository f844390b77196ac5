"""Who is looking: the viewer every query function takes and enforces in SQL.

Operational rows (projects with their milestones and budget lines, instructions, citizen requests,
officials' scorecards) belong to a region or to the nation (``KZ``). A region-scoped viewer sees only
its region's operational rows; indicator values of all regions are comparison data every role sees.
The ``public`` role sees published values only and no internal operational rows (instructions).
Roles with ``upload`` load files on ``/data`` and see the load history there; ``kiosk`` and ``public`` do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from data_sources.settings import ROLES, Settings

#: What each role may see. Data, not if-chains: one row per role.
ROLE_POLICY: dict[str, dict[str, bool]] = {
    "minister":        {"drafts": True,  "instructions": True,  "requests": True, "upload": True},
    "akim":            {"drafts": True,  "instructions": True,  "requests": True, "upload": True},
    "analyst":         {"drafts": True,  "instructions": True,  "requests": True, "upload": True},
    "project_manager": {"drafts": True,  "instructions": True,  "requests": True, "upload": True},
    "kiosk":           {"drafts": False, "instructions": True,  "requests": True, "upload": False},
    "public":          {"drafts": False, "instructions": False, "requests": True, "upload": False},
}


@dataclass(frozen=True)
class Viewer:
    """The person (or wall display) a query runs for.

    ``region``: a region code the viewer is scoped to, or None for the whole country.
    ``official``: the official's code the viewer acts as (for commentary), or None.
    """

    role: str = "minister"
    region: str | None = None
    official: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")

    @property
    def sees_drafts(self) -> bool:
        return ROLE_POLICY[self.role]["drafts"]

    @property
    def sees_instructions(self) -> bool:
        return ROLE_POLICY[self.role]["instructions"]

    @property
    def sees_requests(self) -> bool:
        return ROLE_POLICY[self.role]["requests"]

    @property
    def sees_uploads(self) -> bool:
        """Whether the viewer may upload files on ``/data`` and see the load history."""
        return ROLE_POLICY[self.role]["upload"]

    @classmethod
    def from_settings(cls, settings: Settings) -> "Viewer":
        return cls(role=settings.viewer_role, region=settings.viewer_region, official=settings.viewer_official)
