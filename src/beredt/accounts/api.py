from ninja import Router, Schema

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    name: str
    email: str
    phone: str
    is_superuser: bool


@router.get("/me", response=MeOut, summary="The authenticated user")
def me(request):
    u = request.user
    return {
        "id": u.pk,
        "username": u.username,
        "name": u.display_name,
        "email": u.email,
        "phone": u.phone,
        "is_superuser": u.is_superuser,
    }
