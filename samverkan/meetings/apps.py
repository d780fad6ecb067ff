from samverkan.core import registry


class MeetingsConfig(registry.SamverkanAppConfig):
    name = "samverkan.meetings"
    label = "meetings"
