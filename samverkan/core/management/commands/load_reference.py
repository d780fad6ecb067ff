from django.core.management.base import BaseCommand

from samverkan.core.reference import load_reference
from samverkan.core.registry import run_reference_loaders


class Command(BaseCommand):
    help = "Load län, kommuner, polisregioner and police areas shipped with Samverkan (idempotent)."

    def handle(self, *args, **options):
        counts = load_reference()
        # Then each app's shipped rows (the lägesbild template, the police indicators …), in app order.
        parts = [
            f"{counts.lan} län, {counts.kommuner} kommuner, {counts.polisregioner} polisregioner",
            f"{counts.police_areas_created} nya polisområden",
            *run_reference_loaders(),
        ]
        self.stdout.write("; ".join(parts) + ".")
