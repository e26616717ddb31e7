"""CSV import of a client base from another system.

1. `import_upload` decodes the file (UTF-8 by default; a file in another
   encoding is refused with a clear message unless its encoding is chosen),
   sniffs the delimiter, counts the rows and guesses a column mapping.
2. `import_preview` parses the first rows with a mapping, without writing.
3. `import_start` checks the mapping and queues `tasks.run_import`.
4. `import_run` works through the rows in chunks; each chunk commits together
   with the job's progress, under the job's row lock, so a worker that dies
   resumes after the last committed row and two workers never import a row
   twice. Duplicates (same E.164 phone or e-mail as a card, or as an earlier
   row) fill the existing card's empty fields instead of making a new card.
"""

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solibook.clients.models import (
    Client,
    ClientConsent,
    ClientSource,
    ClientTag,
    ConsentKind,
    Gender,
    ImportJob,
)
from solibook.clients.phones import to_e164
from solibook.core.audit import audit_log
from solibook.core.errors import ValidationFailed
from solibook.core.models import OutboxEvent

MAX_BYTES = 30 * 1024 * 1024
MAX_ROWS = 200_000
CHUNK = 500
MAX_STORED_ERRORS = 1000
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1252": "Windows-1252 (Western Europe)",
    "cp1256": "Windows-1256 (Arabic)",
    "iso-8859-1": "ISO-8859-1 (Latin-1)",
    "koi8-r": "KOI8-R",
    "mac-roman": "Mac Roman",
}

