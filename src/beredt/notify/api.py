import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

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
