"""Re-exports of :mod:`measures.permissions`, where the rules now live (kept for existing imports)."""

from measures.permissions import can_edit_plan, can_report_progress

__all__ = ["can_edit_plan", "can_report_progress"]
