import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from quartiers40.core.selectors import action_log_for
from quartiers40.members.enums import Role
from quartiers40.projects import selectors, services
from quartiers40.projects.enums import ProjectStatus, Stage, Theme
from quartiers40.projects.models import ProjectFollow, ProjectUpdate
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.territories.factories import QPVFactory

from .factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return MembershipFactory(role=Role.ADMIN).user


@pytest.fixture
def coordinator():
    return CoordinatorFactory(email="coordination@exemple.fr")


def _carrier(user):
    return user.memberships.get().organisation


def test_create_a_draft_for_ones_organisation(owner):
    qpv = QPVFactory()
    partner = OrganisationFactory()
    project = services.project_create(
        actor=owner,
        carrier=_carrier(owner),
        qpvs=[qpv],
        partners=[partner, _carrier(owner)],
        title="Traduire les courriers de la CAF",
        summary="Une traduction des courriers en dix langues.",
    )
    assert project.status == ProjectStatus.DRAFT
    assert project.slug == "traduire-les-courriers-de-la-caf"
    assert list(project.qpvs.all()) == [qpv]
    assert list(project.partners.all()) == [partner]  # the carrier is not its own partner
    assert action_log_for(project).filter(action="project_created").exists()


def test_create_refuses_someone_outside_the_organisation():
    with pytest.raises(PermissionDenied):
        services.project_create(
            actor=UserFactory(), carrier=OrganisationFactory(), title="X", summary="Y"
        )


def test_create_refuses_unknown_themes_and_a_long_easy_read_summary(owner):
    with pytest.raises(ValidationError):
        services.project_create(
            actor=owner, carrier=_carrier(owner), title="X", summary="Y", themes=["astrologie"]
        )
    with pytest.raises(ValidationError):
        services.project_create(
            actor=owner,
            carrier=_carrier(owner),
            title="X",
            summary="Y",
            easy_read_summary="a" * 401,
        )


def test_full_workflow_with_its_log_and_emails(
    owner, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    project = ProjectFactory(carrier=_carrier(owner))
    with django_capture_on_commit_callbacks(execute=True):
        services.project_submit(project=project, actor=owner)
    assert project.status == ProjectStatus.SUBMITTED
    assert mailoutbox[-1].to == [coordinator.email]

    with django_capture_on_commit_callbacks(execute=True):
        services.project_return(
            project=project, actor=coordinator, comments="Précisez les données."
        )
    assert project.status == ProjectStatus.RETURNED
    assert "Précisez les données." in mailoutbox[-1].body
    assert mailoutbox[-1].to == [owner.email]

    with django_capture_on_commit_callbacks(execute=True):
        services.project_submit(project=project, actor=owner)
        services.project_publish(project=project, actor=coordinator)
    assert project.status == ProjectStatus.PUBLISHED
    assert project.published_at is not None
    assert project.review_comments == ""
    assert "publié" in mailoutbox[-1].subject

    with django_capture_on_commit_callbacks(execute=True):
        services.project_archive(project=project, actor=owner, reason="Terminé.")
    assert project.status == ProjectStatus.ARCHIVED
    assert len(mailoutbox) == 5
    transitions = list(
        action_log_for(project).exclude(to_status="").values_list("from_status", "to_status")
    )
    assert set(transitions) >= {
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "published"),
        ("published", "archived"),
    }


def test_submit_requires_the_easy_read_summary_and_a_territory(owner):
    project = ProjectFactory(carrier=_carrier(owner), easy_read_summary="", departments=[])
    with pytest.raises(ValidationError) as error:
        services.project_submit(project=project, actor=owner)
    assert {"easy_read_summary", "qpvs"} <= set(error.value.message_dict)
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


