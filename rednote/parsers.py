"""Request parsers for the API (DEFAULT_PARSER_CLASSES).

Kept apart from rednote.api: DRF reads its settings, parser classes included, while
`rest_framework.views` is imported, which rednote.api itself imports.
"""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested too deep to parse (100,000 `[`) with a 400.

    Python's json module recurses once per level, so such a body raised RecursionError, which
    DRF does not catch (it only turns ValueError into a parse error): a 500.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("JSON parse error - nested too deeply.")) from exc
