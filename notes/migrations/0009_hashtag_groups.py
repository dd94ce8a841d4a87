"""Hashtag groups: tags moderators link across languages (#美食 ↔ #food). A tag's group, and a
copy of it on each of its notes' links, indexed (group, newest first, note) for the links that
have one, so a group's page walks one index. No link has a group yet: nothing to fill."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0008_comment_top_level_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HashtagGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        blank=True,
                        help_text="For moderators only; the tags' pages show the tags themselves.",
                        max_length=100,
                        verbose_name="name",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
            ],
            options={
                "verbose_name": "hashtag group",
                "verbose_name_plural": "hashtag groups",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="hashtag",
            name="group",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="hashtags",
                to="notes.hashtaggroup",
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="notehashtag",
            name="group",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="notes.hashtaggroup",
            ),
        ),
        migrations.AddIndex(
            model_name="notehashtag",
            index=models.Index(
                condition=models.Q(("group__isnull", False)),
                fields=["group", "-published_at", "-note"],
                name="note_hashtag_group_latest",
            ),
        ),
    ]
