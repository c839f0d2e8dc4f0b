"""What a person can hear about, and how often.

A *category* is what a person sets a frequency for (five of them, on the preferences page);
an event *kind* is what happened (a new opportunity, a project's update), and each kind
belongs to one category. Messages that ask for an action (a password reset, a registration
to confirm, a seat offered with a deadline) are not here: they always leave at once through
`core.emails` and cannot be batched or turned off.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    FOLLOWS = "follows", _("Ce que je suis")
    OWN_ITEMS = "own_items", _("La vie de mes contenus")
    MEETINGS = "meetings", _("Les rencontres")
    SUGGESTIONS = "suggestions", _("Les suggestions pour moi")
    COORDINATION = "coordination", _("Les files de l'équipe de coordination")


CATEGORY_HELP: dict[str, Promise] = {
    Category.FOLLOWS: _(
        "Nouveaux projets, défis, opportunités et rencontres dans ce que vous suivez : "
        "quartiers, communes, organisations, projets, défis, séries de rencontres."
    ),
    Category.OWN_ITEMS: _("Réponses, soutiens, commentaires et décisions sur vos contenus."),
    Category.MEETINGS: _("Nouvelles rencontres et changements de celles où vous êtes inscrit·e."),
    Category.SUGGESTIONS: _("Projets, défis et opportunités qui pourraient vous intéresser."),
    Category.COORDINATION: _("Ce qui attend l'équipe de coordination (modération, demandes)."),
}


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Tout de suite")
    DAILY = "daily", _("Un résumé par jour")
    WEEKLY = "weekly", _("Un résumé par semaine")
    NEVER = "never", _("Jamais")


# Nothing that needs an action is in a category (see the module docstring): the rest is
# weekly until the person chooses.
DEFAULT_FREQUENCY = Frequency.WEEKLY
DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)


@dataclass(frozen=True)
class EventKind:
    code: str
    category: str
    label: Promise  # the heading of its group in a message and on the Nouveautés page


_KINDS = (
    EventKind("project_new", Category.FOLLOWS, _("Nouveaux projets")),
    EventKind("challenge_new", Category.FOLLOWS, _("Nouveaux défis")),
    EventKind("opportunity_new", Category.FOLLOWS, _("Nouvelles opportunités")),
    EventKind("meeting_new", Category.MEETINGS, _("Nouvelles rencontres")),
    EventKind("project_update", Category.FOLLOWS, _("Nouvelles des projets suivis")),
    EventKind("challenge_update", Category.FOLLOWS, _("Nouvelles des défis suivis")),
    EventKind("search_results", Category.FOLLOWS, _("Nouveaux résultats de vos recherches")),
    EventKind("own_item", Category.OWN_ITEMS, _("Vos contenus")),
    EventKind("meeting_change", Category.MEETINGS, _("Vos rencontres")),
    EventKind("suggestion", Category.SUGGESTIONS, _("Suggestions pour vous")),
    EventKind("coordination_queue", Category.COORDINATION, _("À traiter")),
)
EVENT_KINDS: dict[str, EventKind] = {kind.code: kind for kind in _KINDS}
KIND_CHOICES = [(kind.code, kind.label) for kind in _KINDS]
