"""The audit trail of approval chains: who may decide an agency's memos is as much a record as the memos.

:func:`audited_chain_save` wraps ``reports.services.chain_save`` (one decorator line there), so the trail is
written in the same transaction as the chain, whatever the service's body becomes. It takes the actor as
``by=`` (the service itself does not need it) and records the chain's name, default flag and steps before and
after the save.
"""

from __future__ import annotations

import functools

from django.utils.translation import gettext as _

from agencies.audit import audit_diff, audit_record
from agencies.models import AuditEntry
from reports.models import ApprovalChain


def chain_state(chain: ApprovalChain | None) -> dict:
    """Name, default flag and one line per step: position, approvers, acting approvers (by name)."""
    if chain is None or chain.pk is None:
        return {}
    steps = []
    for step in chain.steps.order_by("order").prefetch_related("approvers__user", "acting_approvers__user"):
        line = f"{step.order}. {step.position_title}: " + ", ".join(m.display_name for m in step.approvers.all())
        acting = ", ".join(m.display_name for m in step.acting_approvers.all())
        steps.append(line + (f" ({_('รักษาราชการแทน')}: {acting})" if acting else ""))
    return {"name": chain.name, "is_default": chain.is_default, "steps": steps}


def audited_chain_save(save):
    """Decorate the chain service: one audit entry per save that changed something (or created the chain)."""

    @functools.wraps(save)
    def wrapper(*, by=None, **kwargs) -> ApprovalChain:
        before = chain_state(kwargs.get("chain"))
        chain = save(**kwargs)
        before, after = audit_diff(before, chain_state(chain))
        if after or not before:
            audit_record(
                agency=chain.agency_id,
                actor=by,
                action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
                obj_type=AuditEntry.ObjectType.CHAIN,
                obj_id=chain.pk,
                summary=_("สายการพิจารณา %(name)s") % {"name": chain.name},
                before=before,
                after=after,
            )
        return chain

    return wrapper
