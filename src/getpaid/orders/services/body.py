"""A request's JSON body, or a DeserializationError (a 400) for anything else.

JSON nested deeper than Python's recursion limit (``[[[[…]]]]``) makes the
parser raise RecursionError, which is no ValueError: plone.restapi's
``json_body`` lets it out. Its PAS plugin reads the body of every JSON
request, looking for a login, before any service runs, so such a body
failed every JSON request to the site with a 500, ours (@checkout, order
PATCH) included. ``read_json`` refuses it as malformed, and takes
``json_body``'s place in plone.restapi (services/configure.zcml) until
plone.restapi does so itself.
"""

from plone.restapi import deserializer
from plone.restapi.exceptions import DeserializationError


# plone.restapi's own, taken before the patch puts read_json in its place.
restapi_json_body = deserializer.json_body


def read_json(request) -> dict:
    """The body's JSON object, as plone.restapi's ``json_body`` reads it."""
    try:
        return restapi_json_body(request)
    except RecursionError:
        raise DeserializationError("The JSON is nested too deeply.") from None
