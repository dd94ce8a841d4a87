"""`{% note_cards notes %}`: a grid's cards, from the card cache (`notes.cards`)."""

from django import template

from ..cards import note_cards_html

register = template.Library()


@register.simple_tag(takes_context=True)
def note_cards(context, notes):
    """The cards of `notes`, as including `notes/_card.html` for each would render them."""
    return note_cards_html(list(notes), context)
