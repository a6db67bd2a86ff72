from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import tokens
from .forms import LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": request.user.api_tokens.all(),
            "token_form": TokenForm(),
        },
    )


@login_required
@require_POST
def create_api_token(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accounts/profile.html",
            {
                "tokens": request.user.api_tokens.all(),
                "token_form": form,
            },
            status=400,
        )
    _row, token = tokens.create_token(user=request.user, name=form.cleaned_data["name"])
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": request.user.api_tokens.all(),
            "token_form": TokenForm(),
            "new_token": token,
        },
    )


@login_required
@require_POST
def revoke_api_token(request, token_id: int):
    row = get_object_or_404(request.user.api_tokens, pk=token_id)
    tokens.revoke_token(token_row=row)
    messages.success(request, _("The token is revoked."))
    return redirect("profile")
