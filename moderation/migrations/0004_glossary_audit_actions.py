"""The audit log records the moderators' decisions on the slang glossary (approve, reject, add,
edit, delete a term)."""

from django.db import migrations, models

ACTIONS = [
    ("dismiss", "Dismissed the reports"),
    ("hide", "Hid"),
    ("unhide", "Unhid"),
    ("delete", "Deleted"),
    ("warn", "Warned"),
    ("suspend", "Suspended"),
    ("unsuspend", "Lifted the suspension"),
    ("approve", "Approved held content"),
    ("reject", "Rejected held content"),
    ("appeal_grant", "Granted the appeal"),
    ("appeal_deny", "Denied the appeal"),
    ("link_tags", "Linked hashtags"),
    ("glossary_approve", "Approved a glossary term"),
    ("glossary_reject", "Rejected a glossary term"),
    ("glossary_add", "Added a glossary term"),
    ("glossary_edit", "Edited a glossary term"),
    ("glossary_delete", "Deleted a glossary term"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_suspended_account"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="auditlogentry", name="audit_action_valid"),
        migrations.AlterField(
            model_name="auditlogentry",
            name="action",
            field=models.CharField(choices=ACTIONS, max_length=20, verbose_name="action"),
        ),
        migrations.AddConstraint(
            model_name="auditlogentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("action__in", [code for code, _label in ACTIONS])),
                name="audit_action_valid",
            ),
        ),
    ]
