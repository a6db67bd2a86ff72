from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class AccountsConfig(BeredtAppConfig):
    name = "beredt.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    api_prefix = "/accounts"
    url_prefix = "accounts/"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (login/logout audit)
