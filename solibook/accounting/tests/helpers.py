"""Test helpers: ledger postings that stand for checkouts (through finance's
only writer, `finance.ledger.post`), small files, an expense."""

from datetime import UTC, date, datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from solibook.accounting import services
from solibook.accounting.models import ExpenseCategory
from solibook.core.tenancy import business_scope
from solibook.finance import ledger

NOW = datetime(2030, 6, 1, 8, 0, tzinfo=UTC)


def sale(
    business,
    *,
    at: datetime,
    amount: int,
    location=None,
    master=None,
    category="womens-haircut",
    tax: int = 0,
    tip: int = 0,
    tender="card",
    reference="",
    kind="checkout",
):
    """A checkout as finance posts it: money in, revenue, tax, tips per master."""
    cur = business.currency
    lines = [
        ledger.Line(tender, amount + tax + tip, cur, location=location),
        ledger.Line(f"revenue:{category}", -amount, cur, location=location, master=master),
    ]
    if tax:
        lines.append(ledger.Line("taxes_payable", -tax, cur, location=location))
    if tip:
        lines.append(ledger.Line("tips_payable", -tip, cur, location=location, master=master))
    with scopes_disabled():
        return ledger.post(
            business=business,
            kind=kind,
            memo="Visit",
            lines=lines,
            reference=reference,
            occurred_at=at,
        )


def category(business, code="rent"):
    with business_scope(business):
        services.categories_ensure_defaults(business=business)
        return ExpenseCategory.objects.get(business=business, code=code)


def expense(salon, *, amount=12000, day=date(2030, 5, 20), code="rent", location=None, **kwargs):
    kwargs.setdefault("paid_from", "bank")
    kwargs.setdefault("description", "Rent May")
    with business_scope(salon.business):
        return services.expense_create(
            actor=None,
            business=salon.business,
            location_id=(location or salon.location).pk,
            category_id=category(salon.business, code).pk,
            amount=amount,
            currency=salon.business.currency,
            incurred_on=day,
            now=NOW,
            **kwargs,
        )


def png_bytes(size=(4, 4)) -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
