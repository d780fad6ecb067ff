"""``samverkan poll_police_events [--once]``: fetch the police's latest events from polisen.se/api/events.

For deployments with internet that run no Huey worker (the Huey job polls every 30 minutes otherwise).
Refuses unless ``SAMVERKAN_POLICE_POLL`` is on and ``SAMVERKAN_POLICE_API_USER_AGENT`` names the caller.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samverkan.indicators import polling

DEFAULT_INTERVAL_MINUTES = 30


class Command(BaseCommand):
    help = _(
        "Hämta polisens senaste händelser från polisen.se/api/events och importera dem. Kräver "
        "SAMVERKAN_POLICE_POLL=true och en User-Agent i SAMVERKAN_POLICE_API_USER_AGENT. API:ts regler "
        "hålls: minst 10 sekunder mellan anrop, högst 60 anrop i timmen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help=_("Hämta en gång och avsluta."))
        parser.add_argument(
            "--interval",
            type=int,
            default=DEFAULT_INTERVAL_MINUTES,
            help=_("Minuter mellan hämtningarna (standard 30, minst 1)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not polling.polling_enabled():
            raise CommandError(
                _("Hämtning från polisen.se är avstängd. Slå på den med SAMVERKAN_POLICE_POLL=true.")
            )
        if not polling.user_agent():
            raise CommandError(
                _(
                    "Ange SAMVERKAN_POLICE_API_USER_AGENT, t.ex. ”Samverkan/1.0 (+kontakt@kommun.se)”: "
                    "polisens API kräver att den som anropar anger vem den är."
                )
            )
        if options["interval"] < 1:
            raise CommandError(_("--interval måste vara minst 1 minut."))
        while True:
            result = polling.poll_police_events()
            self.stdout.write(result.message)
            if options["once"]:
                if result.status in (polling.PollStatus.FAILED, polling.PollStatus.REFUSED):
                    raise CommandError(result.message)
                return
            time.sleep(options["interval"] * 60)
