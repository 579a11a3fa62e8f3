"""News: staff write, schedule and aim it; each person reads only what is out for them."""

import re
from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

from freezegun import freeze_time
from sqlalchemy import select

from portal.core.dates import STOCKHOLM, utcnow
from portal.extensions import db
from portal.news import services, tasks
from portal.news.models import NewsComment, NewsItem
from tests.factories import make_organisation, make_user
from tests.projects.factories import make_goal_area, make_project
from tests.queries import counted_statements

ATOM = "{http://www.w3.org/2005/Atom}"
BOKSTART_NEWS = {
    "title": "Bokstart till Västernorrland!",
    "body": "Nu börjar **Bokstart** i Kramfors och Sollefteå.",
    "status": "published",
    "audience": "everyone",
}


def news(**fields) -> NewsItem:
    values = {
        "title": "Littfest i Umeå",
        "body": "Länsbiblioteket åker dit.",
        "status": "published",
        "publish_at": utcnow() - timedelta(hours=1),
        "audience": "everyone",
        **fields,
    }
    item = NewsItem(**values)
    db.session.add(item)
    db.session.commit()
    return item


def test_staff_publish_news_that_a_librarian_reads(client, login_as):
    area = make_goal_area("Litteratur och läsfrämjande")
    login_as("staff")
    response = client.post("/nyheter/ny", data={**BOKSTART_NEWS, "goal_area_ids": [area.id]})
    assert response.status_code == 302
    item = db.session.scalar(select(NewsItem))
    assert item.publish_at is not None

    client.post("/logga-ut")
    login_as("member")
    listing = client.get("/nyheter").get_data(as_text=True)
    assert "Bokstart till Västernorrland!" in listing
    assert "Nu börjar Bokstart i Kramfors" in listing
    page = client.get(f"/nyheter/{item.id}").get_data(as_text=True)
    assert "<strong>Bokstart</strong>" in page
    assert "Litteratur och läsfrämjande" in page


def test_a_draft_is_not_shown_to_librarians(client, login_as):
    draft = news(status="draft", publish_at=None)
    login_as("member")
    assert "Littfest i Umeå" not in client.get("/nyheter").get_data(as_text=True)
    assert client.get(f"/nyheter/{draft.id}").status_code == 404


