from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def inbox(request):
    page = Paginator(selectors.inbox_of(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page_obj": page, "query": ""})


@login_required
@require_POST
def read(request, message_id):
    message = get_object_or_404(selectors.inbox_of(request.user), pk=message_id)
    services.mark_read(user=request.user, message=message)
    return redirect("notify:inbox")
