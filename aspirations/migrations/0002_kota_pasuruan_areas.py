"""The kecamatan and kelurahan of Kota Pasuruan (4 and 34; Perda Kota Pasuruan on the 2012
split that made Kecamatan Panggungrejo). Data, not configuration: a proposal must name one
of these. Another city replaces this list with its own in a migration of the same kind."""

from django.db import migrations

AREAS = {
    "Gadingrejo": [
        "Bukir",
        "Gadingrejo",
        "Gentong",
        "Karangketug",
        "Krapyakrejo",
        "Petahunan",
        "Randusari",
        "Sebani",
    ],
    "Purworejo": [
        "Kebonagung",
        "Pohjentrek",
        "Purutrejo",
        "Purworejo",
        "Sekargadung",
        "Tembokrejo",
        "Wirogunan",
    ],
    "Bugul Kidul": [
        "Bakalan",
        "Blandongan",
        "Bugul Kidul",
        "Kepel",
        "Krampyangan",
        "Tapaan",
    ],
    "Panggungrejo": [
        "Bangilan",
        "Bugul Lor",
        "Kandangsapi",
        "Karanganyar",
        "Kebonsari",
        "Mandaranrejo",
        "Mayangan",
        "Ngemplakrejo",
        "Panggungrejo",
        "Pekuncen",
        "Petamanan",
        "Tambaan",
        "Trajeng",
    ],
}


def load(apps, schema_editor):
    Kecamatan = apps.get_model("aspirations", "Kecamatan")
    Kelurahan = apps.get_model("aspirations", "Kelurahan")
    for name, kelurahan in AREAS.items():
        kecamatan, _ = Kecamatan.objects.get_or_create(name=name)
        for village in kelurahan:
            Kelurahan.objects.get_or_create(kecamatan=kecamatan, name=village)


def unload(apps, schema_editor):
    apps.get_model("aspirations", "Kelurahan").objects.all().delete()
    apps.get_model("aspirations", "Kecamatan").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("aspirations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