@pytest.mark.parametrize(
    ("status", "transition"),
    [
        (ProjectStatus.SUBMITTED, "submit"),
        (ProjectStatus.PUBLISHED, "submit"),
        (ProjectStatus.ARCHIVED, "submit"),
        (ProjectStatus.DRAFT, "publish"),
        (ProjectStatus.RETURNED, "publish"),
        (ProjectStatus.PUBLISHED, "publish"),
        (ProjectStatus.ARCHIVED, "publish"),
        (ProjectStatus.DRAFT, "return"),
        (ProjectStatus.PUBLISHED, "return"),
        (ProjectStatus.ARCHIVED, "return"),
        (ProjectStatus.ARCHIVED, "archive"),
    ],
)
def test_refused_transitions(status, transition, coordinator, mailoutbox):
    project = ProjectFactory(status=status)
    calls = {
        "submit": lambda: services.project_submit(project=project, actor=coordinator),
        "publish": lambda: services.project_publish(project=project, actor=coordinator),
        "return": lambda: services.project_return(
            project=project, actor=coordinator, comments="Non."
        ),
        "archive": lambda: services.project_archive(project=project, actor=coordinator),
    }
    with pytest.raises(ValidationError) as error:
        calls[transition]()
    assert error.value.code == "invalid_transition"
    project.refresh_from_db()
    assert project.status == status
    assert mailoutbox == []


def test_the_transition_reads_the_current_state_not_a_stale_instance(owner, coordinator):
    project = ProjectFactory(carrier=_carrier(owner), status=ProjectStatus.SUBMITTED)
    stale_copy = type(project).objects.get(pk=project.pk)
    services.project_publish(project=project, actor=coordinator)
    with pytest.raises(ValidationError):
        services.project_return(project=stale_copy, actor=coordinator, comments="Trop tard.")


