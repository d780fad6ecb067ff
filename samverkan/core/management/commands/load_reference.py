from django.core.management.base import BaseCommand

from samverkan.core.reference import load_reference


class Command(BaseCommand):
    help = "Load län, kommuner, polisregioner and police areas shipped with Samverkan (idempotent)."

    def handle(self, *args, **options):
        counts = load_reference()
        from samverkan.situation.defaults import ensure_default_template, ensure_event_categories

        template = ensure_default_template()
        ensure_event_categories()
        from samverkan.indicators.defaults import ensure_police_indicators, ensure_type_mappings

        ensure_type_mappings()
        ensure_police_indicators()
        self.stdout.write(
            f"{counts.lan} län, {counts.kommuner} kommuner, {counts.polisregioner} polisregioner; "
            f"{counts.police_areas_created} nya polisområden; lägesbildsmall: {template}."
        )
