from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from .authentication import token_cache_receivers_connect

        token_cache_receivers_connect()
        _password_receivers_connect()


def _password_receivers_connect() -> None:
    """A new password (changed, set or reset through allauth) ends the person's other
    sessions: deleted from the store, not only refused by Django's session hash (the service,
    `password_set`, has already revoked the API tokens). The browser that changed it stays
    signed in."""
    from allauth.account import signals

    from .sessions import sessions_end

    def other_sessions_end(sender, request, user, **kwargs) -> None:
        session = getattr(request, "session", None)
        keep = session.session_key if session is not None and user == request.user else None
        sessions_end(user_id=user.pk, keep_session_key=keep)

    for name in ("password_changed", "password_set", "password_reset"):
        getattr(signals, name).connect(other_sessions_end, dispatch_uid=f"accounts.{name}")
