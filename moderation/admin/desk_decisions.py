"""The moderation desk's decisions (see `desk`): who may see the desk and take them, the form
each asks (a reason; a period for a suspension), and running one on many targets through
`moderation.services.actions`, the same for the queue's bulk actions and a target's page."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User

from ..models import REASON_MAX_LENGTH
from ..services import actions as action_services


def desk_permission(request, *, act: bool) -> bool:
    """May this person see the desk (`act` False) or take its decisions (`act` True)? The
    one check behind the queue, its bulk actions and the target page."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return user.has_perm("moderation.change_report" if act else "moderation.view_report")


SUSPEND_PERIODS = {
    "1d": (_("1 day"), timedelta(days=1)),
    "7d": (_("7 days"), timedelta(days=7)),
    "30d": (_("30 days"), timedelta(days=30)),
    "forever": (_("Permanently"), None),
}
DECISIONS = {
    "dismiss": _("Dismiss the reports"),
    "hide": _("Hide the content"),
    "unhide": _("Unhide the content"),
    "delete": _("Delete the content"),
    "warn": _("Warn the author"),
    "suspend": _("Suspend the author"),
}
# Decisions that only make sense for a note or a comment, not for a person.
CONTENT_ONLY = {"hide", "unhide", "delete"}
REASON_OPTIONAL = {"dismiss", "unhide"}


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_(
            "Kept in the audit log; the person concerned is told it (not for a dismissal)."
        ),
    )
    period = forms.ChoiceField(
        label=_("Suspend for"),
        required=False,
        choices=[(key, label) for key, (label, _delta) in SUSPEND_PERIODS.items()],
    )

    def __init__(self, *args, decision: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.fields["reason"].required = decision not in REASON_OPTIONAL
        if decision != "suspend":
            del self.fields["period"]
        else:
            self.fields["period"].required = True

    def until(self):
        _label, delta = SUSPEND_PERIODS[self.cleaned_data["period"]]
        return timezone.now() + delta if delta is not None else None


def decide_many(request, decision: str, targets: list, form: DecisionForm):
    """Run `decision` on each target through the services; a BulkOutcome."""
    moderator, reason = request.user, form.cleaned_data["reason"]
    if decision == "dismiss":
        return action_services.reports_dismiss_many(
            moderator=moderator, targets=targets, reason=reason
        )
    if decision == "warn":
        return action_services.target_owners_warn_many(
            moderator=moderator, targets=targets, reason=reason
        )
    if decision == "suspend":
        return action_services.target_owners_suspend_many(
            moderator=moderator, targets=targets, until=form.until(), reason=reason
        )
    run = {
        "hide": action_services.content_hide_many,
        "unhide": action_services.content_unhide_many,
        "delete": action_services.content_delete_many,
    }[decision]
    return run(moderator=moderator, targets=targets, reason=reason)


def usable_targets(decision: str, found: list, gone: list) -> tuple[list, list[str]]:
    """What `decision` can act on, and why the others are skipped."""
    skipped = []
    targets = list(found)
    if decision == "dismiss":
        targets += gone
    elif gone:
        skipped.append(
            ngettext(
                "%(n)d reported item is gone; only its reports can be dismissed.",
                "%(n)d reported items are gone; only their reports can be dismissed.",
                len(gone),
            )
            % {"n": len(gone)}
        )
    if decision in CONTENT_ONLY:
        people = [t for t in targets if isinstance(t, User)]
        if people:
            skipped.append(
                ngettext(
                    "%(n)d person skipped: people are warned or suspended, not hidden or deleted.",
                    "%(n)d people skipped: people are warned or suspended, not hidden or deleted.",
                    len(people),
                )
                % {"n": len(people)}
            )
            targets = [t for t in targets if not isinstance(t, User)]
    return targets, skipped


def report_outcome(admin_view, request, decision: str, outcome, skipped: list[str]) -> None:
    if outcome.done:
        admin_view.message_user(
            request,
            ngettext(
                "%(decision)s: done for %(n)d reported item.",
                "%(decision)s: done for %(n)d reported items.",
                outcome.done,
            )
            % {"decision": DECISIONS[decision], "n": outcome.done},
            messages.SUCCESS,
        )
    for target, why in outcome.failed:
        admin_view.message_user(request, f"{target}: {why}", messages.ERROR)
    for line in skipped:
        admin_view.message_user(request, line, messages.WARNING)
