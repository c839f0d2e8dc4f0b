"""The AI help's services against the local chat server: drafts, budgets, personal data."""

import datetime as dt

import pytest
from django.core import signing

from quartiers40.assist.enums import DraftPurpose
from quartiers40.assist.models import AIDraft, AssistUsage, text_hash
from quartiers40.assist.selectors import ai_field_draft, ai_label_text, ai_provenance_data
from quartiers40.assist.services import (
    AssistBudgetExceeded,
    AssistUnavailable,
    ai_draft_accept,
    ai_draft_token,
    assist_editorial_draft,
    assist_minutes_draft,
    assist_summary_draft,
    assist_translate,
)
from quartiers40.core.models import ActionLog
from tests.members.factories import OrganisationFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory

from .conftest import Answer, completion

pytestmark = pytest.mark.django_db

PERSONAL_TEXT = (
    "Atelier animé par Fatima Bénali (fatima.benali@exemple.fr, 06 12 34 56 78) avec "
    "M. Karim Ould, joignable au +33 7 98 76 54 32. Mme BENALI accueille les habitants."
)


def test_a_summary_draft_is_stored_with_the_model_that_answered(chat_api):
    person = UserFactory()
    chat_api.then(completion("Un atelier pour découvrir l'IA.", model="albert-large-v2"))
    draft = assist_summary_draft(actor=person, title="Atelier IA", text="Un atelier.")
    assert draft.text == "Un atelier pour découvrir l'IA."
    assert draft.model_name == "albert-large-v2"
    assert draft.purpose == DraftPurpose.SUMMARY
    assert draft.requested_by == person
    assert not draft.is_accepted and draft.object_id is None


def test_personal_data_never_reaches_the_server(chat_api):
    person = UserFactory(display_name="Nadia Chérif")
    assist_summary_draft(
        actor=person,
        title="Atelier de Nadia Chérif",
        text=PERSONAL_TEXT,
        names=["Fatima Bénali", "Karim Ould", person.display_name],
    )
    received = chat_api.received
    assert chat_api.seen, "the server was called"
    for secret in (
        "Fatima",
        "Bénali",
        "BENALI",
        "Benali",
        "B\\u00e9nali",
        "Karim",
        "Ould",
        "Nadia",
        "Chérif",
        "fatima.benali",
        "exemple.fr",
        "06 12 34 56 78",
        "98 76 54 32",
    ):
        assert secret not in received, secret
    assert "[personne]" in received and "[e-mail]" in received and "[téléphone]" in received


def test_translation_minutes_and_editorial_are_redacted_too(chat_api):
    person = UserFactory()
    names = ["Fatima Bénali", "Karim Ould"]
    chat_api.reply = "RÉSUMÉ : Une rencontre.\nACTIONS :\n- Écrire au bailleur"
    assist_translate(actor=person, text=PERSONAL_TEXT, language="en", names=names)
    assist_minutes_draft(actor=person, minutes=PERSONAL_TEXT, names=names)
    assist_editorial_draft(actor=person, facts=PERSONAL_TEXT, names=names)
    assert len(chat_api.seen) == 3
    for secret in ("Fatima", "Karim", "fatima.benali", "06 12 34 56 78", "98 76 54 32"):
        assert secret not in chat_api.received


def test_a_translation_returns_text_and_model_only(chat_api):
    chat_api.reply = "A workshop to discover AI."
    before = AIDraft.objects.count()
    result = assist_translate(actor=UserFactory(), text="Un atelier.", language="en")
    assert (result.text, result.model_name) == ("A workshop to discover AI.", "albert-large")
    assert AIDraft.objects.count() == before
    assert "anglais" in chat_api.seen[0].body["messages"][1]["content"]
    with pytest.raises(ValueError):
        assist_translate(actor=UserFactory(), text="Un atelier.", language="xx")


