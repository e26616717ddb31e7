"""Gzip for the HTML pages visitors land on (issue #24: pages).

Static files are not this middleware's business: WhiteNoise, above it in
MIDDLEWARE, answers them with its own pre-compressed copies. JSON (the API) is
left as it was: its answers are small and the API's speed was measured without
compression; turning it on there belongs with the API's own figures.

BREACH: compression leaks the size of a response, and an attacker who can make a
victim's browser load a page many times, with text of the attacker's choosing
reflected in it (every page reflects its own address in the language switcher's
`next` field), can learn a secret that stays the same across those loads.
What is compressed here:
- pages for a visitor who is not signed in, the marketplace and the booking
  wizard. Their one secret is the CSRF token, and Django masks it afresh in every
  response (a different string each time, nothing stable to guess); Django also
  adds up to 100 random bytes to each gzip answer ("gzip length hiding").
- not the pages of a signed-in user: some show a secret again on every load
  (the two-factor set-up key, a messenger's webhook token) and all show personal
  data. They stay uncompressed rather than rely on length hiding alone.
"""

from django.middleware.gzip import GZipMiddleware


class PublicPageGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        return super().process_response(request, response)
