"""Every write of the compliance area: ZATCA invoices, 54-FZ settings and receipts.

ZATCA: `zatca_issue` runs inside the checkout's own transaction (finance's
`checkout_recorded` signal), so a sale and its invoice commit together, and
the chain's counter never skips a number for a sale that rolled back.

54-FZ: the receipt row is written with the sale (same signal: an outbox row,
nothing is lost if the process dies after the commit); the call to the
operator runs after the commit in a background task (`tasks.fiscal_send`),
never inside the till's transaction.
"""

import uuid as uuidlib

from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from solibook.compliance import atol, zatca
from solibook.compliance.models import (
    FiscalReceipt,
    FiscalSettings,
    TaxSystem,
    ZatcaChain,
    ZatcaInvoice,
)
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed, refuse_fields
from solibook.core.time import to_local
from solibook.finance.models import Checkout, FinanceSettings, Refund

MAX_ATTEMPTS = 5
# Seconds before the n-th retry (the operator or the network is down).
BACKOFF = [30, 120, 600, 1800]


# --- ZATCA ---------------------------------------------------------------------------------


def zatca_applies(business) -> bool:
    return business.country == "SA"


def zatca_issue(*, checkout: Checkout) -> ZatcaInvoice | None:
    """The simplified tax invoice of a Saudi salon's checkout, once.

    Without a valid VAT number nothing is issued: a QR with a wrong number is
    worse than none (the receipt says why). The chain row is locked for the
    rest of the checkout's transaction: concurrent sales of one salon take
    consecutive counters, one after the other."""
    business = checkout.business
    if not zatca_applies(business) or not zatca.valid_vat_number(business.vat_number):
        return None
    existing = ZatcaInvoice.objects.filter(checkout=checkout, refund__isnull=True).first()
    if existing is not None:
        return existing
    return _chain_append(
        business,
        lambda icv, previous: zatca.invoice_from_checkout(
            checkout, icv=icv, previous_hash=previous, uuid=str(uuidlib.uuid4())
        ),
        checkout=checkout,
        refund=None,
        issued_at=checkout.created_at,
    )


def _chain_append(business, build, *, checkout, refund, issued_at) -> ZatcaInvoice:
    """Lock the salon's chain, take the next counter, hash, store, move the head."""
    with transaction.atomic():
        ZatcaChain.objects.get_or_create(business=business)
        chain = ZatcaChain.objects.select_for_update().get(business=business)
        icv = chain.last_icv + 1
        previous = chain.last_hash or zatca.FIRST_PIH
        invoice = build(icv, previous)
        digest = zatca.invoice_hash(invoice)
        qr = zatca.qr_text(invoice)
        row = ZatcaInvoice.objects.create(
            business=business,
            checkout=checkout,
            refund=refund,
            type_code=invoice.type_code,
            icv=icv,
            uuid=invoice.uuid,
            previous_hash=previous,
            invoice_hash=digest,
            qr=qr,
            xml=zatca.xml_bytes(invoice, qr).decode("utf-8"),
            issued_at=issued_at,
        )
        ZatcaChain.objects.filter(pk=chain.pk).update(last_icv=icv, last_hash=digest)
    return row


def zatca_credit_note(*, refund: Refund) -> ZatcaInvoice | None:
    """The credit note (381) of a refund of a sale that has its invoice, once;
    the next counter of the same chain."""
    checkout = refund.payment.checkout
    business = refund.business
    if checkout is None or refund.state != Refund.State.SUCCEEDED:
        return None
    if not zatca_applies(business) or not zatca.valid_vat_number(business.vat_number):
        return None
    if not ZatcaInvoice.objects.filter(checkout=checkout, refund__isnull=True).exists():
        return None  # a sale without an invoice (no VAT number then) gets no credit note
    existing = ZatcaInvoice.objects.filter(refund=refund).first()
    if existing is not None:
        return existing

    def build(icv: int, previous: str) -> zatca.Invoice:
        sale = zatca.invoice_from_checkout(checkout, icv=0, previous_hash="", uuid="")
        with translation.override("en"):  # the reason, in the XML, in one language
            return zatca.credit_note_from_refund(
                refund,
                invoice=sale,
                icv=icv,
                previous_hash=previous,
                uuid=str(uuidlib.uuid4()),
                issued_local=to_local(refund.created_at, checkout.location.time_zone),
            )

    return _chain_append(
        business, build, checkout=checkout, refund=refund, issued_at=refund.created_at
    )


