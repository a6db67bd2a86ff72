"""The default routing rules (seeds 001 and 002) and the outreach templates in Danish,
English, German, Ukrainian and Arabic. Administrators change both in the admin."""

from django.db import migrations

RULES = [
    (10, "Barn følger værge", "follow_guardian", "", "", False, False, False, False,
     "A child (registered as child of a guardian) is routed by the guardian's residence."),
    (20, "Personale til arbejdsgiverens ordning", "employer", "staff", "", False, False, False,
     True, "Staff and responders with an employer that has its own arrangement go there."),
    (30, "Bopælskommunens opfølgning", "residence_municipality", "", "municipality", False,
     False, False, False, "Follow-up belongs where the person lives (seed 001)."),
    (40, "Bopælsregionens psykiatri (kriseterapi)", "residence_region_psychiatry", "",
     "municipality", True, False, False, False,
     "When the regional crisis team took part, the residence region offers crisis therapy "
     "after about 8 weeks (seed 002)."),
    (90, "Hændelseskommunen (manuel afgørelse)", "incident_municipality", "", "", False, True,
     True, True, "Residence unknown or abroad, or no unit found: the incident municipality "
     "takes it, flagged for a manual decision."),
]

TEXT = {
    "da": ("Tilbud om opfølgning efter {incident}",
           "Du er registreret i forbindelse med {incident}. Det er normalt at reagere efter en "
           "voldsom hændelse. Vi kontakter dig om et tilbud om opfølgning. Har du brug for hjælp "
           "nu, så ring {hotline} eller læs mere på {website}. Med venlig hilsen {sender}"),
    "en": ("Follow-up offer after {incident}",
           "You were registered in connection with {incident}. It is normal to react after a "
           "violent event. We will contact you about a follow-up offer. If you need help now, "
           "call {hotline} or read more at {website}. Kind regards, {sender}"),
    "de": ("Nachsorgeangebot nach {incident}",
           "Sie wurden im Zusammenhang mit {incident} registriert. Es ist normal, nach einem "
           "belastenden Ereignis zu reagieren. Wir melden uns wegen eines Nachsorgeangebots. "
           "Wenn Sie jetzt Hilfe brauchen, rufen Sie {hotline} an oder lesen Sie mehr unter "
           "{website}. Mit freundlichen Grüßen, {sender}"),
    "uk": ("Пропозиція подальшої підтримки після {incident}",
           "Вас зареєстровано у зв'язку з {incident}. Після важкої події реагувати — це "
           "нормально. Ми зв'яжемося з вами щодо подальшої підтримки. Якщо вам потрібна "
           "допомога зараз, телефонуйте {hotline} або читайте більше на {website}. З повагою, "
           "{sender}"),
    "ar": ("عرض متابعة بعد {incident}",
           "تم تسجيلك فيما يتعلق بـ {incident}. من الطبيعي أن تكون لديك ردود فعل بعد حدث عنيف. "
           "سنتواصل معك بخصوص عرض للمتابعة. إذا كنت بحاجة إلى مساعدة الآن، اتصل على {hotline} "
           "أو اقرأ المزيد على {website}. مع أطيب التحيات، {sender}"),
}


def load(apps, schema_editor):
    rule = apps.get_model("followup", "RoutingRule")
    template = apps.get_model("followup", "MessageTemplate")
    for (position, name, action, role, residence, regional, unrouted, manual, stop,
         description) in RULES:
        rule.objects.get_or_create(position=position, action=action, defaults={
            "name": name, "role": role, "residence": residence,
            "only_if_regional_team": regional, "only_if_unrouted": unrouted,
            "needs_manual_decision": manual, "stop": stop, "description": description})
    for language, (subject, body) in TEXT.items():
        template.objects.get_or_create(key="followup-offer", language=language,
                                       defaults={"subject": subject, "body": body})


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
