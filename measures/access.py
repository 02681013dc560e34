"""Re-exports of :mod:`measures.permissions`, where the rules now live (kept for existing imports)."""

from measures.permissions import (
    can_complete_step,
    can_edit_plan,
    can_report_progress,
    staff_choices,
    step_memberships,
)

__all__ = ["can_complete_step", "can_edit_plan", "can_report_progress", "staff_choices", "step_memberships"]
