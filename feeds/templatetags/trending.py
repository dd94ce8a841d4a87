"""`{% trending_tags as tags %}`: the trending hashtags for the reader of the page, for the
trending block (`feeds/_trending.html`) wherever it is included."""

from django import template

from feeds import trending

register = template.Library()


@register.simple_tag(takes_context=True)
def trending_tags(context, size: int = trending.TRENDING_SIZE) -> list[trending.TrendingTag]:
    request = context.get("request")
    return trending.trending_tags(viewer=getattr(request, "user", None), size=size)
