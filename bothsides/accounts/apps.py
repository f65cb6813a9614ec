from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bothsides.accounts"
    verbose_name = "Accounts"
