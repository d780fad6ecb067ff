from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from samverkan.core.services import api_token_create


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (username or e-mail)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Kommandorad", help="A name that tells the token apart.")
        parser.add_argument(
            "--days", type=int, help="days the token is valid (default SAMVERKAN_API_TOKEN_DAYS)"
        )

    def handle(self, *args, username, name, days=None, **options):
        User = get_user_model()
        user = User.objects.filter(Q(username=username) | Q(email__iexact=username)).first()
        if user is None:
            raise CommandError(f"Ingen användare heter {username!r}.")
        try:
            _token, raw = api_token_create(user=user, name=name, days=days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(raw)
