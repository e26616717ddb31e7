from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "solibook.booking"
    label = "booking"
