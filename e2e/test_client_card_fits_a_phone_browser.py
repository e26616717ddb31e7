"""A client card holding everything a card can hold still fits a 390 px phone.

A regular of many years has a long double-barrelled name, a long e-mail, many tags,
allergies and notes, a tier, points, wallet credit, referral vouchers, gift cards,
a package, badges, consents, patch tests, consultation answers and a long history of
visits with several services each, paid in large sums. Her card, opened on a phone with
every folded section unfolded, is no wider than the screen in any of the four languages.
"""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.testing.factories import (
    TEST_PASSWORD,
    BusinessFactory,
    LocationFactory,
    UserFactory,
    make_master,
    make_service,
    member,
)
from solibook.testing.salon import give_shifts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
# Per language: the salon's currency and zone, and words of the length a salon really writes.
SALONS = {
    "en": ("GBP", "GB", "Europe/London"),
    "fr": ("EUR", "FR", "Europe/Paris"),
    "ru": ("RUB", "RU", "Europe/Moscow"),
    "ar": ("SAR", "SA", "Asia/Riyadh"),
}
FIRST_NAME = "Анастасия-Александра-Maximilienne"
LAST_NAME = "Константинопольская-Воскресенская-de-La-Rochefoucauld"
EMAIL = "anastasia.konstantinopolskaya-voskresenskaya.personal@very-long-mailbox-provider.example"
LONG_WORD = "антиаллергенный-безаммиачный-гипоаллергенный"  # one word, no space to break at
SERVICE_NAMES = (
    "Окрашивание в сложной технике (шатуш, балаяж, airtouch) с тонированием и уходом",
    "Кератиновое выпрямление и восстановление волос по всей длине",
    "صبغة الشعر بتقنية البالياج مع العناية العميقة",
)
# What shows on the card, unfolded, and what sticks out of the screen (to name it in a failure).
UNFOLD_AND_MEASURE = """(width) => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const outside = (el) => {
    if (el.parentElement.closest('.table-responsive')) return false;  // it scrolls in its box
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const spills = el.scrollWidth > el.clientWidth + 1 && style.overflowX === 'visible'
      && style.display !== 'inline';  // text wider than its box
    return box.width > 0 && style.position !== 'fixed'
      && (box.right > width + 1 || box.left < -1 || spills);
  };
  // The innermost elements that stick out: the ones to name in a failure.
  const wide = [...document.body.querySelectorAll('*')]
    .filter((el) => outside(el) && ![...el.children].some(outside))
    .map((el) => el.tagName.toLowerCase() + '.' + String(el.className).trim().split(/\\s+/).join('.')
         + ' «' + el.textContent.trim().slice(0, 40) + '»');
  return {scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 30), inner: window.innerWidth};
}"""


