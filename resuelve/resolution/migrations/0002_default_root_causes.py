"""The default root-cause taxonomy. Data cannot go through gettext, so the names are in
Spanish, the demo company's language; the administrator renames or adds causes."""

from django.db import migrations

DEFAULT_CAUSES = [
    # code, name, description
    ("defecto-producto", "Defecto del producto", "Falla de diseño, fabricación o calidad."),
    ("proveedor", "Proveedor", "Un insumo, repuesto o servicio de un proveedor falló."),
    ("transporte", "Transporte", "Daño, pérdida o demora en el transporte o la entrega."),
    ("conducta-servicio", "Conducta en el servicio", "Trato o atención de un empleado."),
    ("facturacion", "Facturación", "Cobros, facturas y pagos."),
    ("contrato", "Contrato", "Condiciones, financiación o garantía pactadas."),
    ("comunicacion", "Comunicación", "Información incompleta, equivocada o a destiempo."),
    ("proceso-interno", "Proceso interno", "Un procedimiento de la empresa falló o no existe."),
    ("otra", "Otra", ""),
]


def seed(apps, schema_editor):
    RootCause = apps.get_model("resolution", "RootCause")
    for position, (code, name, description) in enumerate(DEFAULT_CAUSES, start=1):
        RootCause.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "position": position * 10},
        )


def unseed(apps, schema_editor):
    RootCause = apps.get_model("resolution", "RootCause")
    RootCause.objects.filter(
        code__in=[code for code, _n, _d in DEFAULT_CAUSES], investigations__isnull=True,
        actions__isnull=True, children__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("resolution", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
