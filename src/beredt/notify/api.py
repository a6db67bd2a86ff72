import datetime as dt
import hmac

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer

from . import selectors, services

router = Router(tags=["notify"])


class MessageOut(Schema):
    id: int
    subject: str
    body: str
    purpose: str
    reference: str
    is_exercise: bool
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("/inbox", response=list[MessageOut], summary="My in-app messages")
@paginate(PageNumberPagination)
def inbox(request, unread: bool = False):
    qs = selectors.inbox_of(request.user)
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post("/inbox/{message_id}/read", response=MessageOut, summary="Mark a message read")
def read(request, message_id: int):
    message = get_object_or_404(selectors.inbox_of(request.user), pk=message_id)
    return services.mark_read(user=request.user, message=message)


class ReceiptSecretAuth(HttpBearer):
    """The SMS gateway's callback: ``Authorization: Bearer <NOTIFY_SMS_RECEIPT_SECRET>``.
    Without a configured secret every receipt is refused."""

    def authenticate(self, request, token):
        secret = settings.NOTIFY_SMS_RECEIPT_SECRET
        if secret and hmac.compare_digest(token.encode(), secret.encode()):
            return "sms-gateway"
        return None


class ReceiptIn(Schema):
    id: str = Field(..., min_length=1, max_length=200, description="The gateway's message id")
    status: str = Field(..., min_length=1, max_length=20, description="delivered or failed")
    error: str = Field("", max_length=500)
    reference: str = Field("", max_length=100, description="Beredt's reference, if echoed")


class ReceiptOut(Schema):
    message_id: int
    status: str
    changed: bool


@router.post(
    "/receipts/sms",
    response=ReceiptOut,
    auth=ReceiptSecretAuth(),
    summary="SMS delivery receipt (gateway callback; idempotent on the gateway's id)",
)
def sms_receipt(request, payload: ReceiptIn):
    message, changed = services.record_receipt(
        channel="sms",
        provider_id=payload.id,
        status=payload.status,
        error=payload.error,
        reference=payload.reference,
    )
    return {"message_id": message.pk, "status": message.status, "changed": changed}
