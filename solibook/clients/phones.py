"""Phone numbers to E.164, read in the salon's country when written locally."""

import phonenumbers


def to_e164(raw: str, *, region: str = "") -> str | None:
    """'06 12 34 56 78' in FR -> '+33612345678'; None when it is not a valid number."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
