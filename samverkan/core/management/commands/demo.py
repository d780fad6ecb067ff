import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

from samverkan.core.demo import base_url, demo_password, load_demo, serve_environment


class Command(BaseCommand):
    help = "Migrate the embedded database, load reference and demo data, print the logins and serve."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up the demo but do not start the server."
        )
        parser.add_argument(
            "--debug", action="store_true", help="Serve with Django's debug pages (off by default)."
        )

    def handle(self, *args, port, host, no_serve, debug, **options):
        call_command("migrate", interactive=False, verbosity=0)
        logins = load_demo()
        width = max(len(c) for c, _r, _e in logins)
        address = os.environ.get("SAMVERKAN_BASE_URL") or base_url(host, port)
        self.stdout.write(self.style.SUCCESS("\nSamverkan demo är klar.\n"))
        self.stdout.write(f"Adress:   {address.rstrip('/')}/")
        self.stdout.write(f"Lösenord: {demo_password()}   (samma för alla demokonton)\n")
        for collaboration, role, email in logins:
            self.stdout.write(f"  {collaboration:<{width}}  {role:<16} {email}")
        self.stdout.write(
            "\nPolisens konton måste aktivera tvåstegsverifiering (TOTP) vid första inloggningen.\n"
        )
        if not no_serve:
            # serve replaces this process with gunicorn, which reads its settings from the environment.
            os.environ.update(serve_environment(host=host, port=port, debug=debug, environ=os.environ))
            call_command("serve", host=host, port=port)
