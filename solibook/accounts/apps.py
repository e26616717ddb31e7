from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "solibook.accounts"
    label = "accounts"
