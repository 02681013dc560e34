"""Re-exports of :mod:`agencies.permissions`, where the rules now live (kept for existing imports)."""

from agencies.permissions import ALL_ROLES, get_visible_agency_or_404, membership_for, require_role, roles_for

__all__ = ["ALL_ROLES", "get_visible_agency_or_404", "membership_for", "require_role", "roles_for"]
