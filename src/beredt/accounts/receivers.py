"""Login, logout and failed logins go into the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from beredt.core import audit


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit.record(action=audit.AuditAction.LOGIN, obj=user, actor=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(action=audit.AuditAction.LOGOUT, obj=user, actor=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    audit.record(
        action=audit.AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        extra={"username": str(credentials.get("username", ""))[:150]},
        request=request,
    )
