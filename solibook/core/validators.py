import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from solibook.core.errors import ValidationFailed
from solibook.core.money import is_known_currency
from solibook.core.time import is_valid_zone


def validate_currency(value: str) -> None:
    if not is_known_currency(value):
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code."), params={"value": value}
        )


def validate_time_zone(value: str) -> None:
    if not is_valid_zone(value):
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


# --- Names: one rule for every person's or business's name -------------------
# Bidirectional overrides and isolates can make "Anna" display as another name
# (and reverse the text around it: "Trojan Source"); zero-width and other
# format characters hide differences between two names that look identical;
# control characters break logs, CSV exports and e-mail headers.
_BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
# Zero-width joiner/non-joiner are legitimate in Arabic, Persian and Indic
# scripts and in emoji; they are kept. Other invisible characters are not.
_ALLOWED_FORMAT = frozenset("\u200c\u200d")
# Characters that draw nothing although Unicode files them as letters or
# symbols (Hangul fillers, the blank Braille cell): a name of only these, of
# joiners and of spaces is blank.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800") | _ALLOWED_FORMAT


def normalise_name(value: str) -> str:
    """NFC-normalised, whitespace collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def name_problem(value: str) -> str | None:
    """Why this name is refused, or None."""
    for char in value:
        if char in _BIDI_CONTROLS:
            return "bidi"
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp"):  # tabs and line breaks included
            return "control"
        if category == "Cf" and char not in _ALLOWED_FORMAT:
            return "invisible"
        if category in ("Co", "Cs", "Cn"):
            return "unassigned"
    return None


_NAME_MESSAGES = {
    "bidi": _("Names cannot contain text-direction control characters."),
    "control": _("Names cannot contain control characters or line breaks."),
    "invisible": _("Names cannot contain invisible characters."),
    "unassigned": _("Names cannot contain private-use or unassigned characters."),
}


def validate_name(value: str) -> None:
    """For every name field (people, businesses, services, masters): refuses
    bidi overrides, control characters, zero-width and unassigned characters,
    and names that are blank once normalised."""
    problem = name_problem(value or "")
    if problem:
        raise ValidationError(_NAME_MESSAGES[problem], code=f"name_{problem}")
    if value and not "".join(c for c in normalise_name(value) if c not in _BLANK_LOOKING).strip():
        raise ValidationError(_("Enter a name."), code="name_blank")


def clean_name(value: str, *, field: str, required: bool = True) -> str:
    """A person's name as services store it: `validate_name`'s rule, then
    normalised (NFC, spaces collapsed). A refusal is a `ValidationFailed`
    naming `field`, so the page shows it on its field and the API in `fields`.
    `required=False`: an empty name stays empty (spaces only are refused)."""
    value = value or ""
    try:
        validate_name(value)
        if required and not value:
            raise ValidationError(_("Enter a name."), code="name_blank")
    except ValidationError as exc:
        message = str(exc.messages[0])
        raise ValidationFailed(message, fields={field: [message]}) from exc
    return normalise_name(value)


# --- Sites allowed to frame the booking widget --------------------------------
def clean_origin(value: str) -> str:
    """`https://salon.example[:port]` exactly (no path, no wildcard), lower-cased."""
    parts = urlsplit(value.strip())
    if (
        parts.scheme != "https"
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
        or "*" in value
        or any(c.isspace() or c in ";,'\"" for c in value.strip())
    ):
        raise ValidationError(
            _("%(value)s is not a site address such as https://salon.example."),
            params={"value": value},
        )
    port = f":{parts.port}" if parts.port else ""
    return f"https://{parts.hostname.lower()}{port}"


def validate_embed_origins(value) -> None:
    if not isinstance(value, list) or len(value) > 20:
        raise ValidationError(_("Give at most 20 site addresses."))
    for item in value:
        if not isinstance(item, str):
            raise ValidationError(_("Give at most 20 site addresses."))
        clean_origin(item)
