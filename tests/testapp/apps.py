from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Models that exist only in the test database, to test shared machinery."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"

    def initiative_figures(self) -> list[dict]:
        from .figures import FIGURES

        return FIGURES
