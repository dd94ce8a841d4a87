"""`{{ note.body|note_text }}`: escaped text with hashtags and @mentions linked, newlines kept.

Only the recognised spans become links; everything else is escaped, so user text can never
inject markup. Mentions link only when the handle belongs to someone (pass the note's
mentioned users: `{{ note.body|note_text:note.mentions.all }}`).
"""

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from notes.parsing import text_spans

register = template.Library()


@register.filter(name="note_text")
def note_text(text: str, mentioned=None) -> str:
    text = text or ""
    known = {u.handle.lower(): u for u in (mentioned or [])}
    parts: list[str] = []
    cursor = 0
    for span in text_spans(text):
        parts.append(escape(text[cursor : span.start]))
        raw = text[span.start : span.end]
        if span.kind == "hashtag":
            parts.append(
                format_html(
                    '<a class="hashtag" href="{}">#{}</a>',
                    reverse("feeds:tag", kwargs={"name": span.value}),
                    span.display,
                )
            )
        elif span.value.lower() in known:
            user = known[span.value.lower()]
            parts.append(
                format_html(
                    '<a class="mention" href="{}">@{}</a>', user.get_absolute_url(), user.handle
                )
            )
        else:
            parts.append(escape(raw))
        cursor = span.end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped
