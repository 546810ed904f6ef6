"""The API's JSON parser, with a bound on nesting (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]).

No request of this API nests deeper than a few levels, while a body of 50,000 `[` makes
Python's decoder raise RecursionError (a 500) and a few thousand would reach the
serializers. Either is a 400 with a message here.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _too_deep(data, limit: int) -> bool:
    """Walk the parsed value without recursion: is any list or object nested beyond `limit`?"""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class DepthLimitedJSONParser(JSONParser):
    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise self.too_deep() from None
        if _too_deep(data, self.max_depth):
            raise self.too_deep()
        return data

    def too_deep(self) -> ParseError:
        return ParseError(
            _("The JSON is nested too deeply (at most %(depth)d levels).")
            % {"depth": self.max_depth}
        )