# field -> label; and header spellings (en, fr, ru) recognised when guessing.
FIELDS = {
    "full_name": gettext_lazy("Full name"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("E-mail"),
    "birthday": gettext_lazy("Birthday"),
    "gender": gettext_lazy("Gender"),
    "notes": gettext_lazy("Notes"),
    "allergies": gettext_lazy("Allergies"),
    "hair_type": gettext_lazy("Hair type"),
    "skin_type": gettext_lazy("Skin type"),
    "tags": gettext_lazy("Tags"),
    "marketing_consent": gettext_lazy("Marketing consent"),
}
SYNONYMS = {
    "full_name": [
        "name",
        "full name",
        "client",
        "nom complet",
        "client name",
        "имя и фамилия",
        "фио",
        "клиент",
        "الاسم",
    ],
    "first_name": ["first name", "firstname", "given name", "prénom", "prenom", "имя"],
    "last_name": ["last name", "lastname", "surname", "family name", "nom", "фамилия"],
    "phone": [
        "phone",
        "mobile",
        "telephone",
        "tel",
        "phone number",
        "téléphone",
        "portable",
        "телефон",
        "мобильный",
        "الهاتف",
    ],
    "email": [
        "email",
        "e-mail",
        "mail",
        "courriel",
        "адрес электронной почты",
        "почта",
        "البريد الإلكتروني",
    ],
    "birthday": [
        "birthday",
        "birth date",
        "date of birth",
        "dob",
        "date de naissance",
        "anniversaire",
        "дата рождения",
        "день рождения",
    ],
    "gender": ["gender", "sex", "sexe", "genre", "пол"],
    "notes": [
        "notes",
        "note",
        "comment",
        "comments",
        "commentaire",
        "примечание",
        "комментарий",
        "заметки",
    ],
    "allergies": ["allergies", "allergy", "аллергии", "аллергия"],
    "hair_type": ["hair type", "type de cheveux", "тип волос"],
    "skin_type": ["skin type", "type de peau", "тип кожи"],
    "tags": ["tags", "tag", "labels", "étiquettes", "теги", "метки"],
    "marketing_consent": [
        "marketing",
        "marketing consent",
        "newsletter",
        "opt-in",
        "opt in",
        "рассылка",
        "согласие на рассылку",
    ],
}
FEMALE = {"f", "female", "woman", "w", "femme", "féminin", "ж", "жен", "женский", "женщина", "أنثى"}
MALE = {"m", "male", "man", "homme", "h", "masculin", "м", "муж", "мужской", "мужчина", "ذكر"}
YES = {"1", "yes", "y", "true", "oui", "да", "x", "+", "نعم"}
NO = {"0", "no", "n", "false", "non", "нет", "-", "لا"}


def decode(raw: bytes, encoding: str = "auto") -> tuple[str, str]:
    """The text of an upload and the encoding used; a clear error otherwise."""
    if encoding not in ("auto", *ENCODINGS):
        raise ValidationFailed(
            _("Choose an encoding from the list."),
            fields={"encoding": [_("Choose an encoding from the list.")]},
        )
    if encoding == "auto":
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            encoding = "utf-16"
        else:
            encoding = "utf-8"
            try:
                return raw.decode("utf-8-sig"), encoding
            except UnicodeDecodeError as exc:
                message = _(
                    "The file is not in UTF-8 (unreadable bytes near position %(position)d). Choose its encoding — "
                    "Excel in Russian usually saves Windows-1251, in French Windows-1252 — and upload it again."
                ) % {"position": exc.start}
                raise ValidationFailed(
                    message, code="bad_encoding", fields={"encoding": [message]}
                ) from exc
    try:
        text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        message = _("The file cannot be read as %(encoding)s. Choose another encoding.") % {
            "encoding": ENCODINGS.get(encoding, encoding)
        }
        raise ValidationFailed(
            message, code="bad_encoding", fields={"encoding": [message]}
        ) from exc
    return text, encoding


def _norm(header: str) -> str:
    return re.sub(r"[\s_]+", " ", header.strip().lower().replace("ё", "е"))


def guess_mapping(headers: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = _norm(header)
        for field, spellings in SYNONYMS.items():
            if field not in mapping and (name == field.replace("_", " ") or name in spellings):
                mapping[field] = index
                break
    if "full_name" in mapping and ("first_name" in mapping or "last_name" in mapping):
        del mapping["full_name"]
    return mapping


def _reader(job: ImportJob) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(job.content, newline=""), delimiter=job.delimiter)


def import_upload(
    *, business, actor, file_name: str, raw: bytes, encoding: str = "auto"
) -> ImportJob:
    if not raw:
        raise ValidationFailed(_("The file is empty."), fields={"file": [_("The file is empty.")]})
    if len(raw) > MAX_BYTES:
        message = _("The file is larger than %(mb)d MB. Split it into several files.") % {
            "mb": MAX_BYTES // (1024 * 1024)
        }
        raise ValidationFailed(message, fields={"file": [message]})
    if (
        b"\x00" in raw[:4096]
        and not raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        and encoding != "utf-16"
    ):
        message = _("This is not a CSV text file (an Excel workbook? Save it as CSV first).")
        raise ValidationFailed(message, code="not_csv", fields={"file": [message]})
    text, used = decode(raw, encoding)
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        headers = next(rows, None)
        total = sum(1 for row in rows if any(cell.strip() for cell in row))
    except csv.Error as exc:
        message = _("The file is not valid CSV: %(error)s") % {"error": str(exc)[:200]}
        raise ValidationFailed(message, code="not_csv", fields={"file": [message]}) from exc
    if not headers or not any(h.strip() for h in headers):
        raise ValidationFailed(
            _("The first line must name the columns."),
            fields={"file": [_("The first line must name the columns.")]},
        )
    if total == 0:
        raise ValidationFailed(
            _("The file has no rows below its header."),
            fields={"file": [_("The file has no rows below its header.")]},
        )
    if total > MAX_ROWS:
        message = _(
            "The file has %(rows)d rows; at most %(max)d can be imported at once. Split it into several files."
        ) % {"rows": total, "max": MAX_ROWS}
        raise ValidationFailed(message, code="too_many_rows", fields={"file": [message]})
    headers = [h.strip()[:100] for h in headers][:100]
    job = ImportJob.objects.create(
        business=business,
        created_by=actor if actor and actor.is_authenticated else None,
        file_name=(file_name or "")[:200],
        content=text,
        encoding=used,
        delimiter=delimiter,
        headers=headers,
        mapping=guess_mapping(headers),
        total_rows=total,
    )
    audit_log(
        action="client.import_upload",
        actor=actor,
        business=business,
        obj=job,
        data={"rows": total, "file": job.file_name},
    )
    return job


def check_mapping(job: ImportJob, mapping: dict) -> dict[str, int]:
    clean: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for field, column in (mapping or {}).items():
        if column in ("", None):
            continue
        if field not in FIELDS:
            errors[f"mapping.{field}"] = [_("Unknown field.")]
            continue
        try:
            column = int(column)
        except (TypeError, ValueError):
            column = -1
        if not 0 <= column < len(job.headers):
            errors[f"mapping.{field}"] = [_("No such column.")]
            continue
        clean[field] = column
    if not errors and not ({"full_name", "first_name", "last_name", "phone", "email"} & set(clean)):
        message = _(
            "Choose the column with the client's name, phone or e-mail: the file needs at least one of them."
        )
        errors["mapping"] = [message]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], code="bad_mapping", fields=errors)
    return clean


