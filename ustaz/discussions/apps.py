from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

DIRECT_MESSAGE = "discussions.direct_message"
MENTIONED = "discussions.mentioned"
FORUM_POST = "discussions.forum_post"
ANNOUNCEMENT = "discussions.announcement"


class DiscussionsConfig(AppConfig):
    name = "ustaz.discussions"
    verbose_name = _("Chat and forums")

    def ready(self):
        from ustaz.notifications import kinds

        kinds.register(DIRECT_MESSAGE, _("A direct message to me"), default_email="digest")
        kinds.register(MENTIONED, _("Someone mentions me in a chat"), default_email="digest")
        kinds.register(FORUM_POST, _("A new post in a forum or thread I follow"))
        kinds.register(ANNOUNCEMENT, _("An announcement of my course or of the University"))
