"""The moderation desk in Django admin, one module per part: the report queue and its actions
(`desk`; its decisions in `desk_decisions`, a reported target's page in `desk_target`), the
audit log (`audit`), appeals (`appeals`), keyword rules and held content (`keywords`), suspended
accounts (`suspensions`), the slang glossary and readers' suggestions for it (`glossary`), and
the user admin as moderation needs it (`users`)."""

from . import appeals, audit, desk, glossary, keywords, suspensions, users  # noqa: F401