def test_minutes_become_a_summary_and_proposed_action_items(chat_api):
    chat_api.reply = (
        "**RÉSUMÉ :** Vingt personnes ont parlé du jardin.\n\n"
        "**ACTIONS :**\n- Écrire au bailleur avant le 15 mars\n* Réserver la salle\n"
        "1. Inviter la mairie\n\nMerci."
    )
    proposal = assist_minutes_draft(actor=UserFactory(), minutes="Compte rendu de la rencontre…")
    assert proposal.draft.text == "Vingt personnes ont parlé du jardin."
    assert proposal.draft.purpose == DraftPurpose.MINUTES
    assert proposal.action_items == [
        "Écrire au bailleur avant le 15 mars",
        "Réserver la salle",
        "Inviter la mairie",
    ]


def test_minutes_without_actions(chat_api):
    chat_api.reply = "RÉSUMÉ : Une rencontre calme.\nACTIONS :"
    proposal = assist_minutes_draft(actor=UserFactory(), minutes="Compte rendu…")
    assert proposal.action_items == []
    assert proposal.draft.text == "Une rencontre calme."


def test_an_editorial_draft(chat_api):
    chat_api.reply = "Ce trimestre, douze projets."
    draft = assist_editorial_draft(actor=UserFactory(), facts="12 projets, 3 défis résolus.")
    assert draft.purpose == DraftPurpose.EDITORIAL and draft.text == "Ce trimestre, douze projets."


def test_off_by_default_and_nothing_is_counted(settings):
    settings.ASSIST_ENABLED = False
    person = UserFactory()
    with pytest.raises(AssistUnavailable):
        assist_summary_draft(actor=person, title="Atelier", text="Un atelier.")
    assert not AssistUsage.objects.exists()


def test_a_timeout_is_a_plain_message(chat_api, settings):
    settings.ASSIST_TIMEOUT_SECONDS = 0.4
    chat_api.then(Answer(delay=3, body=completion("Trop tard.").body))
    with pytest.raises(AssistUnavailable) as raised:
        assist_summary_draft(actor=UserFactory(), title="Atelier", text="Un atelier.")
    assert "à temps" in raised.value.message
    assert not AIDraft.objects.exists()


def test_an_error_is_a_plain_message(chat_api, settings):
    settings.ASSIST_API_KEY = "wrong"
    with pytest.raises(AssistUnavailable) as raised:
        assist_summary_draft(actor=UserFactory(), title="Atelier", text="Un atelier.")
    assert "pas disponible" in raised.value.message


def test_the_per_person_daily_budget(chat_api, settings):
    settings.ASSIST_DAILY_BUDGET_PER_USER = 2
    person, other = UserFactory(), UserFactory()
    for _ in range(2):
        assist_summary_draft(actor=person, title="Atelier", text="Un atelier.")
    with pytest.raises(AssistBudgetExceeded):
        assist_summary_draft(actor=person, title="Atelier", text="Un atelier.")
    assert len(chat_api.seen) == 2  # the refused call never left
    assist_summary_draft(actor=other, title="Atelier", text="Un atelier.")
    tomorrow = dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=1)
    assist_summary_draft(actor=person, title="Atelier", text="Un atelier.", now=tomorrow)
    assert len(chat_api.seen) == 4


def test_the_global_daily_budget(chat_api, settings):
    settings.ASSIST_DAILY_BUDGET_TOTAL = 3
    people = UserFactory.create_batch(4)
    for person in people[:3]:
        assist_summary_draft(actor=person, title="Atelier", text="Un atelier.")
    with pytest.raises(AssistBudgetExceeded) as raised:
        assist_summary_draft(actor=people[3], title="Atelier", text="Un atelier.")
    assert "site" in raised.value.message
    assert len(chat_api.seen) == 3


def test_a_failed_call_still_counts(chat_api, settings):
    settings.ASSIST_API_KEY = "wrong"
    person = UserFactory()
    with pytest.raises(AssistUnavailable):
        assist_summary_draft(actor=person, title="Atelier", text="Un atelier.")
    assert AssistUsage.objects.get(user=person).calls == 1


