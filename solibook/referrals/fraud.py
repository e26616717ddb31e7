"""Fraud checks: who is the same person, what looks like abuse.

Each check returns a reason code; `REASONS` holds the text the review queue
shows. Identifiers are compared normalised (e-mail without +tags and, for
Gmail, without dots; phone digits; names without accents, case or word
order) and devices and addresses as salted hashes, never in clear.
"""

import hashlib
import re
import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from solibook.referrals.models import Fingerprint, FingerprintKind, Referral, ReferralClick

# The cookie that marks a browser (its salted hash is a fingerprint).
DEVICE_COOKIE = "sb_device"

REASONS = {
    "self_email": _("Same e-mail address as the referrer"),
    "self_phone": _("Same phone number as the referrer"),
    "self_name": _("Same name as the referrer"),
    "self_device": _("Same device as the referrer"),
    "self_ip_agent": _("Same network address and browser as the referrer"),
    "self_payment": _("Paid with the referrer's card"),
    "existing_client": _("Already a client of the salon"),
    "burst_ip": _("Many referrals from one network address"),
    "public_code": _("Code posted publicly"),
    "cap_monthly": _("The referrer's monthly reward limit is reached"),
    "cap_lifetime": _("The referrer's reward limit is reached"),
}
# Reasons a salon may waive with a household exception (people living together
# share a name, a phone, a computer and a connection).
HOUSEHOLD_WAIVABLE = {"self_name", "self_phone", "self_device", "self_ip_agent", "self_payment"}
# Public places where a posted code is no longer a personal recommendation.
PUBLIC_HOSTS = (
    "retailmenot.",
    "dealabs.",
    "hotukdeals.",
    "pepper.",
    "couponfollow.",
    "slickdeals.",
    "groupon.",
    "honey.",
)
PUBLIC_DISTINCT_ADDRESSES = 25  # distinct addresses clicking one personal code within a day


def digest(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email:
        return email
    local, domain = email.rsplit("@", 1)
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def normalise_phone(phone) -> str:
    digits = re.sub(r"\D", "", str(phone or ""))
    return digits[-9:] if len(digits) >= 9 else digits


def normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.findall(r"\w+", plain)
    return " ".join(sorted(words))


def ip_agent_digest(ip: str | None, user_agent: str) -> str:
    return digest(f"{ip or ''}|{user_agent or ''}") if ip else ""


def fingerprint_record(*, user, kind: str, value: str) -> None:
    """Remember what a person was seen with (values already hashed)."""
    if value:
        Fingerprint.objects.get_or_create(user=user, kind=kind, value=value)


def seen_with(user, kind: str, value: str) -> bool:
    return bool(value) and Fingerprint.objects.filter(user=user, kind=kind, value=value).exists()


def same_person_reasons(*, referrer, friend, device: str = "", ip_agent: str = "") -> list[str]:
    reasons = []
    if normalise_email(referrer.email) == normalise_email(friend.email):
        reasons.append("self_email")
    a, b = normalise_phone(referrer.phone), normalise_phone(friend.phone)
    if a and a == b:
        reasons.append("self_phone")
    a, b = normalise_name(referrer.full_name), normalise_name(friend.full_name)
    if a and a == b:
        reasons.append("self_name")
    if seen_with(referrer, FingerprintKind.DEVICE, device):
        reasons.append("self_device")
    if seen_with(referrer, FingerprintKind.IP_AGENT, ip_agent):
        reasons.append("self_ip_agent")
    return reasons


def burst_from_address(*, business, ip: str | None, limit: int, now: datetime) -> bool:
    if not ip:
        return False
    recent = Referral.objects.filter(
        business=business, ip=ip, created_at__gte=now - timedelta(hours=1)
    ).count()
    return recent >= limit


def looks_public(*, code, referer_host: str, now: datetime) -> bool:
    """A code on a coupon site, or clicked from very many addresses in a day."""
    if referer_host and any(host in referer_host for host in PUBLIC_HOSTS):
        return True
    if code.partner_id:  # partners publish their codes: that is their job
        return False
    distinct = (
        ReferralClick.objects.filter(code=code, created_at__gte=now - timedelta(days=1))
        .values("ip")
        .distinct()
        .count()
    )
    return distinct >= PUBLIC_DISTINCT_ADDRESSES


def reason_labels(codes: list[str]) -> list[str]:
    return [str(REASONS.get(code, code)) for code in codes]