def _birthday(value: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%y"):
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def parse_row(row: list[str], mapping: dict[str, int], *, region: str) -> tuple[dict, list[str]]:
    """A CSV row as card values, with the row's problems (translated)."""

    def cell(field: str) -> str:
        index = mapping.get(field)
        return row[index].strip() if index is not None and index < len(row) else ""

    values: dict = {}
    errors: list[str] = []
    if cell("full_name"):
        parts = cell("full_name").split(None, 1)
        values["first_name"], values["last_name"] = parts[0], parts[1] if len(parts) > 1 else ""
    for field in ("first_name", "last_name"):
        if cell(field):
            values[field] = cell(field)
    for field in ("first_name", "last_name"):
        if len(values.get(field, "")) > 100:
            errors.append(
                _("%(field)s is longer than %(n)d characters.") % {"field": FIELDS[field], "n": 100}
            )
    raw_phone = cell("phone")
    if raw_phone:
        phone = to_e164(raw_phone, region=region)
        if phone:
            values["phone"] = phone
        else:
            errors.append(_("“%(phone)s” is not a valid phone number.") % {"phone": raw_phone[:40]})
    email = cell("email").lower()
    if email:
        try:
            validate_email(email)
            values["email"] = email
        except ValidationError:
            errors.append(_("“%(email)s” is not a valid e-mail address.") % {"email": email[:80]})
    if cell("birthday"):
        birthday = _birthday(cell("birthday"))
        if birthday is None or not date(1900, 1, 1) <= birthday <= timezone.localdate():
            errors.append(
                _("“%(date)s” is not a birthday (use YYYY-MM-DD or DD.MM.YYYY).")
                % {"date": cell("birthday")[:20]}
            )
        else:
            values["birthday"] = birthday
    gender = cell("gender").lower()
    if gender:
        if gender in FEMALE:
            values["gender"] = Gender.FEMALE
        elif gender in MALE:
            values["gender"] = Gender.MALE
        else:
            values["gender"] = Gender.OTHER
    for field, limit in (
        ("notes", 5000),
        ("allergies", 2000),
        ("hair_type", 100),
        ("skin_type", 100),
    ):
        if cell(field):
            values[field] = cell(field)[:limit]
    if cell("tags"):
        values["tags"] = [t.strip()[:50] for t in re.split(r"[,;|]", cell("tags")) if t.strip()][
            :30
        ]
    consent = cell("marketing_consent").lower()
    if consent:
        if consent in YES:
            values["marketing_consent"] = True
        elif consent in NO:
            values["marketing_consent"] = False
        else:
            errors.append(
                _("“%(value)s” is not yes or no (marketing consent).") % {"value": consent[:20]}
            )
    if not errors and not any(values.get(k) for k in ("first_name", "last_name", "phone", "email")):
        errors.append(_("The row has no name, phone or e-mail."))
    return values, errors


def import_preview(*, job: ImportJob, mapping: dict, limit: int = 20) -> list[dict]:
    mapping = check_mapping(job, mapping)
    rows = _reader(job)
    next(rows, None)
    preview = []
    line = 1
    for row in rows:
        line += 1
        if not any(c.strip() for c in row):
            continue
        values, errors = parse_row(row, mapping, region=job.business.country)
        preview.append(
            {
                "row": line,
                "values": {
                    k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()
                },
                "errors": errors,
            }
        )
        if len(preview) >= limit:
            break
    return preview


def import_start(*, business, job: ImportJob, mapping: dict, actor) -> ImportJob:
    from solibook.clients.tasks import run_import

    clean = check_mapping(job, mapping)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk, business=business)
        if job.state != ImportJob.State.UPLOADED:
            raise ValidationFailed(_("This import has already started."), code="already_started")
        job.mapping, job.state = clean, ImportJob.State.QUEUED
        job.save(update_fields=["mapping", "state"])
        audit_log(
            action="client.import_start",
            actor=actor,
            business=business,
            obj=job,
            data={"rows": job.total_rows, "mapping": clean},
        )
        job_id, business_id = job.pk, business.pk
        transaction.on_commit(lambda: run_import.enqueue(job_id=job_id, business_id=business_id))
    return job


