from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.create_api_token, name="token-create"),
    path("profile/tokens/<int:token_id>/revoke/", views.revoke_api_token, name="token-revoke"),
]