def _full_card(lang: str):
    """A salon in `lang`'s country and its fullest client card; returns (owner e-mail, path)."""
    from solibook.booking import services as booking
    from solibook.booking.models import Appointment, Status
    from solibook.booking.selectors import ItemSpec
    from solibook.catalog.models import Category
    from solibook.catalog.taxonomy import load_into
    from solibook.clients.models import (
        Client,
        ClientConsent,
        ClientNote,
        ClientPatchTest,
        ClientTag,
        ConsultationAnswer,
        ConsultationForm,
        CustomFieldDefinition,
    )
    from solibook.core.tenancy import business_scope
    from solibook.finance.models import ClientPackage, GiftCard, PackagePlan
    from solibook.loyalty import services as loyalty
    from solibook.loyalty.models import BadgeAward, WalletKind
    from solibook.referrals.models import Voucher

    load_into(Category)  # a transactional test's flush removed the migration's rows
    currency, country, zone = SALONS[lang]
    business = BusinessFactory(
        name="Салон красоты «Жемчуг» на Тверской-Ямской", currency=currency, country=country
    )
    location = LocationFactory(business=business, time_zone=zone, country=country)
    services = [
        make_service(business, name=name, steps=[(60, True)], price=9_999_900)
        for name in SERVICE_NAMES
    ]
    master = make_master(
        business,
        locations=[location],
        services=services,
        name="Екатерина-Александра Преображенская-Рождественская",
    )
    give_shifts(master, location, start=time(0), end=time(23, 59))
    owner_email = f"owner.with.a.rather.long.address.{lang}@salon-zhemchug-tverskaya.example"
    owner = member(business, Role.OWNER, email=owner_email, full_name=LAST_NAME)
    holder = UserFactory(email=f"holder.{lang}@example.test")  # her online account
    now = timezone.now()
    with scopes_disabled(), business_scope(business):
        client = Client.objects.create(
            business=business,
            user=holder,
            first_name=FIRST_NAME,
            last_name=LAST_NAME,
            email=EMAIL,
            phone="+79161234567",
            language=lang,
            hair_type=LONG_WORD,
            skin_type="Комбинированная, чувствительная к солнцу, склонная к покраснению",
            allergies=f"{LONG_WORD}\nhttps://allergy-reports.example/patients/2026/{'x' * 60}",
            preferred_master=master,
            notes=f"Любит кофе без сахара. {LONG_WORD} {'Ж' * 70}",
        )
        client.tags.set(
            ClientTag.objects.create(business=business, name=name)
            for name in (
                "постоянная-клиентка-аллергия-на-аммиак-и-латекс",
                "VIP",
                "عميلة-مميزة-منذ-سنوات-عديدة-جدا-جدا",
                *(f"тег-номер-{n}" for n in range(12)),
            )
        )
        field = CustomFieldDefinition.objects.create(
            business=business, key="instagram", label="Профиль в социальных сетях (Instagram)"
        )
        client.custom_values = {field.key: "@" + "anastasia_konstantinopolskaya_" * 2}
        client.save()
        for kind in ("marketing", "email", "sms", "whatsapp", "push"):
            ClientConsent.objects.create(
                business=business,
                client=client,
                kind=kind,
                granted=True,
                recorded_at=now,
                source="a-partner-integration-with-a-long-name",
                recorded_by=owner,
            )
        for service in services:
            ClientPatchTest.objects.create(
                business=business,
                client=client,
                service=service,
                taken_at=now.date(),
                valid_until=now.date() + timedelta(days=180),
            )
        form = ConsultationForm.objects.create(
            business=business,
            name="Анкета перед окрашиванием и химическими процедурами",
            questions=[f"Вопрос {LONG_WORD}?", "Any allergies?"],
        )
        ConsultationAnswer.objects.create(
            business=business,
            client=client,
            form=form,
            answers=[{"question": f"Вопрос {LONG_WORD}?", "answer": "Ж" * 80}],
            recorded_by=owner,
        )
        for n in range(3):
            ClientNote.objects.create(
                business=business, client=client, author=owner, text=f"{LONG_WORD} {n} {'Щ' * 60}"
            )
        loyalty.programme_update(business=business, is_active=True, point_value=10)
        loyalty.tier_save(business=business, name="Платиновая бриллиантовая карта", min_points=1)
        for n in range(4):
            loyalty.points_grant(
                business=business,
                client=client,
                points=123_456_789,
                kind="challenge",
                key=f"full-card-{n}",
                memo=f"{LONG_WORD} {n}",
            )
            loyalty.wallet_credit(
                client=client,
                amount=987_654_321,
                currency=currency,
                kind=WalletKind.GRANT,
                key=f"full-card-wallet-{n}",
                now=now - timedelta(days=1),
            )
        loyalty.wallet_credit(
            client=client,
            amount=123_456_789,
            currency=currency,
            kind=WalletKind.GRANT,
            key="full-card-pending",
            available_at=now + timedelta(days=30),
            now=now,
        )
        for badge in ("first_review", "five_visits", "three_friends"):
            BadgeAward.objects.create(business=business, client=client, badge=badge, awarded_at=now)
        for n in range(4):
            Voucher.objects.create(
                business=business,
                client=client,
                amount=99_999_900,
                currency=currency,
                available_at=now + timedelta(days=n - 1),
                expires_at=now + timedelta(days=300),
                created_at=now,
            )
        for n in range(3):
            GiftCard.objects.create(
                business=business,
                code_digest=f"{lang}-{n}".ljust(64, "0"),
                code_last4=f"{n:04d}",
                initial_amount=999_999_900,
                balance=999_999_900,
                currency=currency,
                expires_at=now + timedelta(days=365),
                purchaser=holder,
                recipient_name="Маргарита-Елизавета Святополк-Четвертинская",
                created_at=now,
            )
        plan = PackagePlan.objects.create(
            business=business,
            name="Абонемент на десять процедур кератинового восстановления",
            service=services[1],
            visits=10,
            price_amount=99_999_900,
            currency=currency,
            validity_days=365,
        )
        ClientPackage.objects.create(
            business=business,
            plan=plan,
            account=holder,
            visits_total=10,
            visits_used=3,
            amount_paid=99_999_900,
            currency=currency,
            expires_at=now + timedelta(days=365),
            created_at=now,
        )
    day = datetime(2030, 6, 3, 6, tzinfo=UTC)
    for n in range(12):
        specs = [ItemSpec(service.pk, master_id=master.pk) for service in services]
        with scopes_disabled(), business_scope(business):
            visit = booking.appointment_create(
                business=business,
                location_id=location.pk,
                specs=specs,
                start=day + timedelta(days=n),
                source="back_office",
                now=day - timedelta(days=1),
                client_card=client,
            )
        statuses = (Status.COMPLETED, Status.NO_SHOW, Status.CANCELLED)
        with scopes_disabled():
            Appointment.objects.filter(pk=visit.pk).update(status=statuses[n % 3])
    return owner_email, f"office/{business.slug}/clients/{client.pk}/"


@pytest.mark.parametrize("lang", ["en", "fr", "ru", "ar"])
def test_the_fullest_client_card_fits_a_phone(browser, live_server, lang):
    owner_email, path = _full_card(lang)
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/{lang}/accounts/login/")
        page.locator("input[type=email], input[name=username], input[name=login]").first.fill(
            owner_email
        )
        page.locator("input[type=password]").first.fill(TEST_PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/{lang}/{path}")
        page.wait_for_load_state()
        assert page.get_by_text(EMAIL).count() == 1, "the card did not open"
        assert page.locator("[data-testid=card-voucher-list] li").count() == 4
        measured = page.evaluate(UNFOLD_AND_MEASURE, WIDTH)
    finally:
        context.close()
    assert measured["scroll"] <= WIDTH, f"{measured['scroll']} px wide: {measured}"