def test_scheduled_news_appears_at_its_time_and_the_task_publishes_it(client, login_as):
    tomorrow_0800 = (utcnow().astimezone(STOCKHOLM) + timedelta(days=1)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    login_as("staff")
    response = client.post(
        "/nyheter/ny",
        data={
            **BOKSTART_NEWS,
            "status": "scheduled",
            "publish_at": tomorrow_0800.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    item = db.session.scalar(select(NewsItem))
    assert item.publish_at == tomorrow_0800  # typed in Swedish time, kept in UTC
    client.post("/logga-ut")
    member = login_as("member")
    assert client.get(f"/nyheter/{item.id}").status_code == 404

    with freeze_time(tomorrow_0800 - timedelta(minutes=1)):
        assert services.readable_item(member, item.id) is None
        assert services.publish_due_news() == []
    with freeze_time(tomorrow_0800):
        assert services.readable_item(member, item.id) is not None
        assert services.publish_due_news() == [item.id]
        db.session.commit()
    db.session.refresh(item)
    assert item.status == "published"


def test_scheduling_in_the_past_is_refused_and_the_text_is_kept(client, login_as):
    login_as("staff")
    response = client.post(
        "/nyheter/ny",
        data={**BOKSTART_NEWS, "status": "scheduled", "publish_at": "2020-11-30T08:00"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Välj en tidpunkt framåt i tiden" in page
    assert "Bokstart till Västernorrland!" in page
    assert db.session.scalar(select(NewsItem)) is None


def test_a_garbled_time_gets_a_swedish_message(client, login_as):
    login_as("staff")
    response = client.post(
        "/nyheter/ny", data={**BOKSTART_NEWS, "status": "scheduled", "publish_at": "i morgon"}
    )
    assert "Ange datum och tid som 2026-12-02 08:00." in response.get_data(as_text=True)
    assert db.session.scalar(select(NewsItem)) is None


def test_news_for_some_organisations_is_read_only_there(client, login_as):
    ange = make_organisation("Ånge bibliotek", municipality_name="Ånge")
    timra = make_organisation("Timrå bibliotek", municipality_name="Timrå")
    item = news(audience="organisations", organisations=[ange])
    login_as("member", organisation=timra)
    assert client.get(f"/nyheter/{item.id}").status_code == 404
    assert "Littfest i Umeå" not in client.get("/nyheter").get_data(as_text=True)
    client.post("/logga-ut")
    login_as("member", organisation=ange)
    assert client.get(f"/nyheter/{item.id}").status_code == 200


def test_news_for_a_project_is_read_by_its_participants_only(client, login_as):
    kramfors = make_organisation("Kramfors bibliotek", municipality_name="Kramfors")
    project = make_project("Bokstart Västernorrland", participants=[kramfors])
    item = news(audience="project", audience_project=project)
    login_as("member", organisation=make_organisation("Ånge bibliotek"))
    assert client.get(f"/nyheter/{item.id}").status_code == 404
    client.post("/logga-ut")
    login_as("member", organisation=kramfors)
    assert client.get(f"/nyheter/{item.id}").status_code == 200


def test_news_for_some_organisations_needs_at_least_one(client, login_as):
    login_as("staff")
    response = client.post("/nyheter/ny", data={**BOKSTART_NEWS, "audience": "organisations"})
    assert "Välj minst en organisation" in response.get_data(as_text=True)
    assert db.session.scalar(select(NewsItem)) is None


def test_pinned_news_comes_first(client, login_as):
    news(title="Äldre men fäst", pinned=True, publish_at=utcnow() - timedelta(days=30))
    news(title="Färsk nyhet")
    login_as("member")
    page = client.get("/nyheter").get_data(as_text=True)
    assert page.index("Äldre men fäst") < page.index("Färsk nyhet")


def test_script_and_javascript_links_are_removed_and_braces_shown_as_text(client, login_as):
    item = news(body="<script>alert(1)</script> [klick](javascript:alert(1)) {{7*7}}")
    login_as("member")
    page = client.get(f"/nyheter/{item.id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "{{7*7}}" in page


def test_staff_see_drafts_and_scheduled_news_apart(client, login_as):
    news(title="Utkast om Littfest", status="draft", publish_at=None)
    login_as("staff")
    page = client.get("/nyheter").get_data(as_text=True)
    waiting = page.split('id="waiting-heading"')[1]
    assert "Utkast om Littfest" in waiting


def test_a_member_cannot_write_news(client, login_as):
    login_as("member")
    assert client.post("/nyheter/ny", data=BOKSTART_NEWS).status_code == 403
    assert db.session.scalar(select(NewsItem)) is None


def test_staff_delete_news(client, login_as):
    item = news()
    login_as("staff")
    assert client.post(f"/nyheter/{item.id}/ta-bort").status_code == 302
    assert db.session.scalar(select(NewsItem.id)) is None


def test_the_beat_task_publishes_due_news_and_commits(app):
    due = news(status="scheduled", publish_at=utcnow() - timedelta(minutes=1))
    assert tasks.publish_due_news() == 1
    db.session.expire_all()
    assert db.session.get(NewsItem, due.id).status == "published"


def test_a_librarian_comments_and_edits_her_own_comment(client, login_as):
    item = news()
    login_as("member", name="Karin Holm")
    response = client.post(f"/nyheter/{item.id}/kommentarer", data={"body": "Vi kommer **gärna**!"})
    assert response.status_code == 302
    comment = db.session.scalar(select(NewsComment))
    assert response.headers["Location"].endswith(f"#kommentar-{comment.id}")
    page = client.get(f"/nyheter/{item.id}").get_data(as_text=True)
    assert "Karin Holm" in page and "<strong>gärna</strong>" in page

    client.post(
        f"/nyheter/{item.id}/kommentarer/{comment.id}", data={"body": "Vi kommer, fyra personer."}
    )
    db.session.refresh(comment)
    assert comment.body == "Vi kommer, fyra personer."
    assert comment.edited_at is not None


def test_an_empty_comment_is_refused_beside_the_field(client, login_as):
    item = news()
    login_as("member")
    response = client.post(f"/nyheter/{item.id}/kommentarer", data={"body": "   "})
    assert response.status_code == 400
    assert "Skriv något i kommentaren." in response.get_data(as_text=True)
    assert db.session.scalar(select(NewsComment)) is None


def test_someone_else_cannot_edit_or_delete_a_comment_but_staff_moderate_it(client, login_as):
    item = news()
    comment = NewsComment(news=item, author=make_user(name="Karin Holm"), body="Original")
    db.session.add(comment)
    db.session.commit()
    login_as("member")
    url = f"/nyheter/{item.id}/kommentarer/{comment.id}"
    assert client.post(url, data={"body": "Ändrat"}).status_code == 403
    assert client.post(f"{url}/ta-bort").status_code == 403
    client.post("/logga-ut")
    login_as("staff")
    assert client.post(url, data={"body": "Ändrat"}).status_code == 403
    assert client.post(f"{url}/ta-bort").status_code == 302
    assert db.session.scalar(select(NewsComment)) is None


def test_script_in_a_comment_is_removed(client, login_as):
    item = news()
    login_as("member")
    client.post(
        f"/nyheter/{item.id}/kommentarer",
        data={"body": '<img src=x onerror="alert(1)"> <script>alert(2)</script> Hej'},
    )
    page = client.get(f"/nyheter/{item.id}").get_data(as_text=True)
    assert "<img" not in page and "<script>alert(2)" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Hej" in page  # shown as text, never run


def test_a_comment_cannot_be_added_to_news_the_reader_may_not_see(client, login_as):
    draft = news(status="draft", publish_at=None)
    login_as("member")
    assert client.post(f"/nyheter/{draft.id}/kommentarer", data={"body": "Hej"}).status_code == 404
    assert db.session.scalar(select(NewsComment)) is None


def feed_address(client) -> str:
    page = client.post("/nyheter/flode", follow_redirects=True).get_data(as_text=True)
    return re.search(r'id="feed-address" type="text" readonly value="([^"]+)"', page).group(1)


def test_a_librarian_reads_only_her_news_in_her_atom_feed(client, login_as):
    ange = make_organisation("Ånge bibliotek", municipality_name="Ånge")
    news(title="För alla i länet")
    news(title="Bara för Timrå", audience="organisations", organisations=[make_organisation()])
    news(title="Utkast", status="draft", publish_at=None)
    news(title="Läsfrämjande i Ånge", audience="organisations", organisations=[ange])
    login_as("member", organisation=ange)
    address = feed_address(client)
    client.post("/logga-ut")

    response = client.get(urlsplit(address).path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    titles = {entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")}
    assert titles == {"För alla i länet", "Läsfrämjande i Ånge"}


def test_the_feed_carries_the_news_as_escaped_html_without_script(client, login_as):
    news(body="**Viktigt** <script>alert(1)</script>")
    login_as("member")
    response = client.get(urlsplit(feed_address(client)).path)
    (content,) = [e.text for e in ElementTree.fromstring(response.data).iter(f"{ATOM}content")]
    assert "<strong>Viktigt</strong>" in content
    assert "<script>" not in content


def test_a_renewed_or_closed_feed_address_stops_working(client, login_as):
    login_as("member")
    first = urlsplit(feed_address(client)).path
    second = urlsplit(feed_address(client)).path
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.post("/nyheter/flode/stang")
    assert client.get(second).status_code == 404


def test_a_made_up_feed_address_is_not_found(client):
    assert client.get("/nyheter/flode/gissat.xml").status_code == 404


def test_the_new_feed_address_is_shown_once(client, login_as):
    login_as("member")
    assert feed_address(client)
    again = client.get("/nyheter/flode").get_data(as_text=True)
    assert 'id="feed-address"' not in again
    assert "Du har en flödesadress." in again


def test_the_list_filters_by_goal_area_and_by_project(client, login_as):
    area = make_goal_area("Demokrati och delaktighet")
    project = make_project("Språkcaféer i Västernorrland")
    news(title="Om språkcaféerna", projects=[project])
    news(title="Om demokrati", goal_areas=[area])
    news(title="Om allt annat")
    login_as("member")
    by_project = client.get(f"/nyheter?projekt={project.id}").get_data(as_text=True)
    assert "Om språkcaféerna" in by_project
    assert "Om demokrati" not in by_project and "Om allt annat" not in by_project
    by_area = client.get(f"/nyheter?malomrade={area.id}").get_data(as_text=True)
    assert "Om demokrati" in by_area
    assert "Om språkcaféerna" not in by_area and "Om allt annat" not in by_area


def test_the_news_list_runs_as_many_statements_for_20_items_as_for_2(client, login_as):
    login_as("member")
    for n in range(2):
        news(title=f"Nyhet {n}", author=make_user())
    with counted_statements() as few:
        client.get("/nyheter")
    for n in range(2, 20):
        news(title=f"Nyhet {n}", author=make_user())
    with counted_statements() as many:
        page = client.get("/nyheter").get_data(as_text=True)
    assert "Nyhet 19" in page
    assert len(few) == len(many)