# --- 54-FZ settings ------------------------------------------------------------------------


def fiscal_settings_for(business) -> FiscalSettings:
    row, _created = FiscalSettings.objects.get_or_create(business=business)
    return row


def fiscal_settings_update(
    *,
    business,
    enabled: bool,
    sandbox: bool,
    login: str,
    group_code: str,
    inn: str,
    tax_system: str,
    payment_address: str,
    company_email: str,
    password: str = "",
    actor=None,
) -> FiscalSettings:
    """Save the operator account. An empty `password` keeps the stored one:
    it is never shown back, so a form cannot send it again."""
    errors: dict[str, list[str]] = {}
    inn = inn.strip()
    if inn and not (inn.isdigit() and len(inn) in (10, 12)):
        errors["inn"] = [_("An INN has 10 digits (a company) or 12 (an entrepreneur).")]
    if tax_system not in TaxSystem.values:
        errors["tax_system"] = [_("Choose a tax system.")]
    with transaction.atomic():
        row = FiscalSettings.objects.select_for_update().filter(business=business).first()
        if row is None:
            row = FiscalSettings.objects.create(business=business)
        if enabled:
            required = {
                "login": login,
                "group_code": group_code,
                "inn": inn,
                "payment_address": payment_address,
                "company_email": company_email,
                "password": password or row.password,
            }
            for field, value in required.items():
                if not value.strip():
                    errors.setdefault(field, [_("Needed to send receipts.")])
            if business.currency != "RUB":
                errors.setdefault("enabled", []).append(
                    _("54-FZ receipts are for salons that sell in roubles.")
                )
        if errors:
            refuse_fields(errors)
        row.enabled, row.sandbox = enabled, sandbox
        row.login, row.group_code, row.inn = login.strip(), group_code.strip(), inn
        row.tax_system, row.payment_address = tax_system, payment_address.strip()
        row.company_email = company_email.strip()
        if password:
            row.password = password
        row.save()
        audit_log(
            action="compliance.fiscal_settings",
            actor=actor,
            business=business,
            obj=row,
            data={"enabled": enabled, "sandbox": sandbox, "password_changed": bool(password)},
        )
    return row


# --- 54-FZ receipts ------------------------------------------------------------------------


def _vat_type(rate: int, *, vat_payer: bool) -> str:
    if not vat_payer:
        return "none"
    if rate not in atol.VAT_TYPES:
        raise ValidationFailed(
            _("The VAT rate %(rate)s%% has no 54-FZ code.") % {"rate": f"{rate / 100:g}"},
            code="fiscal_vat_unknown",
        )
    return atol.VAT_TYPES[rate]


def _vat_of(gross: int, rate: int) -> int:
    # Prices include VAT in Russia: the tax inside a gross amount, rounded half up.
    return (gross * rate * 2 + (10000 + rate)) // (2 * (10000 + rate)) if rate else 0


ITEM_KINDS = {
    "service": ("full_payment", "service"),
    "product": ("full_payment", "commodity"),
    "package": ("full_prepayment", "service"),
    # A gift card sold is an advance for services later (tag 1214 = 3, 1212 = 10).
    "gift_card": ("advance", "payment"),
}


def _items(checkout: Checkout, vat_payer: bool) -> list[dict]:
    """(name, gross, quantity, rate, method, object) per line, tips last."""
    rows = []
    for line in checkout.lines.order_by("position"):
        method, subject = ITEM_KINDS.get(line.kind, ("full_payment", "service"))
        rows.append(
            {
                "name": line.description[:128],
                "gross": line.gross_amount,
                "quantity": line.quantity,
                "vat": _vat_type(line.tax_rate, vat_payer=vat_payer),
                "rate": line.tax_rate,
                "method": method,
                "object": subject,
            }
        )
    if checkout.tip_total:
        rows.append(
            {
                "name": "Чаевые",
                "gross": checkout.tip_total,
                "quantity": 1,
                "vat": "none",
                "rate": 0,
                "method": "full_payment",
                "object": "service",
            }
        )
    return rows


