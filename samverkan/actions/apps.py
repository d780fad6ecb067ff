from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class ActionsConfig(registry.SamverkanAppConfig):
    name = "samverkan.actions"
    verbose_name = _("Åtgärder")
    label = "actions"
    demo_loader = "samverkan.actions.loaders.load_demo"
    home_panels = ("samverkan.actions.panels.next_meeting_flags",)
    bench_scenarios = "samverkan.actions.bench_followup"
