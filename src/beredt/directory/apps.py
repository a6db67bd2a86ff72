from typing import NamedTuple

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class NavItem(NamedTuple):
    """A ``(label, url)`` pair that the menu template can also read as ``.label``/``.url``."""

    label: str
    url: str


class DirectoryConfig(BeredtAppConfig):
    name = "beredt.directory"
    label = "directory"
    verbose_name = _("Directory of help")
    api_prefix = "/directory"
    # Pages come from directory.urls mounted at the site root: the staff catalogue under
    # /directory/ and the public page at /hvem-kan-hjaelpe/.
    url_prefix = ""

    def load_demo(self, *, stdout) -> None:
        from .services import load_seed_003

        load_seed_003(stdout=stdout)

    def nav_items(self, request) -> list[tuple[str, str]]:
        if not request.user.is_authenticated:
            return []
        return [NavItem(_("Directory"), reverse("directory:catalogue"))]
