"""CSV import: mapping, preview, per-row errors, duplicates, encodings,
resuming without duplicates, and the size limits."""

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.clients import imports
from solibook.clients.models import Client, ClientConsent, ImportJob
from solibook.core.errors import ValidationFailed
from solibook.core.models import OutboxEvent
from solibook.core.tenancy import business_scope
from solibook.testing.factories import BusinessFactory, member
from solibook.testing.races import race

pytestmark = pytest.mark.django_db

SAMPLE = (
    "Prénom;Nom;Téléphone;Email;Date de naissance;Tags;Newsletter\n"
    "Anna;Petrova;06 12 34 56 78;anna@example.test;01.05.1990;VIP, colour;oui\n"
    "Bob;Martin;12;bob@example.test;;;\n"
    "Chloé;Durand;+33 6 98 76 54 32;not-an-email;;;\n"
    "Anna;P.;0612345678;;;;\n"
    ";;;;;;\n"
    "Dan;;+44 20 7946 0958;dan@example.test;1985-13-01;;peut-être\n"
    "Eve;Roux;;eve@example.test;;;non\n"
)


def upload(business, text: str, *, encoding="auto", raw: bytes | None = None):
    with business_scope(business):
        return imports.import_upload(
            business=business,
            actor=None,
            file_name="clients.csv",
            raw=raw if raw is not None else text.encode("utf-8"),
            encoding=encoding,
        )


def run(business, job, mapping=None):
    with business_scope(business):
        imports.import_start(business=business, job=job, mapping=mapping or job.mapping, actor=None)
        return imports.import_run(business=business, job_id=job.pk)


def test_upload_guesses_the_mapping_from_french_headers(salon):
    job = upload(salon.business, SAMPLE)
    assert job.delimiter == ";"
    assert job.total_rows == 6  # the empty row does not count
    assert job.mapping == {
        "first_name": 0,
        "last_name": 1,
        "phone": 2,
        "email": 3,
        "birthday": 4,
        "tags": 5,
        "marketing_consent": 6,
    }


def test_preview_shows_rows_with_their_errors_and_writes_nothing(salon):
    job = upload(salon.business, SAMPLE)
    with business_scope(salon.business):
        rows = imports.import_preview(job=job, mapping=job.mapping)
        assert Client.objects.count() == 0
    assert rows[0]["values"]["phone"] == "+33612345678"
    assert rows[0]["values"]["birthday"] == "1990-05-01"
    assert rows[1]["row"] == 3 and "“12” is not a valid phone number." in rows[1]["errors"]
    assert any("not a valid e-mail" in m for m in rows[2]["errors"])


def test_import_reports_row_errors_imports_valid_rows_and_merges_duplicates(salon):
    with business_scope(salon.business):
        from solibook.clients.services import client_create

        client_create(
            business=salon.business,
            actor=None,
            data={"first_name": "Eve", "email": "EVE@example.test"},
        )
    job = run(salon.business, upload(salon.business, SAMPLE))
    assert job.state == ImportJob.State.DONE
    assert job.processed_rows == 6
    assert (job.created_count, job.duplicate_count, job.error_count) == (1, 2, 3)
    assert [e["row"] for e in job.errors] == [3, 4, 7]
    with scopes_disabled():
        anna = Client.objects.get(first_name="Anna")
        assert str(anna.phone) == "+33612345678" and anna.source == "import"
        assert sorted(t.name for t in anna.tags.all()) == ["VIP", "colour"]
        assert ClientConsent.objects.get(client=anna).granted is True
        eve = Client.objects.get(first_name="Eve")  # existing card, consent filled in
        assert ClientConsent.objects.get(client=eve).granted is False
        assert Client.objects.count() == 2
        # Each new card is announced once (partners' webhooks), the existing one not again.
        announced = OutboxEvent.objects.filter(topic="client.created")
        assert sorted(e.payload["client_id"] for e in announced) == sorted([anna.pk, eve.pk])


def test_running_again_imports_nothing_twice(salon):
    job = run(salon.business, upload(salon.business, SAMPLE))
    with business_scope(salon.business):
        again = imports.import_run(business=salon.business, job_id=job.pk)
    assert again.created_count == job.created_count
    with scopes_disabled():
        assert Client.objects.count() == 2


def test_a_worker_that_died_resumes_after_the_last_committed_chunk(salon, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 10)
    lines = ["name,phone"] + [f"Client {i},+336{i:08d}" for i in range(35)]
    job = upload(salon.business, "\n".join(lines))
    with business_scope(salon.business):
        imports.import_start(
            business=salon.business, job=job, mapping={"full_name": 0, "phone": 1}, actor=None
        )
    calls = {"n": 0}
    real = imports._import_chunk

    def dies_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "_import_chunk", dies_on_third)
    with business_scope(salon.business), pytest.raises(RuntimeError):
        imports.import_run(business=salon.business, job_id=job.pk)
    with scopes_disabled():
        assert Client.objects.count() == 20
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJob.State.RUNNING
        )  # the task is retried
    with business_scope(salon.business):
        done = imports.import_run(business=salon.business, job_id=job.pk)
    assert done.state == ImportJob.State.DONE and done.created_count == 35
    with scopes_disabled():
        assert Client.objects.count() == 35


