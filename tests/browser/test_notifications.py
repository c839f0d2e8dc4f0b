"""Notifications in a real browser at 360x800: follow a QPV, a new opportunity there comes
in the next weekly digest read from a real SMTP server's mailbox (its HTML part passes
axe-core too), its unsubscribe link works; the preferences page with and without
JavaScript."""

import email
import email.policy

from playwright.sync_api import expect

from quartiers40.notifications.digests import digest_run
from quartiers40.notifications.enums import Category, Frequency
from quartiers40.notifications.selectors import preferences_of
from quartiers40.opportunities import services as opportunity_services
from quartiers40.opportunities.records import PlaceInput
from quartiers40.territories.lookup import qpv_index_invalidate
from tests.browser.conftest import assert_no_axe_violations
from tests.core.test_emails import Inbox, smtp  # noqa: F401 (the SMTP server fixture)
from tests.members.factories import UserFactory
from tests.opportunities.test_services_core import FIELDS, _member
from tests.tasks import run_worker
from tests.territories.factories import QPVFactory, box

SMALL_PHONE = {"width": 360, "height": 800}


def _html_part(content: str) -> str:
    message = email.message_from_bytes(content.encode(), policy=email.policy.default)
    return message.get_body(preferencelist=("html",)).get_content()


def test_follow_a_qpv_then_its_new_opportunity_is_in_the_next_digest(
    live_server,
    sign_in_as,
    new_context,
    settings,
    smtp,  # noqa: F811
    transactional_db,
):
    settings.SITE_URL = live_server.url  # the digest's links, built outside a request
    inbox = smtp(Inbox())
    qpv_index_invalidate()
    qpv = QPVFactory(code="QN09301Z", name="Franc-Moisin", geometry=box(2.35, 48.88))
    qpv_index_invalidate()
    person = UserFactory()
    page = sign_in_as(person, viewport=SMALL_PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/territoires/qpv/{qpv.code}/")
    main = page.get_by_role("main")
    main.get_by_role("button", name="Suivre Franc-Moisin").click()
    expect(page.get_by_role("status")).to_contain_text("Vous suivez « Franc-Moisin (QN09301Z) »")
    expect(main.get_by_role("button", name="Ne plus suivre Franc-Moisin")).to_be_visible()
    assert_no_axe_violations(page)
    page.screenshot(path="/tmp/notif-qpv-followed.png")  # noqa: S108

    user, organisation = _member()
    opportunity = opportunity_services.opportunity_create(
        actor=user,
        organisation=organisation,
        places=[PlaceInput(name="Centre", longitude=2.355, latitude=48.885)],
        **FIELDS,
    )
    opportunity_services.opportunity_publish(opportunity=opportunity, actor=user)
    run_worker()  # the event's immediate task: nobody wants it at once
    assert inbox.received == []

    assert digest_run(frequency=Frequency.WEEKLY).messages == 1
    run_worker()
    [(rcpts, content)] = inbox.received
    assert rcpts == [person.email]
    html = _html_part(content)
    reader = new_context(viewport=SMALL_PHONE).new_page()
    reader.set_content(html)
    expect(reader.get_by_role("heading", level=2)).to_have_text("Nouvelles opportunités")
    assert_no_axe_violations(reader)
    reader.screenshot(path="/tmp/notif-digest.png")  # noqa: S108
    reader.get_by_role("link", name="Atelier CV").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Atelier CV")

    # The message's unsubscribe link: a confirm page, then one button (no session needed).
    reader.set_content(html)
    reader.get_by_role("link", name="Ne plus recevoir « Ce que je suis »").click()
    reader.get_by_role("button", name="Confirmer le désabonnement").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Désabonnement enregistré")
    assert preferences_of(person)[Category.FOLLOWS] == Frequency.NEVER


def _choose_daily_meetings(page, live_server, *, javascript: bool) -> None:
    page.goto(f"{live_server.url}/compte/notifications/")
    main = page.get_by_role("main")
    if javascript:  # axe-core is a script: it runs where scripts do
        assert_no_axe_violations(page)
    main.get_by_role("group", name="Les rencontres").get_by_label("Un résumé par jour").check()
    main.get_by_role("group", name="Langue des messages").get_by_label("English").check()
    main.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos préférences sont enregistrées.")).to_be_visible()
    expect(
        main.get_by_role("group", name="Les rencontres").get_by_label("Un résumé par jour")
    ).to_be_checked()


def test_the_preferences_page_with_and_without_javascript(
    live_server, sign_in_as, transactional_db
):
    for javascript in (True, False):
        person = UserFactory()
        page = sign_in_as(
            person,
            viewport=SMALL_PHONE,
            is_mobile=True,
            has_touch=True,
            java_script_enabled=javascript,
        )
        _choose_daily_meetings(page, live_server, javascript=javascript)
        preferences = preferences_of(person)
        assert preferences[Category.MEETINGS] == Frequency.DAILY
        assert preferences[Category.FOLLOWS] == Frequency.WEEKLY
        person.notification_state.refresh_from_db()
        assert person.notification_state.language == "en"
        if not javascript:
            page.screenshot(path="/tmp/notif-preferences.png", full_page=True)  # noqa: S108


def test_my_follows_and_my_news_on_a_phone(live_server, sign_in_as, transactional_db):
    from quartiers40.notifications import services
    from tests.members.factories import OrganisationFactory

    person = UserFactory()
    qpv = QPVFactory(code="QN09302Z", name="Les Cosmonautes")
    services.follow_create(user=person, target=qpv)
    services.follow_create(user=person, target=OrganisationFactory(name="Clic Solidaire"))
    services.notification_record(
        kind="opportunity_new",
        item=OrganisationFactory(),
        title="Atelier numérique",
        path="/opportunites/",
        audience=[qpv],
    )
    page = sign_in_as(person, viewport=SMALL_PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/compte/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Suivis et notifications")).to_be_visible()
    main.get_by_role("link", name="Nouveautés").click()
    expect(page.get_by_role("main")).to_contain_text("Atelier numérique")
    assert_no_axe_violations(page)
    page.screenshot(path="/tmp/notif-news.png")  # noqa: S108
    page.set_viewport_size({"width": 1280, "height": 400})
    expect(page.get_by_role("banner").get_by_role("link", name="Nouveautés")).to_be_visible()
    page.screenshot(path="/tmp/notif-news-desktop.png")  # noqa: S108
    page.get_by_role("main").get_by_role("link", name="Ce que je suis").click()
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Clic Solidaire")).to_be_visible()
    assert_no_axe_violations(page)
    page.screenshot(path="/tmp/notif-follows.png")  # noqa: S108
    main.get_by_role("button", name="Ne plus suivre Clic Solidaire").click()
    expect(page.get_by_role("main").get_by_role("link", name="Clic Solidaire")).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("link", name="Les Cosmonautes")).to_be_visible()
