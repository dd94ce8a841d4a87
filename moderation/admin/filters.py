"""A status filter that opens on what waits for a decision (appeals, held content)."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _


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
