from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that bring the apps together: home, navigation, the audit trail."""

    name = "kinerja.portal"
    label = "portal"
    verbose_name = _("Portal")