class _Index:
    """The business's existing cards by E.164 phone and e-mail, kept current as rows import."""

    def __init__(self, business):
        self.by_phone: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        for pk, phone, email in (
            Client.objects.filter(business=business, erased_at__isnull=True)
            .values_list("pk", "phone", Lower("email"))
            .order_by("pk")
        ):
            if phone:
                self.by_phone.setdefault(str(phone), pk)
            if email:
                self.by_email.setdefault(email, pk)
        self.tags = {
            name.lower(): pk
            for pk, name in ClientTag.objects.filter(business=business).values_list("pk", "name")
        }

    def find(self, values: dict) -> int | None:
        return self.by_phone.get(values.get("phone", "")) or self.by_email.get(
            values.get("email", "")
        )

    def add(self, pk: int, values: dict) -> None:
        if values.get("phone"):
            self.by_phone.setdefault(values["phone"], pk)
        if values.get("email"):
            self.by_email.setdefault(values["email"], pk)


def _tag_ids(business, index: _Index, names: list[str]) -> list[int]:
    ids = []
    for name in names:
        key = name.lower()
        if key not in index.tags:
            index.tags[key] = ClientTag.objects.create(business=business, name=name).pk
        ids.append(index.tags[key])
    return ids


def _import_chunk(
    job: ImportJob, business, rows: list[tuple[int, list[str]]], index: _Index, now
) -> tuple[int, int, list[dict]]:
    created, duplicates, errors = 0, 0, []
    new_cards: list[tuple[Client, dict]] = []
    for line, row in rows:
        values, problems = parse_row(row, job.mapping, region=business.country)
        if problems:
            errors.append({"row": line, "messages": problems})
            continue
        existing = index.find(values)
        if existing is not None:
            duplicates += 1
            _fill_existing(business, existing, values, index, now, job)
            continue
        fields = {k: v for k, v in values.items() if k not in ("tags", "marketing_consent")}
        card = Client(business=business, source=ClientSource.IMPORT, **fields)
        new_cards.append((card, values))
        # Later rows of this chunk with the same phone or e-mail are duplicates of it.
        index.add(-len(new_cards), values)
    saved = Client.objects.bulk_create([card for card, _values in new_cards])
    created = len(saved)
    through = Client.tags.through
    links, consents = [], []
    for number, (card, values) in enumerate(new_cards, start=1):
        # Replace the placeholder keys with the real id.
        for table, key in (
            (index.by_phone, values.get("phone")),
            (index.by_email, values.get("email")),
        ):
            if key and table.get(key) == -number:
                table[key] = card.pk
        links += [
            through(client_id=card.pk, clienttag_id=tag_id)
            for tag_id in _tag_ids(business, index, values.get("tags", []))
        ]
        if "marketing_consent" in values:
            consents.append(
                ClientConsent(
                    business=business,
                    client=card,
                    kind=ConsentKind.MARKETING,
                    granted=values["marketing_consent"],
                    recorded_at=now,
                    source=f"import:{job.pk}",
                )
            )
    through.objects.bulk_create(links, ignore_conflicts=True)
    ClientConsent.objects.bulk_create(consents)
    # For partners' webhooks, as a card made one by one announces itself (one insert).
    OutboxEvent.objects.bulk_create(
        OutboxEvent(topic="client.created", business=business, payload={"client_id": card.pk})
        for card, _values in new_cards
    )
    return created, duplicates, errors


