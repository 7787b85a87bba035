from __future__ import annotations

from typing import Any

from django import template

from resuelve.remedies import selectors
from resuelve.remedies.forms import (
    AcceptPlanForm,
    DecideForm,
    FulfilForm,
    ItemFormSet,
    OfferForm,
    ProposalForm,
)
from resuelve.remedies.models import ProposalStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def remedies_panel(context: Any, complaint: Any) -> dict[str, Any]:
    """The plans panel's data and forms (bound ones after a refused post)."""
    user = context["request"].user
    panel = selectors.case_panel(complaint=complaint, user=user)
    bound = context.get("remedies_forms") or {}
    for form in bound.values():
        for each in getattr(form, "forms", [form]):
            each.mark_errors()
    purchase = complaint.purchase
    pending = [p.number for p in panel.proposals if p.status == ProposalStatus.PENDING]
    return {
        "panel": panel,
        "plan_form": bound.get("plan")
        or ProposalForm(
            prefix="plan",
            initial={"purchase_value": purchase.amount if purchase is not None else None},
        ),
        "item_formset": bound.get("items") or ItemFormSet(prefix="item"),
        "decide_form": bound.get("decide") or DecideForm(prefix="decide", numbers=pending),
        "offer_form": OfferForm(prefix="offer"),
        "accept_form": bound.get("accept")
        or AcceptPlanForm(prefix="accept", numbers=[p.number for p in panel.offered]),
        "fulfil_form": FulfilForm(prefix="fulfil"),
        "open": bool(bound),
    }


@register.simple_tag(takes_context=True)
def rewards_panel(context: Any, complaint: Any) -> dict[str, Any]:
    """The rewards panel's data and forms (bound ones after a refused post)."""
    from resuelve.remedies.forms import RecognitionForm, RewardForm
    from resuelve.remedies.reward_selectors import case_reward_panel
    from resuelve.remedies.reward_views import colleague_choices, fund_choices

    panel = case_reward_panel(complaint=complaint, user=context["request"].user)
    bound = context.get("rewards_forms") or {}
    for form in bound.values():
        form.mark_errors()
    return {
        "panel": panel,
        "reward_form": bound.get("reward")
        or RewardForm(prefix="reward", funds=fund_choices(panel.funds)),
        "recognise_form": bound.get("recognise")
        or RecognitionForm(prefix="recognise", people=colleague_choices(panel.colleagues)),
        "open": set(bound),
    }
