from django.db import models
from django.db.models import F
from django.db.models.functions import Now

from beredt.core.fields import EncryptedTextField


class Person(models.Model):
    KEYED_HASHES = {"cpr_hash": ("cpr", "cpr")}

    name = EncryptedTextField(blank=True)
    cpr = EncryptedTextField(blank=True)
    cpr_hash = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"Person {self.pk}"


# Models core.rows.insert must refuse (tests/test_rows.py).
class _Row(models.Model):
    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Counter(_Row):
    n = models.IntegerField(default=0)
    unique_name = models.CharField(max_length=20, unique=True, blank=True, null=True)


class SavesItself(_Row):
    n = models.IntegerField(default=0)

    def save(self, *args, **kwargs):
        self.n += 1
        super().save(*args, **kwargs)


class WithDbDefault(_Row):
    at = models.DateTimeField(db_default=Now())


class WithGenerated(_Row):
    n = models.IntegerField(default=0)
    twice = models.GeneratedField(expression=F("n") * 2, output_field=models.IntegerField(),
                                  db_persist=True)
