"""Reads for the playbook panel of the case page and the per-playbook report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import Action
from resuelve.complaints.models import Complaint
from resuelve.guidance.models import CaseGuidance, Playbook, PlaybookStep, PlaybookTick
from resuelve.guidance.services import Rendered, playbook_for, template_render, templates_for

# The form field of each step that the customer reads: a template for that step fills it.
CUSTOMER_FIELDS: dict[str, str] = {
    Action.ACKNOWLEDGE: "message",
    Action.ASSESS: "answer",
    Action.COMMUNICATE: "message",
    Action.REFER_EXTERNAL: "body",
    Action.RESOLVE: "answer",
    Action.WAIT: "question",
    Action.REPLY: "body",
}


@dataclass
class ChecklistItem:
    number: int
    step: PlaybookStep
    text: str
    tick: PlaybookTick | None


@dataclass
class TemplateChoice:
    template: Any
    rendered: Rendered
    action: str  # the step whose form it fills
    field: str  # that form's field, prefixed as the form renders it

    @property
    def unknown_display(self) -> str:
        return ", ".join("{" + name + "}" for name in self.rendered.unknown)

    @property
    def unfilled_display(self) -> str:
        return ", ".join("{" + name + "}" for name in self.rendered.unfilled)

    @property
    def language_name(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.rendered.language, self.rendered.language))

    @property
    def shown_name(self) -> str:
        code = self.rendered.shown_language
        return str(dict(settings.LANGUAGES).get(code, code))


@dataclass
class CasePanel:
    playbook: Playbook | None = None
    routine: bool = False
    guidance: CaseGuidance | None = None
    checklist: list[ChecklistItem] = field(default_factory=list)
    templates: list[TemplateChoice] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for item in self.checklist if item.tick is not None)

    @property
    def all_done(self) -> bool:
        return bool(self.checklist) and self.done == len(self.checklist)

    @property
    def shown(self) -> bool:
        return self.playbook is not None or bool(self.templates)


def checklist(case: Complaint, playbook: Playbook) -> list[ChecklistItem]:
    ticks = {
        t.step_id: t
        for t in PlaybookTick.objects.filter(
            complaint=case, step__playbook=playbook
        ).select_related("by")
    }
    return [
        ChecklistItem(number=n, step=step, text=step.text_in(), tick=ticks.get(step.pk))
        for n, step in enumerate(playbook.steps.all(), start=1)
    ]


def case_panel(*, complaint: Complaint, user: User, actions: list[str]) -> CasePanel:
    """What the case page shows: the playbook and checklist (while routine) and, for someone
    who may write, the templates for the steps in `actions`."""
    panel = CasePanel()
    panel.playbook = playbook_for(complaint)
    panel.guidance = (
        CaseGuidance.objects.filter(complaint=complaint)
        .select_related("marked_by", "playbook")
        .first()
    )
    panel.routine = panel.playbook is not None and (
        panel.guidance is None or panel.guidance.routine
    )
    if panel.playbook is not None:
        panel.checklist = checklist(complaint, panel.playbook)
    if actions:
        for template in templates_for(complaint, actions=actions, playbook=panel.playbook):
            action = template.action or Action.REPLY
            if action not in actions:
                action = Action.REPLY
            panel.templates.append(
                TemplateChoice(
                    template=template,
                    rendered=template_render(template=template, case=complaint, agent=user),
                    action=action,
                    field=f"{action}-{CUSTOMER_FIELDS[action]}",
                )
            )
    return panel
