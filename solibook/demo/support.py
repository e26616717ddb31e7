"""The support desk in the demo (issue #22, point 5): canned replies in four
languages and a few tickets in several languages, at every stage: a new one
from the French client, a Russian one waiting on its requester, an Arabic one
resolved and rated, a salon's urgent-looking one past its first-response due
time (flagged as breached), a guest's e-mail and the assistant's hand-over.
Support logs in as support@solibook.demo (platform_staff.py)."""

from datetime import timedelta

from solibook.accounts.models import User
from solibook.catalog.models import Business
from solibook.support import services
from solibook.support.models import CannedReply, Source, Status

CANNED = [
    (
        "Cancel a visit",
        "You can cancel from My account → My visits → Cancel, up to the salon's deadline. "
        "If the button is missing, the deadline has passed: reply and we contact the salon.",
        "Vous pouvez annuler depuis Mon compte → Mes visites → Annuler, jusqu’au délai fixé "
        "par le salon. Si le bouton n’apparaît pas, le délai est passé : répondez-nous et nous "
        "contactons le salon.",
        "Отменить визит можно в разделе «Мой аккаунт» → «Мои визиты» → «Отменить» до срока, "
        "установленного салоном. Если кнопки нет, срок уже прошёл: ответьте нам, и мы свяжемся "
        "с салоном.",
        "يمكنك الإلغاء من «حسابي» ← «زياراتي» ← «إلغاء» قبل المهلة التي يحددها الصالون. إذا لم "
        "يظهر الزر فقد انتهت المهلة: رُدّ علينا وسنتواصل مع الصالون.",
    ),
    (
        "Confirmation e-mail missing",
        "Your booking is confirmed: it is in My account → My visits. Check your spam folder; "
        "we have sent the confirmation again.",
        "Votre réservation est confirmée : elle figure dans Mon compte → Mes visites. Vérifiez "
        "vos spams ; nous vous avons renvoyé la confirmation.",
        "Ваша запись подтверждена: она есть в разделе «Мой аккаунт» → «Мои визиты». Проверьте "
        "папку «Спам»; мы отправили подтверждение повторно.",
        "حجزك مؤكد: تجده في «حسابي» ← «زياراتي». تحقق من مجلد الرسائل غير المرغوب فيها؛ "
        "أعدنا إرسال التأكيد إليك.",
    ),
    (
        "Thanks, resolved",
        "Thank you for your patience. We consider this solved; reply to this message if "
        "anything is still wrong.",
        "Merci de votre patience. Nous considérons la demande comme résolue ; répondez à ce "
        "message si quelque chose ne va toujours pas.",
        "Спасибо за терпение. Мы считаем вопрос решённым; если что-то всё ещё не так, "
        "ответьте на это сообщение.",
        "شكرًا لصبرك. نعدّ المشكلة محلولة؛ رُدّ على هذه الرسالة إن بقي أي خلل.",
    ),
    (
        "Payout timing",
        "Payouts reach your bank two working days after the visit is paid. Your Payments page "
        "lists each payout with its date.",
        "Les virements arrivent sur votre compte deux jours ouvrés après le paiement de la "
        "visite. La page Paiements liste chaque virement avec sa date.",
        "Выплаты поступают на счёт через два рабочих дня после оплаты визита. На странице "
        "«Платежи» указана каждая выплата с датой.",
        "تصل التحويلات إلى حسابك المصرفي بعد يومَي عمل من دفع الزيارة. تعرض صفحة «المدفوعات» كل "
        "تحويل مع تاريخه.",
    ),
]


def seed_support(*, users: dict[str, User], now) -> None:
    support = User.objects.get(email="support@solibook.demo")
    for title, en, fr, ru, ar in CANNED:
        CannedReply.objects.create(title=title, body_en=en, body_fr=fr, body_ru=ru, body_ar=ar)
    emma, irina, sara = (
        users["client@solibook.demo"],
        users["client.moscow@solibook.demo"],
        users["client.riyadh@solibook.demo"],
    )
    hour = timedelta(hours=1)
    services.ticket_open(
        subject="Je n’arrive pas à annuler mon rendez-vous",
        body="Bonjour, le bouton Annuler ne s’affiche pas pour ma visite de samedi. Merci !",
        requester_email=emma.email,
        requester_account=emma,
        source=Source.WEB,
        language="fr",
        now=now - 2 * hour,
    )
    waiting = services.ticket_open(
        subject="Не пришло письмо с подтверждением",
        body="Здравствуйте! Я записалась на маникюр, но письмо так и не пришло.",
        requester_email=irina.email,
        requester_account=irina,
        source=Source.WEB,
        language="ru",
        now=now - 20 * hour,
    )
    services.ticket_reply(
        ticket_id=waiting.pk,
        body=CannedReply.objects.get(title="Confirmation e-mail missing").body_ru,
        author=support,
        as_staff=True,
        now=now - 18 * hour,
    )
    rated = services.ticket_open(
        subject="كيف أغيّر رقم هاتفي؟",
        body="مرحبًا، أريد تغيير رقم هاتفي في حسابي.",
        requester_email=sara.email,
        requester_account=sara,
        source=Source.WEB,
        language="ar",
        now=now - 50 * hour,
    )
    services.ticket_reply(
        ticket_id=rated.pk,
        body="من «حسابي» ← «الملف الشخصي واللغة» يمكنك تعديل رقم الهاتف.",
        author=support,
        as_staff=True,
        status=Status.RESOLVED,
        now=now - 48 * hour,
    )
    services.ticket_rate(
        ticket_id=rated.pk, rating=5, comment="شكرًا، رد سريع!", now=now - 47 * hour
    )
    owner = users["owner@solibook.demo"]
    salon = Business.objects.get(name="Atelier Lumière")
    late = services.ticket_open(
        subject="Virement de la semaine non reçu",
        body="Le virement des encaissements de lundi n’est pas arrivé sur notre compte.",
        requester_email=owner.email,
        requester_account=owner,
        business=salon,
        source=Source.OFFICE,
        language="fr",
        now=now - 6 * hour,  # high priority: first response was due 2 h ago
    )
    services.ticket_assign(
        ticket_id=late.pk, assignee_id=support.pk, expected_assignee_id=None, actor=support
    )
    services.ticket_open(
        subject="Gift card balance",
        body="Hello, how can I check what is left on the gift card my sister gave me?",
        requester_email="oliver.guest@example.com",
        requester_name="Oliver Hughes",
        source=Source.EMAIL,
        language="en",
        now=now - 3 * hour,
    )
    services.ticket_open(
        subject="Assistant hand-over: refund for a cancelled class",
        body="The client asks for a refund of a yoga class the salon cancelled.",
        requester_email="mia.guest@example.com",
        requester_name="Mia Clarke",
        source=Source.ASSISTANT,
        transcript=[
            {"role": "client", "text": "My yoga class was cancelled, I want my money back"},
            {"role": "assistant", "text": "I cannot issue refunds; I am passing you to support."},
        ],
        language="en",
        now=now - hour,
    )
