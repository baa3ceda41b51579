"""Which media type a GraphQL response is sent in (GraphQL over HTTP, "Body" and "Status Codes").

Under `application/json`, the legacy type, a well-formed request is answered 200 whatever went
wrong, since a client cannot tell our 4xx from a proxy's. Under
`application/graphql-response+json` the status says what happened: a request error (the
document does not parse or validate, or the variables do not fit it) is a 400 with no `data`
entry at all. schema/http.py applies the choice made here.
"""

from __future__ import annotations

import math

JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
# The Content-Type sent for each; the spec asks for the encoding on the new type. JSON has no
# charset parameter (RFC 8259: it is UTF-8), and application/json stays as it always was.
CONTENT_TYPES = {JSON: JSON, GRAPHQL_RESPONSE_JSON: f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"}
_JSON_WILDCARDS = ("application/*", "*/*")


def response_media_type(accept: str | None) -> str:
    """application/graphql-response+json to a client that names it in Accept, with a quality
    above application/json's, or equal and listed first; application/json to everyone else.

    So no Accept, `*/*` and `application/*` get application/json, as every client did before
    (graphql-http's audit expects that too). A client accepting neither also gets
    application/json rather than a 406: the spec allows both, and this breaks no client that
    works today.
    """
    ranges = _media_ranges(accept or "")
    wanted = ranges.get(GRAPHQL_RESPONSE_JSON)
    if wanted is None or wanted[0] <= 0:
        return JSON
    json = ranges.get(JSON)
    if json is None:
        # A wildcard stands for application/json too, but yields to a type named outright.
        quality = next((ranges[r][0] for r in _JSON_WILDCARDS if r in ranges), 0.0)
        json = (quality, math.inf)
    (wanted_quality, wanted_position), (json_quality, json_position) = wanted, json
    if (wanted_quality, -wanted_position) > (json_quality, -json_position):
        return GRAPHQL_RESPONSE_JSON
    return JSON


def _media_ranges(accept: str) -> dict[str, tuple[float, float]]:
    """Each media range of an Accept header: (quality, position); the first of duplicates wins,
    and a range with a malformed quality is skipped."""
    ranges: dict[str, tuple[float, float]] = {}
    for position, item in enumerate(accept.split(",")):
        media_range, *parameters = (part.strip() for part in item.split(";"))
        quality = _quality(parameters)
        if media_range and quality is not None:
            ranges.setdefault(media_range.lower(), (quality, position))
    return ranges


def _quality(parameters: list[str]) -> float | None:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                return None
            return quality if 0 <= quality <= 1 else None
    return 1.0