def test_a_file_in_another_encoding_is_refused_clearly_then_read_when_chosen(salon):
    raw = "Имя,Телефон\nАнна,+79161234567\n".encode("cp1251")
    with pytest.raises(ValidationFailed) as refused:
        upload(salon.business, "", raw=raw)
    assert refused.value.code == "bad_encoding"
    assert "Windows-1251" in refused.value.message
    job = upload(salon.business, "", raw=raw, encoding="cp1251")
    assert job.headers == ["Имя", "Телефон"]
    assert job.mapping == {"first_name": 0, "phone": 1}
    utf16 = upload(salon.business, "", raw="name,email\nA,a@example.test\n".encode("utf-16"))
    assert utf16.encoding == "utf-16" and utf16.total_rows == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"name,phone\n", "The file has no rows below its header."),
        (b"PK\x03\x04\x00\x00binary", "This is not a CSV text file"),
        (b"\n\nA,B\n", "The first line must name the columns."),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(salon, content, message):
    with pytest.raises(ValidationFailed) as refused:
        upload(salon.business, "", raw=content)
    assert message in refused.value.message


def test_a_mapping_without_name_phone_or_email_is_refused(salon):
    job = upload(salon.business, "Birthday,Notes\n1990-01-01,hello\n")
    assert job.mapping == {"birthday": 0, "notes": 1}
    with pytest.raises(ValidationFailed) as refused, business_scope(salon.business):
        imports.import_start(business=salon.business, job=job, mapping=job.mapping, actor=None)
    assert refused.value.code == "bad_mapping"
    with pytest.raises(ValidationFailed), business_scope(salon.business):
        imports.import_start(business=salon.business, job=job, mapping={"email": 7}, actor=None)
    with scopes_disabled():
        assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.UPLOADED


def test_too_many_rows_are_refused_before_anything_is_written(salon, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 100)
    with pytest.raises(ValidationFailed) as refused:
        upload(salon.business, "name\n" + "x\n" * 101)
    assert refused.value.code == "too_many_rows"
    with scopes_disabled():
        assert not ImportJob.objects.exists()


def test_ten_thousand_rows_import_in_chunks_with_duplicates_found(salon):
    lines = ["first_name,last_name,phone,email"]
    for i in range(10_000):
        # Every 100th row repeats an earlier client's phone.
        n = i - 50 if i % 100 == 99 else i
        lines.append(f"First{i},Last{i},+3361{n:07d},c{i}@example.test")
    job = upload(salon.business, "\n".join(lines))
    done = run(salon.business, job)
    assert done.state == ImportJob.State.DONE
    assert (done.created_count, done.duplicate_count, done.error_count) == (9_900, 100, 0)
    with scopes_disabled():
        assert Client.objects.filter(business=salon.business).count() == 9_900


def test_imports_stay_in_their_salon(salon):
    other = BusinessFactory()
    with business_scope(other):
        from solibook.clients.services import client_create

        client_create(
            business=other, actor=None, data={"first_name": "Anna", "phone": "+33612345678"}
        )
    job = run(salon.business, upload(salon.business, "name,phone\nAnna,0612345678\n"))
    assert (
        job.created_count == 1 and job.duplicate_count == 0
    )  # the other salon's card is not a duplicate


def test_the_member_who_started_it_is_audited(salon):
    owner = member(salon.business, Role.OWNER)
    with business_scope(salon.business):
        job = imports.import_upload(
            business=salon.business, actor=owner, file_name="x.csv", raw=b"name\nA\n"
        )
    from solibook.core.models import AuditEvent

    with scopes_disabled():
        assert AuditEvent.objects.filter(
            action="client.import_upload", actor=owner, object_id=str(job.pk)
        ).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_import_never_import_a_row_twice(monkeypatch):
    """A task delivered twice runs in two workers at once: the job's row lock
    lets one import each chunk; the other stops."""
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into

    load_into(Category)
    monkeypatch.setattr(imports, "CHUNK", 50)
    business = BusinessFactory()
    lines = ["name,phone"] + [f"Client {i},+3361{i:07d}" for i in range(1_000)]
    job = upload(business, "\n".join(lines))
    with business_scope(business):
        imports.import_start(
            business=business, job=job, mapping={"full_name": 0, "phone": 1}, actor=None
        )

    def worker(i):
        with business_scope(business):
            imports.import_run(business=business, job_id=job.pk)

    errors = [r for r in race(2, worker) if isinstance(r, Exception)]
    assert not errors
    with scopes_disabled():
        job.refresh_from_db()
        assert Client.objects.filter(business=business).count() == 1_000
        assert job.created_count == 1_000 and job.processed_rows == 1_000
