"""What the admin's decision queues over a note or comment share (appeals, held content): a
status filter that opens on what waits, and a read-only admin whose rows point at a generic
`target`, previewed by its text, decided by those with `decide_permission`."""

from django.contrib import admin
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def text_of(target) -> str:
    """A note's title and text, or a comment's text (attributes read on the row itself: a
    queue page shows many, and reads nothing more for them)."""
    parts = [getattr(target, "title", ""), getattr(target, "body", "")]
    return "\n".join(part for part in parts if part)


class WaitingFirstStatusFilter(admin.SimpleListFilter):
    """Filter by `statuses` (a TextChoices), `waiting` by default, with an "All" choice."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"
    statuses: type[models.TextChoices]
    waiting: str

    def lookups(self, request, model_admin):
        return [*self.statuses.choices, (self.ALL, _("All"))]

    def value(self):
        return super().value() or self.waiting

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())


class TargetQueueAdmin(admin.ModelAdmin):
    """Rows with a generic `target`: read-only (decided through services by the subclass's
    actions), never added or deleted here, the targets of a page fetched in one query per
    type."""

    # The permission that lets a person decide (grant, approve...) rather than only look.
    decide_permission: str

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm(self.decide_permission)

    @admin.display(description=_("content"))
    def preview(self, row) -> str:
        target = row.target
        if target is None:
            return gettext("(deleted)")
        return Truncator(text_of(target).replace("\n", " · ")).chars(80)

    @admin.display(description=_("kind"), ordering="target_type")
    def kind(self, row) -> str:
        model = row.target_type.model_class()
        return str(model._meta.verbose_name).capitalize() if model is not None else "—"