def test_return_requires_comments(coordinator):
    project = ProjectFactory(status=ProjectStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        services.project_return(project=project, actor=coordinator, comments="  ")


def test_owners_cannot_publish_or_return_their_own_project(owner):
    project = ProjectFactory(carrier=_carrier(owner), status=ProjectStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.project_publish(project=project, actor=owner)
    with pytest.raises(PermissionDenied):
        services.project_return(project=project, actor=owner, comments="Moi-même.")


def test_update_of_a_published_project_is_public_at_once_and_in_the_timeline(owner):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    qpv = QPVFactory()
    changed = services.project_update(
        project=project,
        actor=owner,
        stage=Stage.DEPLOYED,
        summary=project.summary,  # unchanged: not listed
        qpvs=[qpv],
    )
    assert changed == ["stage", "qpvs"]
    project.refresh_from_db()
    assert project.stage == Stage.DEPLOYED
    update = selectors.project_timeline(project).get()
    assert update.changed_fields == ["stage", "qpvs"]
    assert update.actor == owner
    assert update.changed_labels() == ["étape", "quartiers prioritaires concernés"]


def test_update_of_a_draft_leaves_no_public_trace_and_no_change_nothing(owner):
    project = ProjectFactory(carrier=_carrier(owner))
    assert services.project_update(project=project, actor=owner, title="Nouveau titre") == ["title"]
    assert not ProjectUpdate.objects.exists()
    published = PublishedProjectFactory(carrier=_carrier(owner))
    assert services.project_update(project=published, actor=owner, title=published.title) == []
    assert not ProjectUpdate.objects.exists()


def test_update_refuses_strangers_archived_projects_and_unknown_fields(owner):
    project = PublishedProjectFactory(carrier=_carrier(owner))
    with pytest.raises(PermissionDenied):
        services.project_update(project=project, actor=UserFactory(), title="Piraté")
    with pytest.raises(TypeError):  # the status only moves through the workflow
        services.project_update(project=project, actor=owner, status=ProjectStatus.DRAFT)
    archived = ProjectFactory(carrier=_carrier(owner), status=ProjectStatus.ARCHIVED)
    with pytest.raises(ValidationError):
        services.project_update(project=archived, actor=owner, title="Encore")


def test_follow_and_unfollow():
    user = UserFactory()
    project = PublishedProjectFactory()
    services.project_follow(project=project, user=user)
    services.project_follow(project=project, user=user)
    assert ProjectFollow.objects.filter(user=user, project=project).count() == 1
    services.project_unfollow(project=project, user=user)
    assert not ProjectFollow.objects.exists()
    with pytest.raises(PermissionDenied):
        services.project_follow(project=ProjectFactory(), user=user)


def test_catalogue_filters_on_json_lists_and_relations():
    qpv = QPVFactory(department_code="13")
    marseille = PublishedProjectFactory(
        title="Santé mentale à Malpassé", themes=[Theme.HEALTH.value], departments=[]
    )
    marseille.qpvs.add(qpv)
    wide = PublishedProjectFactory(themes=[Theme.EMPLOYMENT.value], departments=["93", "130"])
    ProjectFactory(themes=[Theme.HEALTH.value])  # a draft: never listed
    assert list(selectors.project_catalogue(theme="health")) == [marseille]
    assert list(selectors.project_catalogue(department="13")) == [marseille]
    assert list(selectors.project_catalogue(department="93")) == [wide]
    assert list(selectors.project_catalogue(qpv=qpv.code)) == [marseille]
    assert list(selectors.project_catalogue(query="Mentale")) == [marseille]
    assert selectors.projects_in_qpv_section(qpv)["projects_count"] == 1


def test_projects_of_an_organisation_include_partnerships():
    organisation = OrganisationFactory()
    carried = PublishedProjectFactory(carrier=organisation)
    partnered = PublishedProjectFactory()
    partnered.partners.add(organisation)
    draft = ProjectFactory(carrier=organisation)
    assert set(selectors.projects_of_organisation(organisation)) == {carried, partnered}
    assert draft in selectors.projects_of_organisation(organisation, include_unpublished=True)


def test_a_title_that_would_shadow_a_page_gets_another_slug():
    assert services.project_slug("Nouveau") == "projet-nouveau"
    assert services.project_slug("Carte") == "projet-carte"


@pytest.mark.parametrize(
    ("status", "owner_may", "team_may"),
    [
        (ProjectStatus.DRAFT, {"submit", "archive"}, {"submit", "archive"}),
        (ProjectStatus.RETURNED, {"submit", "archive"}, {"submit", "archive"}),
        (ProjectStatus.SUBMITTED, {"archive"}, {"publish", "return", "archive"}),
        (ProjectStatus.PUBLISHED, {"archive"}, {"archive"}),
        (ProjectStatus.ARCHIVED, set(), set()),
    ],
)
def test_the_workflow_table_says_who_may_do_what_from_each_state(
    owner, coordinator, status, owner_may, team_may
):
    from quartiers40.projects.enums import PROJECT_WORKFLOW

    project = ProjectFactory(carrier=_carrier(owner), status=status)
    assert PROJECT_WORKFLOW.allowed(project, owner) == owner_may
    assert PROJECT_WORKFLOW.allowed(project, coordinator) == team_may
    assert PROJECT_WORKFLOW.allowed(project, UserFactory()) == set()
    assert PROJECT_WORKFLOW.log_names() == {
        "project_submitted",
        "project_published",
        "project_returned",
        "project_archived",
    }


def test_a_transition_from_the_wrong_state_keeps_its_message(coordinator):
    project = ProjectFactory(status=ProjectStatus.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.project_publish(project=project, actor=coordinator)
    assert error.value.messages == ["Cette action n'est pas possible pour un projet « Brouillon »."]


def test_the_update_service_takes_every_editable_field_by_name():
    import inspect

    from quartiers40.projects.models import PROJECT_EDITABLE_FIELDS, PROJECT_EDITABLE_RELATIONS

    for service in (services.project_create, services.project_update):
        names = set(inspect.signature(service).parameters)
        assert set(PROJECT_EDITABLE_FIELDS) | set(PROJECT_EDITABLE_RELATIONS) <= names
