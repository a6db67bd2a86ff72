from django.conf import settings


def beredt(request):
    return {"BEREDT_DEBUG": settings.DEBUG}