def test_an_empty_source_is_not_sent(chat_api):
    with pytest.raises(AssistUnavailable):
        assist_translate(actor=UserFactory(), text="  ", language="en")
    assert chat_api.seen == []


# --- Accepting a draft ---------------------------------------------------------------


def _pending(person, text="Un outil aide à remplir les papiers."):
    return AIDraft.objects.create(
        purpose=DraftPurpose.SUMMARY, model_name="albert-large", text=text, requested_by=person
    )


def test_accepting_records_the_provenance_and_the_action_log():
    person = UserFactory()
    organisation = OrganisationFactory(name="Les Petits Débrouillards")
    project = PublishedProjectFactory(carrier=organisation, easy_read_summary="Texte relu.")
    draft = _pending(person)
    accepted = ai_draft_accept(
        token=ai_draft_token(draft),
        target=project,
        field_name="easy_read_summary",
        text="Texte relu.",
        actor=person,
        organisation=organisation,
    )
    assert accepted is not None
    accepted.refresh_from_db()
    assert accepted.target == project
    assert accepted.reviewed_by == person and accepted.reviewer_organisation == organisation
    assert accepted.accepted_text_hash == text_hash("Texte relu.")
    log = ActionLog.objects.get(action="ai_draft_accepted")
    assert log.actor == person and log.object_id == str(project.pk)
    assert "albert-large" in log.reason
    assert ai_field_draft(project, "easy_read_summary") == accepted
    label = ai_label_text(accepted)
    assert label.startswith(
        "Proposé par une IA (albert-large), relu par Les Petits Débrouillards le "
    )
    assert [entry["field"] for entry in ai_provenance_data(project)] == ["easy_read_summary"]


def test_a_token_is_personal_single_use_and_signed():
    person, other = UserFactory(), UserFactory()
    project = PublishedProjectFactory()
    draft = _pending(person)
    token = ai_draft_token(draft)
    arguments = {"target": project, "field_name": "easy_read_summary", "text": "Texte."}
    assert ai_draft_accept(token=token, actor=other, **arguments) is None
    assert ai_draft_accept(token="forged", actor=person, **arguments) is None
    forged = signing.dumps({"draft": draft.pk, "by": person.pk}, salt="another")
    assert ai_draft_accept(token=forged, actor=person, **arguments) is None
    assert ai_draft_accept(token=token, actor=person, **{**arguments, "text": " "}) is None
    assert ai_draft_accept(token=token, actor=person, **arguments) is not None
    assert ai_draft_accept(token=token, actor=person, **arguments) is None  # used
    assert ActionLog.objects.filter(action="ai_draft_accepted").count() == 1


def test_no_label_without_an_accepted_draft_or_on_an_emptied_field():
    person = UserFactory()
    project = PublishedProjectFactory()
    _pending(person)  # asked for, never accepted
    assert ai_field_draft(project, "easy_read_summary") is None
    ai_draft_accept(
        token=ai_draft_token(_pending(person)),
        target=project,
        field_name="easy_read_summary",
        text="Texte.",
        actor=person,
    )
    project.easy_read_summary = ""
    fresh = type(project).objects.get(pk=project.pk)
    fresh.easy_read_summary = ""
    assert ai_field_draft(fresh, "easy_read_summary") is None
    assert ai_provenance_data(fresh) == []


def test_the_reviewer_without_organisation_is_their_public_label():
    person = UserFactory(display_name="Nadia Chérif", is_resident=True)
    project = PublishedProjectFactory()
    draft = ai_draft_accept(
        token=ai_draft_token(_pending(person)),
        target=project,
        field_name="easy_read_summary",
        text="Texte.",
        actor=person,
    )
    assert "Nadia" not in ai_label_text(draft)
    assert "Un·e habitant·e" in ai_label_text(draft)
