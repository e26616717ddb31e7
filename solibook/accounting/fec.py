"""The French FEC (Fichier des Écritures Comptables), article A47 A-1 of the LPF.

One line per ledger entry, the 18 mandatory columns in their legal order,
tab-separated, a header line of the column names, dates `AAAAMMJJ`, amounts
with a comma as decimal separator and no thousands separator, a debit and a
credit column (the other side `0,00`). Écritures are numbered per journal,
without gaps, in the order they were validated (recorded), as the text asks.

The ledger's account codes become French chart-of-accounts numbers (PCG)
through `PCG`, an expense category's own number (`fec_account`) winning for
`expenses:<code>`. Pure: it takes plain rows and returns text; the selector
that feeds it is `accounting.exports.fec_export`.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)

# Ledger account (exact code, or prefix ending with ":") → (PCG number, label).
PCG: dict[str, tuple[str, str]] = {
    "cash": ("530000", "Caisse"),
    "card": ("511500", "Cartes bancaires à l'encaissement"),
    "online": ("511600", "Paiements en ligne à encaisser"),
    "bank": ("512000", "Banque"),
    "deposits_held": ("419100", "Clients - avances et acomptes reçus"),
    "client_credit": ("419800", "Clients - avoirs à utiliser"),
    "wallet_credit": ("419800", "Clients - avoirs à utiliser"),
    "gift_cards_outstanding": ("419700", "Cartes cadeaux en circulation"),
    "packages_outstanding": ("487000", "Produits constatés d'avance"),
    "tips_payable": ("467100", "Pourboires à reverser au personnel"),
    "taxes_payable": ("445710", "TVA collectée"),
    "staff_pay_payable": ("421000", "Personnel - rémunérations dues"),
    "payables": ("401000", "Fournisseurs"),
    "retail_revenue": ("707000", "Ventes de marchandises"),
    "fee_revenue": ("708800", "Autres produits d'activités annexes"),
    "membership_revenue": ("706100", "Abonnements"),
    "gift_card_breakage": ("758000", "Produits divers de gestion courante"),
    "refunds": ("709000", "Rabais, remises et ristournes accordés"),
    "platform_fees": ("622200", "Commissions sur ventes"),
    "loyalty_points": ("623400", "Cadeaux à la clientèle"),
    "equity": ("890000", "Bilan d'ouverture"),
    "expenses:staff_pay": ("641000", "Rémunérations du personnel"),
    "revenue:": ("706000", "Prestations de services"),
    "expenses:": ("628000", "Charges diverses"),
}
SUSPENSE = ("471000", "Compte d'attente")

# Transaction kind → journal. Unknown kinds go to miscellaneous operations.
JOURNALS: dict[str, tuple[str, str]] = {
    "checkout": ("VE", "Ventes"),
    "sale": ("VE", "Ventes"),
    "refund": ("VE", "Ventes"),
    "gift_card": ("VE", "Ventes"),
    "expense": ("AC", "Achats"),
    "expense_void": ("AC", "Achats"),
    "pay_accrual": ("PA", "Paie"),
    "pay_payment": ("PA", "Paie"),
    "pay_void": ("PA", "Paie"),
}
MISC_JOURNAL = ("OD", "Opérations diverses")


@dataclass(frozen=True, slots=True)
class FecEntry:
    account: str  # ledger account code
    amount: int  # minor units, debit positive


@dataclass(frozen=True, slots=True)
class FecTransaction:
    id: int
    kind: str
    memo: str
    reference: str
    occurred_on: date  # the accounting date (local)
    validated_on: date  # when it was recorded
    entries: Sequence[FecEntry]


def pcg_account(code: str, overrides: dict[str, tuple[str, str]] | None = None) -> tuple[str, str]:
    if overrides and code in overrides:
        return overrides[code]
    if code in PCG:
        return PCG[code]
    for prefix, target in PCG.items():
        if prefix.endswith(":") and code.startswith(prefix):
            return target
    return SUSPENSE


def amount_text(minor: int, digits: int = 2) -> str:
    """`123456` → `1234,56`: comma decimals, no thousands separator."""
    value = Decimal(minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))
    return f"{value:f}".replace(".", ",")


_SPACE = re.compile(r"[\t\r\n|]+")


def _text(value: str) -> str:
    return _SPACE.sub(" ", value or "").strip()


def render(
    transactions: Iterable[FecTransaction],
    *,
    overrides: dict[str, tuple[str, str]] | None = None,
    digits: int = 2,
) -> str:
    """The FEC text for `transactions` (any order; sorted here by validation)."""
    rows = ["\t".join(COLUMNS)]
    numbers: dict[str, int] = {}
    for tx in sorted(transactions, key=lambda t: (t.validated_on, t.id)):
        entries = [e for e in tx.entries if e.amount]
        if not entries:
            continue
        journal, journal_label = JOURNALS.get(tx.kind, MISC_JOURNAL)
        numbers[journal] = numbers.get(journal, 0) + 1
        number = f"{journal}{numbers[journal]:06d}"
        piece = _text(tx.reference) or f"T{tx.id}"
        for entry in sorted(entries, key=lambda e: (e.amount < 0, e.account)):
            account, label = pcg_account(entry.account, overrides)
            debit = entry.amount if entry.amount > 0 else 0
            credit = -entry.amount if entry.amount < 0 else 0
            rows.append(
                "\t".join(
                    (
                        journal,
                        journal_label,
                        number,
                        f"{tx.occurred_on:%Y%m%d}",
                        account,
                        label,
                        "",
                        "",
                        piece[:60],
                        f"{tx.occurred_on:%Y%m%d}",
                        _text(tx.memo)[:200] or piece,
                        amount_text(debit, digits),
                        amount_text(credit, digits),
                        "",
                        "",
                        f"{tx.validated_on:%Y%m%d}",
                        "",
                        "",
                    )
                )
            )
    return "\r\n".join(rows) + "\r\n"


def file_name(registration_number: str, closing: date) -> str:
    """`<SIREN>FEC<AAAAMMJJ>.txt`; the SIREN is the first nine digits of the SIRET."""
    digits = re.sub(r"\D", "", registration_number or "")[:9] or "000000000"
    return f"{digits}FEC{closing:%Y%m%d}.txt"


def parse(text: str) -> list[dict[str, str]]:
    """Read a FEC back (tests and round trips): one dict per line, strict on the column count."""
    lines = [line for line in text.split("\r\n") if line]
    header = lines[0].split("\t")
    if tuple(header) != COLUMNS:
        raise ValueError("not a FEC header")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise ValueError(f"line {number} has {len(cells)} columns")
        rows.append(dict(zip(COLUMNS, cells, strict=True)))
    return rows
