"""The e-mails written straight to bytes read exactly as Django's own: same headers,
parts, texts and attachment, whatever the language and however long the lines."""

import email
from email import policy

import pytest
from django.core.mail import BadHeaderError, EmailMultiAlternatives

from solibook.notifications.mime import SerializedEmail, encoded_words

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Coupe chez Léa\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
).encode()


def _both(subject, body, html="", *, from_email, attachments=(), headers=None):
    made = []
    for kind in (EmailMultiAlternatives, SerializedEmail):
        message = kind(
            subject=subject,
            body=body,
            from_email=from_email,
            to=["amelie@example.test"],
            headers={
                "Message-ID": "<solibook-notification-7-1@solibook.localhost>",
                "Content-Language": "fr",
                "Auto-Submitted": "auto-generated",
                **(headers or {}),
            },
        )
        if html:
            message.attach_alternative(html, "text/html")
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        data = message.message().as_bytes(linesep="\r\n")
        assert all(len(line) <= 998 for line in data.split(b"\r\n"))
        made.append(email.message_from_bytes(data, policy=policy.default))
    return made


def _summary(message) -> dict:
    parts = [
        (
            part.get_content_type(),
            part.get_content_disposition(),
            part.get_filename(),
            part.get_param("method"),
            part.get_content(),
        )
        for part in message.walk()
        if not part.is_multipart()
    ]
    headers = {
        # Python folds a long encoded subject before its first word: it reads with a
        # leading space there, not in ours.
        name: str(message[name]).strip()
        for name in (
            "Subject",
            "From",
            "To",
            "Message-ID",
            "Content-Language",
            "Auto-Submitted",
            "List-Unsubscribe",
            "MIME-Version",
        )
    }
    return {"type": message.get_content_type(), "headers": headers, "parts": parts}


@pytest.mark.parametrize(
    ("subject", "name", "body"),
    [
        (
            "Your visit to Cut & Co on 3 June 2030 10:00 is booked",
            "Cut & Co",
            "Hello,\n\nSee you\n",
        ),
        (
            "Votre rendez-vous chez Salon Amélie le 3 juin 2030 10:00 est confirmé",
            "Salon Amélie",
            "Bonjour Amélie,\n\nÀ bientôt,\nSalon Amélie\n",
        ),
        (
            "Ваш визит в салон «Северное сияние» 3 июня 2030 в 10:00 подтверждён",
            "Северное сияние",
            "Здравствуйте!\r\nДо встречи\r\n",
        ),
        ("تم تأكيد موعدك في صالون الياسمين", "صالون الياسمين", "مرحبا\n" + "نص طويل " * 200 + "\n"),
        ("A " * 80 + "long subject", "Salon; with, specials", "x" * 1200 + "\nshort\n"),
    ],
)
def test_a_message_reads_as_djangos_own(subject, name, body, settings):
    from email.utils import formataddr

    settings.DEFAULT_FROM_EMAIL = "no-reply@solibook.test"
    html = "<p>" + body.replace("\n", "<br>") + "</p>"
    django, ours = _both(
        subject,
        body,
        html,
        from_email=formataddr((name, "no-reply@solibook.test")),
        attachments=[("invite.ics", ICS, "text/calendar; charset=utf-8; method=REQUEST")],
    )
    assert _summary(ours) == _summary(django)
    assert ours["Date"] and ours.get_content_type() == "multipart/mixed"


def test_without_attachment_or_html_and_with_a_campaigns_headers():
    headers = {
        "List-Unsubscribe": "<https://solibook.test/u/" + "t" * 120 + "/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    for html in ("<p>Hi</p>", ""):
        django, ours = _both(
            "Hi", "Hi\n", html, from_email="Salon <s@example.test>", headers=headers
        )
        assert _summary(ours) == _summary(django)
        assert ours["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_header_with_a_line_break_is_refused_as_django_does():
    for subject in ("Hi\r\n Bcc: x@example.test", "Hi\nBcc: x@example.test"):
        message = SerializedEmail(subject=subject, body="x", to=["a@example.test"])
        with pytest.raises(BadHeaderError):
            message.message()


def test_encoded_words_never_split_a_character_and_stay_short():
    text = "é" * 30 + "日本語のテキスト" * 5 + "🙂" * 12
    words = encoded_words(text).split("\r\n ")
    assert all(len(word) <= 75 for word in words)
    assert str(email.header.make_header(email.header.decode_header(" ".join(words)))) == text


def test_other_shapes_are_left_to_django():
    message = SerializedEmail(subject="Hi", body="x", to=["a@example.test", "b@example.test"])
    assert hasattr(message.message(), "walk")  # Django's own message object
