from django.db import models

from beredt.core.fields import EncryptedTextField


class Person(models.Model):
    KEYED_HASHES = {"cpr_hash": ("cpr", "cpr")}

    name = EncryptedTextField(blank=True)
    cpr = EncryptedTextField(blank=True)
    cpr_hash = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"Person {self.pk}"
