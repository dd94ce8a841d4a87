"""`{% note_cards notes %}`: a grid's cards, and `{% note_carousel images %}`: the note page's
photos, from the fragment cache (`notes.cards`)."""

from django import template

from ..cards import note_cards_html, note_carousel_html

register = template.Library()


@register.simple_tag(takes_context=True)
def note_cards(context, notes):
    """The cards of `notes`, as including `notes/_card.html` for each would render them."""
    return note_cards_html(list(notes), context)


@register.simple_tag
def note_carousel(images):
    """The photo carousel, as including `notes/_carousel.html` with `images` would render it."""
    return note_carousel_html(list(images))
