from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class MeetingsConfig(registry.SamverkanAppConfig):
    name = "samverkan.meetings"
    verbose_name = _("Möten")
    label = "meetings"
    demo_loader = "samverkan.meetings.demo.load_demo"
    bench_scenarios = "samverkan.meetings.bench_scenarios"
