"""The demo section of moderation (see rednote/demo.py): something for the desk to show.

Two readers who read English report a Chinese comment as an ad (the desk groups them and
shows the comment with its translation, which is what a moderator who reads one language
needs); two keyword rules, one refusing and one holding for review. With `--admin` (or DEBUG,
as for the superuser) a moderator account in the Moderator group, to try the desk with only
the permissions it needs.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accounts.demo import DEMO_EMAIL_DOMAIN, demo_user
from accounts.models import User
from rednote.demo import DemoContext, SectionResult, register

from .models import KeywordAction, KeywordRule, Report
from .services.keywords import keyword_rule_create
from .services.reports import report_create

MODERATOR_HANDLE = "moderator"
MODERATOR_PASSWORD = "moderator-pass-2025"  # noqa: S105 - published demo credentials

# (reporter, comment key in the seed, reason, details)
REPORTS = [
    ("midwest_kayla", "c008", "spam", "Is this an ad for a food tour?"),
    ("brisket_dad", "c008", "spam", ""),
]
RULES = [
    {
        "term": "buy followers",
        "language": "",
        "action": KeywordAction.REFUSE,
        "message": "Selling or buying followers is not allowed here.",
    },
    {"term": "代购", "language": "zh-Hans", "action": KeywordAction.HOLD, "message": ""},
]


def moderation_load(context: DemoContext) -> SectionResult:
    result = SectionResult()
    for rule in RULES:
        result.total += 1
        if not KeywordRule.objects.filter(term=rule["term"]).exists():
            keyword_rule_create(moderator=None, **rule)
            result.created += 1
    comments = context.loaded["comments"]
    for handle, key, reason, text in REPORTS:
        comment = comments.get(key)
        if comment is None:  # not loaded (a partial seed)
            continue
        result.total += 1
        reporter = demo_user(context, handle)
        mine = Report.objects.filter(reporter=reporter, target_id=comment.pk)
        if mine.filter(target_type=ContentType.objects.get_for_model(comment)).exists():
            continue
        report_create(reporter=reporter, target=comment, reason=reason, text=text)
        result.created += 1
    if context.admin:
        if moderator_ensure():
            context.messages.append(
                f"Moderator created: {MODERATOR_HANDLE} / {MODERATOR_PASSWORD!r}, at /admin/."
            )
    return result


def moderator_ensure() -> bool:
    """Create the demo moderator (staff, in the Moderator group) unless it exists."""
    if User.objects.by_handle(MODERATOR_HANDLE).exists():
        return False
    email = f"{MODERATOR_HANDLE}@{DEMO_EMAIL_DOMAIN}"
    with transaction.atomic():
        moderator = User.objects.create_user(
            handle=MODERATOR_HANDLE,
            email=email,
            password=MODERATOR_PASSWORD,
            display_name="Moderator",
            languages=["en"],
            is_staff=True,
        )
        moderator.groups.add(Group.objects.get(name="Moderator"))
        EmailAddress.objects.create(user=moderator, email=email, primary=True, verified=True)
    return True


# After the comments and likes (notes' sections), before the superuser.
register("moderation", order=900, load=moderation_load)
