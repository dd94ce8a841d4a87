from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = _("Feeds")

    def ready(self) -> None:
        from . import ranking, receivers

        ranking.connect_receivers()
        receivers.connect()

        # A closed account's notes leave timelines before notes erases them.
        from accounts.personal_data import registry as personal_data

        from .personal_data import feeds_erase

        personal_data.register("feeds", erase=feeds_erase, order=5)