def _scaled(rows: list[dict], amount: int) -> list[dict]:
    """The rows shrunk to `amount` in proportion (a partial refund); the last row
    takes the rounding, so the items add up to the refund to the kopeck."""
    total = sum(r["gross"] for r in rows)
    if total == amount:
        return rows
    out, left = [], amount
    for i, row in enumerate(rows):
        share = left if i == len(rows) - 1 else row["gross"] * amount // total
        left -= share
        if share > 0:
            out.append({**row, "gross": share, "quantity": 1})
    return out


def _client(checkout: Checkout, settings_row: FiscalSettings) -> dict:
    """The buyer's e-mail or phone (tag 1008). A walk-in without either gets the
    receipt at the salon's own address, as ATOL's v4 needs one of them."""
    account = checkout.account
    if account is not None and account.email:
        return {"email": account.email}
    card = getattr(checkout.appointment, "client_card", None) if checkout.appointment else None
    if card is not None and card.email:
        return {"email": card.email}
    if card is not None and card.phone:
        return {"phone": str(card.phone)}
    return {"email": settings_row.company_email}


def receipt_body(
    *, checkout: Checkout, settings_row: FiscalSettings, external_id: str, amount: int, tender: str
) -> dict:
    finance = FinanceSettings.objects.filter(business=checkout.business).first()
    vat_payer = bool(finance.vat_registered) if finance else True
    rows = _scaled(_items(checkout, vat_payer), amount)
    items, vats = [], {}
    for row in rows:
        vat_sum = _vat_of(row["gross"], row["rate"]) if row["vat"] != "none" else 0
        item = {
            "name": row["name"],
            "price": atol.rubles(row["gross"] // row["quantity"])
            if row["gross"] % row["quantity"] == 0
            else atol.rubles(row["gross"]),
            "quantity": float(row["quantity"]) if row["gross"] % row["quantity"] == 0 else 1.0,
            "sum": atol.rubles(row["gross"]),
            "measurement_unit": "шт",
            "payment_method": row["method"],
            "payment_object": row["object"],
            "vat": {"type": row["vat"], "sum": atol.rubles(vat_sum)},
        }
        items.append(item)
        vats[row["vat"]] = vats.get(row["vat"], 0) + vat_sum
    if tender:
        payments = {atol.PAYMENT_TYPES.get(tender, 1): amount}
    else:
        payments = {}
        for payment in checkout.payments.order_by("id"):
            kind = atol.PAYMENT_TYPES.get(payment.tender, 1)
            payments[kind] = payments.get(kind, 0) + payment.amount
    local = to_local(checkout.created_at, checkout.location.time_zone)
    return {
        "external_id": external_id,
        "receipt": {
            "client": _client(checkout, settings_row),
            "company": {
                "email": settings_row.company_email,
                "sno": settings_row.tax_system,
                "inn": settings_row.inn,
                "payment_address": settings_row.payment_address,
            },
            "items": items,
            "payments": [{"type": k, "sum": atol.rubles(v)} for k, v in sorted(payments.items())],
            "vats": [{"type": k, "sum": atol.rubles(v)} for k, v in vats.items()],
            "total": atol.rubles(amount),
        },
        "timestamp": local.strftime("%d.%m.%Y %H:%M:%S"),
    }


def _active_settings(business) -> FiscalSettings | None:
    if business.country != "RU":
        return None
    row = FiscalSettings.objects.filter(business=business, enabled=True).first()
    return row


def fiscal_receipt_for_sale(*, checkout: Checkout) -> FiscalReceipt | None:
    """The sale's receipt row (inside the checkout's transaction), once."""
    settings_row = _active_settings(checkout.business)
    if settings_row is None:
        return None
    external_id = f"solibook-{checkout.business_id}-{checkout.pk}-sell"
    existing = FiscalReceipt.objects.filter(external_id=external_id).first()
    if existing is not None:
        return existing
    status, error = FiscalReceipt.Status.PENDING, ""
    try:
        body = receipt_body(
            checkout=checkout,
            settings_row=settings_row,
            external_id=external_id,
            amount=checkout.total,
            tender="",
        )
    except ValidationFailed as exc:
        # The sale stands; the receipt waits, failed and visible, for a fix.
        body, status, error = {}, FiscalReceipt.Status.FAILED, exc.message[:300]
    return FiscalReceipt.objects.create(
        business=checkout.business,
        checkout=checkout,
        operation=FiscalReceipt.Operation.SELL,
        external_id=external_id,
        body=body,
        total=checkout.total,
        status=status,
        error=error,
    )


def fiscal_receipt_for_refund(*, refund: Refund) -> FiscalReceipt | None:
    """A refund's `sell_refund`, for a sale that had a receipt."""
    checkout = refund.payment.checkout
    if checkout is None or refund.state != Refund.State.SUCCEEDED:
        return None
    settings_row = _active_settings(refund.business)
    if settings_row is None:
        return None
    if not FiscalReceipt.objects.filter(
        checkout=checkout, operation=FiscalReceipt.Operation.SELL
    ).exists():
        return None
    external_id = f"solibook-{refund.business_id}-refund-{refund.pk}"
    body = receipt_body(
        checkout=checkout,
        settings_row=settings_row,
        external_id=external_id,
        amount=refund.amount,
        tender=refund.payment.tender,
    )
    row, _created = FiscalReceipt.objects.get_or_create(
        external_id=external_id,
        defaults={
            "business": refund.business,
            "checkout": checkout,
            "refund": refund,
            "operation": FiscalReceipt.Operation.SELL_REFUND,
            "body": body,
            "total": refund.amount,
        },
    )
    return row


def _claim(receipt_id: int) -> bool:
    # The race point: one caller moves a waiting receipt to "sending"; a
    # receipt the operator accepted (`sent`, `done`) is never claimed again.
    return bool(
        FiscalReceipt.objects.filter(pk=receipt_id, status=FiscalReceipt.Status.PENDING).update(
            status=FiscalReceipt.Status.SENDING, attempts=F("attempts") + 1
        )
    )


def _client_for(business) -> atol.AtolClient:
    row = FiscalSettings.objects.get(business=business)
    return atol.AtolClient(
        login=row.login, password=row.password, group_code=row.group_code, sandbox=row.sandbox
    )


def fiscal_send(*, business, receipt_id: int) -> tuple[FiscalReceipt, int | None]:
    """One attempt: send the receipt (unless the operator has it), then ask for
    its registration. Returns the receipt and the seconds after which to try
    again (None: nothing more to do). Runs outside any transaction."""
    receipt = FiscalReceipt.objects.filter(pk=receipt_id).first()
    if receipt is None:
        raise NotFound(_("No such receipt."))
    if receipt.status == FiscalReceipt.Status.SENT:
        return _poll(receipt)
    if not _claim(receipt.pk):
        receipt.refresh_from_db()
        return receipt, None
    receipt.refresh_from_db()
    try:
        uuid = _client_for(business).register(receipt.operation, receipt.body)
    except atol.OperatorError as exc:
        retry = exc.retry and receipt.attempts < MAX_ATTEMPTS
        status = FiscalReceipt.Status.PENDING if retry else FiscalReceipt.Status.FAILED
        FiscalReceipt.objects.filter(pk=receipt.pk, status=FiscalReceipt.Status.SENDING).update(
            status=status, error=exc.detail
        )
        receipt.refresh_from_db()
        if not retry:
            audit_log(
                action="compliance.fiscal_failed",
                business=business,
                obj=receipt,
                data={"error": exc.detail, "attempts": receipt.attempts},
            )
            return receipt, None
        return receipt, BACKOFF[min(receipt.attempts - 1, len(BACKOFF) - 1)]
    FiscalReceipt.objects.filter(pk=receipt.pk, status=FiscalReceipt.Status.SENDING).update(
        status=FiscalReceipt.Status.SENT, operator_uuid=uuid[:64], error=""
    )
    receipt.refresh_from_db()
    return _poll(receipt)


POLL_SECONDS = 10
MAX_POLLS = 60


def _poll(receipt: FiscalReceipt) -> tuple[FiscalReceipt, int | None]:
    try:
        report = _client_for(receipt.business).report(receipt.operator_uuid)
    except atol.OperatorError as exc:
        FiscalReceipt.objects.filter(pk=receipt.pk).update(error=exc.detail)
        receipt.refresh_from_db()
        return receipt, POLL_SECONDS * 6
    if report.status == "done":
        FiscalReceipt.objects.filter(pk=receipt.pk, status=FiscalReceipt.Status.SENT).update(
            status=FiscalReceipt.Status.DONE,
            fn_number=report.fn_number[:32],
            fd_number=report.fd_number[:32],
            fp=report.fp[:32],
            registered_at=report.registered_at[:32],
            error="",
        )
        receipt.refresh_from_db()
        audit_log(
            action="compliance.fiscal_registered",
            business=receipt.business,
            obj=receipt,
            data={"fn": receipt.fn_number, "fd": receipt.fd_number},
        )
        return receipt, None
    if report.status == "fail":
        # The operator's cash register refused it (a wrong INN, say): a
        # person fixes the settings and retries under a new external id.
        FiscalReceipt.objects.filter(pk=receipt.pk, status=FiscalReceipt.Status.SENT).update(
            status=FiscalReceipt.Status.FAILED, error=report.error[:300]
        )
        receipt.refresh_from_db()
        return receipt, None
    return receipt, POLL_SECONDS


def fiscal_retry(*, business, receipt_id: int, actor=None) -> FiscalReceipt:
    """A person asks to send a failed receipt again. A receipt the operator
    registered, or is registering, is never sent again. One the operator's
    cash register refused gets a new external id (the operator keeps the
    refused one) and a body rebuilt from the current settings."""
    with transaction.atomic():
        receipt = (
            FiscalReceipt.objects.select_for_update()
            .filter(business=business, pk=receipt_id)
            .first()
        )
        if receipt is None:
            raise NotFound(_("No such receipt."))
        if receipt.status != FiscalReceipt.Status.FAILED:
            raise ValidationFailed(
                _("Only a failed receipt can be sent again."), code="fiscal_not_failed"
            )
        settings_row = _active_settings(business)
        if settings_row is None:
            raise ValidationFailed(
                _("Turn on sending receipts in the settings first."), code="fiscal_disabled"
            )
        if receipt.operator_uuid:
            receipt.external_id = (
                f"{receipt.external_id.split('~')[0]}~{receipt.pk}-{receipt.attempts}"
            )
            receipt.operator_uuid = ""
        receipt.body = receipt_body(
            checkout=receipt.checkout,
            settings_row=settings_row,
            external_id=receipt.external_id,
            amount=receipt.total,
            tender=receipt.refund.payment.tender if receipt.refund_id else "",
        )
        receipt.status = FiscalReceipt.Status.PENDING
        receipt.attempts = 0
        receipt.error = ""
        receipt.save()
        audit_log(action="compliance.fiscal_retry", actor=actor, business=business, obj=receipt)
    return receipt


# --- accounting packages -------------------------------------------------------------------


def account_codes_update(*, business, package: str, codes: dict[str, str], actor=None) -> int:
    """The salon's own account per ledger account in `package`; an empty code
    goes back to the package's default. Returns how many are set."""
    from solibook.compliance.models import AccountCode
    from solibook.compliance.packages import PACKAGES

    if package not in PACKAGES:
        raise ValidationFailed(_("Unknown accounting package."), code="unknown_package")
    errors = {
        account: [_("At most 100 characters.")]
        for account, code in codes.items()
        if len(code.strip()) > 100 or len(account) > 80
    }
    if errors:
        refuse_fields(errors)
    with transaction.atomic():
        for account, code in codes.items():
            if code.strip():
                AccountCode.objects.update_or_create(
                    business=business,
                    package=package,
                    ledger_account=account,
                    defaults={"code": code.strip()},
                )
            else:
                AccountCode.objects.filter(
                    business=business, package=package, ledger_account=account
                ).delete()
        audit_log(
            action="compliance.account_codes",
            actor=actor,
            business=business,
            data={"package": package, "accounts": sorted(codes)},
        )
        return AccountCode.objects.filter(business=business, package=package).count()