def _fill_existing(business, pk: int, values: dict, index: _Index, now, job: ImportJob) -> None:
    if pk < 0:
        return  # a duplicate of a row of this very chunk: that row's card holds the data
    card = Client.objects.filter(pk=pk).first()
    if card is None:
        return
    changed = []
    for name, value in values.items():
        if name in ("tags", "marketing_consent"):
            continue
        if not getattr(card, name):
            setattr(card, name, value)
            changed.append(name)
    if changed:
        card.save(update_fields=[*changed, "updated_at"])
    if values.get("tags"):
        card.tags.add(*_tag_ids(business, index, values["tags"]))
    if (
        "marketing_consent" in values
        and not ClientConsent.objects.filter(client=card, kind=ConsentKind.MARKETING).exists()
    ):
        ClientConsent.objects.create(
            business=business,
            client=card,
            kind=ConsentKind.MARKETING,
            granted=values["marketing_consent"],
            recorded_at=now,
            source=f"import:{job.pk}",
        )


def import_run(*, business, job_id: int) -> ImportJob:
    """Import every row not yet imported, chunk by chunk (see the module doc)."""
    job = ImportJob.objects.get(pk=job_id, business=business)
    if job.state in (ImportJob.State.DONE, ImportJob.State.FAILED, ImportJob.State.UPLOADED):
        return job
    index = _Index(business)
    rows = _reader(job)
    next(rows, None)
    line = 1
    seen = 0
    chunk: list[tuple[int, list[str]]] = []
    start_at = job.processed_rows

    def flush(chunk) -> bool:
        now = timezone.now()
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job_id)
            if (
                locked.processed_rows != start_at + flushed[0]
                or locked.state == ImportJob.State.DONE
            ):
                return False  # another worker got here first: stop, it carries on
            created, duplicates, errors = _import_chunk(locked, business, chunk, index, now)
            locked.processed_rows += len(chunk)
            locked.created_count += created
            locked.duplicate_count += duplicates
            locked.error_count += len(errors)
            room = MAX_STORED_ERRORS - len(locked.errors)
            if room > 0:
                locked.errors = [*locked.errors, *errors[:room]]
            locked.state = ImportJob.State.RUNNING
            locked.save(
                update_fields=[
                    "processed_rows",
                    "created_count",
                    "duplicate_count",
                    "error_count",
                    "errors",
                    "state",
                ]
            )
        flushed[0] += len(chunk)
        return True

    flushed = [0]
    try:
        for row in rows:
            line += 1
            if not any(c.strip() for c in row):
                continue
            seen += 1
            if seen <= start_at:
                continue
            chunk.append((line, row))
            if len(chunk) >= CHUNK:
                if not flush(chunk):
                    return ImportJob.objects.get(pk=job_id)
                chunk = []
        if chunk and not flush(chunk):
            return ImportJob.objects.get(pk=job_id)
    except Exception as exc:  # noqa: BLE001 - the job must say it failed; the rows committed stay
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED, failure=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportJob.State.DONE, finished_at=timezone.now()
    )
    job.refresh_from_db()
    audit_log(
        action="client.import_done",
        business=business,
        obj=job,
        data={
            "created": job.created_count,
            "duplicates": job.duplicate_count,
            "errors": job.error_count,
        },
    )
    return job
