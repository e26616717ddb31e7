from solibook.support import services
from solibook.support.models import Source


def open_ticket(**overrides):
    fields = {
        "subject": "I cannot cancel my visit",
        "body": "The cancel button does nothing.",
        "requester_email": "guest@example.test",
        "source": Source.WEB,
        "language": "fr",
    }
    fields.update(overrides)
    return services.ticket_open(**fields)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"
