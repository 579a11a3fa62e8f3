"""The journeys the proof walks, over HTTPS only, through the pages people use. Each takes the
deployment and returns a short note for its line, or raises with what went wrong."""

import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from proof.browser import APP_KEYS, Option, Person
from proof.deployment import Deployment, link_in, text_of
from proof.processes import wait_until

ADMIN = ("anna.admin@lansbiblioteket.example", "Anna Admin", "Fjällbjörk i Sundsvall 2026!")
LIBRARIAN = ("karin.lund@kramfors.example", "Karin Lund", "Höga kusten läser vidare 26")
COLLEAGUE = ("bo.granskare@lansbiblioteket.example", "Bo Granskare", "Granskning vid Indalsälven!")
FUNDER_CONTACT = ("maria.lindqvist@kulturradet.example", "Maria Lindqvist")
LIBRARY, FUNDER = "Kramfors bibliotek", "Kulturrådet"
COUNTY_LIBRARY = "Länsbiblioteket Västernorrland"
PROJECT, GOAL_AREA = "Bokstart Västernorrland", "Litteratur och läsfrämjande"
NEWS_TITLE = "Bokstart börjar i hela länet"
INVITATION = "Inbjudan till portalen"
INVITATION_LINK = r"https://\S+/inbjudan/\S+"
# As the README runs it: `docker compose run --rm web flask --app wsgi portal create-admin …`
CREATE_ADMIN = ["flask", "--app", "wsgi", "portal", "create-admin"]
IMPORT_REGION = ["flask", "--app", "wsgi", "portal", "import-region", "regions/vasternorrland.toml"]
REGION_FOOTER = "Länsbiblioteket Västernorrland och kommunbiblioteken i länet"
API_TOKEN = r"lbp_[A-Za-z0-9_-]+"

# Journey 5: invitations sent by admins at once; the SMTP server's time per message before it
# answers, so that the kill lands while the worker is in the middle of sending one; and how many
# arrive before the kill.
BULK_INVITATIONS = 500
BULK_ADMINS = 3
SMTP_DELAY_SECONDS = 0.05
KILL_AFTER = 120


class People:
    """The browsers of one run, each logged in once and kept for the journeys after."""

    def __init__(self):
        self.admin: Person | None = None
        self.librarian: Person | None = None
        self.colleague: Person | None = None


def create_admin_and_log_in(deployment: Deployment, people: People) -> str:
    email, name, password = ADMIN
    arguments = ["--email", email, "--name", name, "--password", password]
    created = deployment.run_command("create-admin", [*CREATE_ADMIN, *arguments])
    if created.returncode != 0:
        raise AssertionError(f"portal create-admin exited {created.returncode}:\n{created.log()}")
    # create-admin prints the key of the admin's authenticator app, which the login asks for.
    APP_KEYS.add(email, re.search(r"^Nyckel: ([A-Z2-7]+)$", created.log(), re.MULTILINE).group(1))
    people.admin = deployment.person("admin")
    start = people.admin.log_in(email, password).expect(f"Välkommen, {name}")
    assert start.url == deployment.base_url + "/", start.url
    return email


def invite_and_accept(
    deployment: Deployment, admin: Person, person: tuple[str, str, str], role: str, library=None
) -> Person:
    """The admin invites; the invitation email arrives; the invitee sets a password from its
    link; then logs in, in a browser of her own."""
    email, name, password = person
    page = admin.open("/admin/anvandare/bjud-in")
    values = {"email": email, "name": name, "role": Option(role)}
    if library:
        values["organisation_id"] = Option(library)
    admin.submit(page, "Skicka inbjudan", values).expect(f"Inbjudan till {email} är skickad.")
    invitation = deployment.wait_for_email(email, INVITATION)
    link = link_in(invitation.message, INVITATION_LINK)
    invitee = deployment.person(f"{name} accepting")
    page = invitee.open(link)
    page = invitee.submit(page, "Spara lösenord", {"password": password, "confirm": password})
    page.expect("Välkommen! Ditt konto är klart.")
    browser = deployment.person(name)
    browser.log_in(email, password).expect(f"Välkommen, {name}")
    return browser


def invite_a_librarian(deployment: Deployment, people: People) -> str:
    admin = people.admin
    page = admin.open("/admin/organisationer/ny")
    values = {"name": LIBRARY, "kind": Option("Kommunbibliotek"), "municipality_name": "Kramfors"}
    admin.submit(page, "Spara organisation", values).expect("Organisationen är sparad.")
    people.librarian = invite_and_accept(
        deployment, admin, LIBRARIAN, "Kommunbibliotekarie", LIBRARY
    )
    return LIBRARIAN[0]


def outbox_counts(admin: Person) -> dict[str, int]:
    """What the admin page "Utskick" counts per status."""
    text = admin.open("/admin/utskick").text
    counts = {}
    for label in ("Köad", "Skickas", "Skickad", "Misslyckad"):
        marker = f"{label}: "
        position = text.index(marker) + len(marker)
        counts[label] = int(text[position:].split()[0])
    return counts


def wait_for_outbox_to_empty(admin: Person, timeout: float) -> dict[str, int]:
    """Until Utskick has nothing queued or being sent; fails on a failed email."""

    def empty():
        counts = outbox_counts(admin)
        if counts["Misslyckad"]:
            raise AssertionError(f"Utskick shows failed emails: {counts}")
        return counts if counts["Köad"] == counts["Skickas"] == 0 else None

    return wait_until(empty, timeout=timeout, interval=0.5, message="Utskick to be empty")


def publish_news(deployment: Deployment, people: People) -> str:
    """The librarian wants news at once; the admin (weekly, the default for staff) does not.
    The admin publishes to everyone; exactly one email goes, to the librarian."""
    page = people.librarian.open("/profil/aviseringar")
    saved = people.librarian.submit(page, "Spara inställningarna", {"news": "immediately"})
    saved.expect("Dina inställningar för e-post är sparade.")
    admin = people.admin
    page = admin.open("/nyheter/ny")
    values = {
        "title": NEWS_TITLE,
        "body": "Nu får alla nyfödda i länet en **bokpåse** på BVC.",
        "status": Option("Publicerad"),
        "audience": Option("Alla i portalen"),
    }
    admin.submit(page, "Spara nyheten", values).expect(NEWS_TITLE)
    email = deployment.wait_for_email(LIBRARIAN[0], NEWS_TITLE)
    assert NEWS_TITLE in text_of(email.message)
    wait_for_outbox_to_empty(admin, timeout=60)
    news = [e for e in deployment.smtp.delivered if NEWS_TITLE in (e.message["Subject"] or "")]
    recipients = Counter(address for envelope in news for address in envelope.rcpt_tos)
    assert recipients == {LIBRARIAN[0]: 1}, f"the news went to {dict(recipients)}"
    return "1 email, to the one reader who wants news immediately"


def report_to_the_funder(deployment: Deployment, people: People) -> str:
    """From nothing: a plan period with a goal area, the funder with its contact, a project
    with a grant; then draft, review by a colleague, approval and sending."""
    admin = people.admin
    today = date.today()
    last_year = today.year - 1

    plan = f"Regional biblioteksplan {last_year}–{last_year + 3}"
    page = admin.open("/admin/planer/ny")
    values = {
        "name": plan,
        "starts_on": f"{last_year}-01-01",
        "ends_on": f"{last_year + 3}-12-31",
        "is_current": True,
    }
    page = admin.submit(page, "Spara planperiod", values).expect("Planperioden är sparad.")
    page = admin.open(admin.open("/admin/planer").link(plan))
    page = admin.open(page.link("Nytt målområde"))
    admin.submit(page, "Spara målområde", {"name": GOAL_AREA}).expect("Målområdet är sparat.")

    page = admin.open("/admin/organisationer/ny")
    values = {"name": FUNDER, "kind": Option("Finansiär")}
    admin.submit(page, "Spara organisation", values).expect("Organisationen är sparad.")
    page = admin.open(admin.open("/finansiarer").link(FUNDER))
    contact_email, contact_name = FUNDER_CONTACT
    values = {"name": contact_name, "email": contact_email, "role": "Handläggare"}
    admin.submit(page, "Spara kontaktpersonen", values).expect(contact_email)

    page = admin.open(admin.open("/projekt").link("Nytt projekt"))
    values = {
        "title": PROJECT,
        "summary": "Bokpåsar till alla nyfödda i länet.",
        "goal_area_id": Option(f"{plan} – {GOAL_AREA}"),
        "status": Option("Pågående"),
        "starts_on": f"{last_year}-01-01",
        "ends_on": f"{today.year + 1}-12-31",
        "lead_id": Option(ADMIN[1]),
    }
    project = admin.submit(page, "Spara projektet", values).expect("Projektet är skapat.")
    economy = admin.open(project.link("Ekonomi"))
    page = admin.open(economy.link("Nytt bidrag"))
    values = {
        "funder_id": Option(FUNDER),
        "case_number": f"KUR {last_year}/1234",
        "amount": "600 000",
        "decided_on": f"{last_year - 1}-12-01",
        "period_starts_on": f"{last_year}-01-01",
        "period_ends_on": f"{today.year + 1}-12-31",
        "deadlines-0-kind": Option("Lägesrapport"),
        "deadlines-0-due_on": f"{last_year}-08-31",
        "deadlines-1-kind": Option("Slutredovisning"),
        "deadlines-1-due_on": f"{today.year + 2}-03-31",
    }
    economy = admin.submit(page, "Spara bidraget", values).expect("600 000 kr")

    page = admin.open(economy.link("Ny rapport", exact=False))
    values = {
        "kind": Option("Lägesrapport"),
        "period_starts_on": f"{last_year}-01-01",
        "period_ends_on": f"{last_year}-06-30",
    }
    report = admin.submit(page, "Skapa utkast", values).expect("Utkastet är skapat.")
    report_url = report.url
    report = admin.submit(report, "Skicka till granskning")
    report.expect("Rapporten är skickad till granskning.")

    page = admin.open("/admin/organisationer/ny")
    values = {"name": COUNTY_LIBRARY, "kind": Option("Länsbibliotek")}
    admin.submit(page, "Spara organisation", values).expect("Organisationen är sparad.")
    people.colleague = invite_and_accept(
        deployment, admin, COLLEAGUE, "Länsbibliotekets personal", COUNTY_LIBRARY
    )
    review = people.colleague.open(report_url)
    people.colleague.submit(review, "Godkänn").expect("Rapporten är godkänd.")

    report = admin.open(report_url).expect(contact_email)
    admin.submit(report, "Skicka till finansiären").expect("Rapporten är skickad till")

    sent = deployment.wait_for_email(contact_email)
    (attachment,) = list(sent.message.iter_attachments())
    pdf = attachment.get_content()
    assert attachment.get_content_type() == "application/pdf", attachment.get_content_type()
    assert pdf.startswith(b"%PDF"), pdf[:20]
    return f"{attachment.get_filename()}, {len(pdf) // 1024} KiB, to {contact_email}"


def invite_in_bulk(admin: Person, addresses: list[str], stop: threading.Event) -> int:
    """One admin at the invitation form, once per address: open it, fill it in, send it."""
    for address in addresses:
        if stop.is_set():
            break
        page = admin.open("/admin/anvandare/bjud-in")
        values = {
            "email": address,
            "name": address.split("@")[0],
            "organisation_id": Option(LIBRARY),
            "role": Option("Kommunbibliotekarie"),
        }
        admin.submit(page, "Skicka inbjudan", values).expect(f"Inbjudan till {address} är skickad.")
    return len(addresses)


def kill_the_worker_mid_delivery(deployment: Deployment, people: People) -> str:
    """Admins invite 500 librarians through the invitation form, each its own email. While
    those are being delivered, the worker is killed with `kill -9` and started again."""
    addresses = [f"bibliotekarie{n:03d}@kommunerna.example" for n in range(BULK_INVITATIONS)]
    wanted = set(addresses)

    def arrived() -> Counter:
        return Counter(
            address
            for envelope in deployment.smtp.delivered
            for address in envelope.rcpt_tos
            if address in wanted
        )

    admins = []
    for number in range(BULK_ADMINS):
        admin = deployment.person(f"admin {number + 1}")
        admin.log_in(ADMIN[0], ADMIN[2])
        admins.append(admin)
    deployment.smtp.slow_down(SMTP_DELAY_SECONDS)
    stop = threading.Event()
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(BULK_ADMINS) as pool:
            inviting = [
                pool.submit(invite_in_bulk, admin, addresses[number::BULK_ADMINS], stop)
                for number, admin in enumerate(admins)
            ]

            def time_to_kill() -> bool:
                for future in inviting:
                    if future.done() and future.exception():
                        future.result()  # an admin's invitation failed: say how
                if len(arrived()) >= BULK_INVITATIONS:
                    raise AssertionError("every invitation arrived before the kill")
                return len(arrived()) >= KILL_AFTER and deployment.smtp.receiving > 0

            try:
                wait_until(
                    time_to_kill,
                    timeout=120,
                    interval=0.005,
                    message=f"{KILL_AFTER} invitations to arrive, and one being sent",
                )
                at_kill = len(arrived())
                deployment.kill_worker()
                for future in inviting:
                    future.result()
            finally:
                stop.set()
        invited_in = time.monotonic() - started
        wait_until(
            lambda: len(arrived()) == BULK_INVITATIONS,
            timeout=150,
            interval=0.2,
            message=f"all {BULK_INVITATIONS} invitations at the SMTP server",
        )
        wait_for_outbox_to_empty(people.admin, timeout=120)
    finally:
        deployment.smtp.slow_down(0)
    counts = arrived()
    most = max(counts.values())
    again = sum(1 for count in counts.values() if count > 1)
    assert most <= 1 + deployment.kills, f"an invitation arrived {most} times"
    return (
        f"{BULK_INVITATIONS} invited in {invited_in:.0f} s, worker killed mid-send after "
        f"{at_kill} had arrived; all {len(counts)} arrived, {again} of them twice "
        f"(at most {1 + deployment.kills} times allowed)"
    )


def readiness_follows_redis(deployment: Deployment, people: People) -> str:
    """/readyz: 200 while the stack is up, not 200 with Redis stopped, 200 once it is back."""
    visitor = deployment.person("load balancer")
    assert visitor.status_of("/readyz") == 200, "/readyz is not 200 while everything is up"
    deployment.services.redis.stop()
    status = visitor.status_of("/readyz")
    assert status != 200, "/readyz answers 200 with Redis stopped"
    deployment.services.redis.start()
    wait_until(
        lambda: visitor.status_of("/readyz") == 200, timeout=30, message="/readyz to be 200 again"
    )
    return f"200, then {status} with Redis stopped, then 200 again"


def import_the_region(deployment: Deployment) -> str:
    """`portal import-region` on the running deployment: it adds what the file has beside what
    the admin made by hand, and a second run changes nothing."""
    first = deployment.run_command("import-region", IMPORT_REGION)
    if first.returncode != 0:
        raise AssertionError(f"portal import-region exited {first.returncode}:\n{first.log()}")
    again = deployment.run_command("import-region again", IMPORT_REGION)
    if again.returncode != 0 or "Inget ändrat." not in again.log():
        raise AssertionError(f"a second import-region changed something:\n{again.log()}")
    return first.log().strip().splitlines()[-1].rstrip(".")


def region_file_and_read_api(deployment: Deployment, people: People) -> str:
    """The region's file imported into the running portal: every web process shows its footer
    at once. Then the librarian makes an API key on her profile; the API lists the projects
    her project list shows, answers 304 to its ETag, and refuses the key once revoked."""
    changes = import_the_region(deployment)
    librarian = people.librarian
    projects = librarian.open("/projekt").expect(REGION_FOOTER, PROJECT)
    profile = librarian.open("/profil")
    values = {"api-token-name": "Kommunens statistikverktyg"}
    created = librarian.submit(profile, "Skapa nyckel", values).expect("Kopiera den nu")
    token = re.search(API_TOKEN, created.html).group(0)
    api = deployment.person("the municipality's BI tool").session
    api.headers["Authorization"] = f"Bearer {token}"
    listed = api.get(deployment.base_url + "/api/v1/projects?limit=200", timeout=30)
    assert listed.status_code == 200, listed.text
    titles = {project["title"] for project in listed.json()["data"]}
    on_page = {title for title in titles if title in projects.text}
    assert titles and on_page == titles, f"the API lists {titles}, the page shows {on_page}"
    etag = listed.headers["ETag"]
    again = api.get(listed.url, headers={"If-None-Match": etag}, timeout=30)
    assert again.status_code == 304, again.status_code
    document = api.get(deployment.base_url + "/api/v1/openapi.json", timeout=30).json()
    assert document["openapi"].startswith("3.1"), document["openapi"]
    profile = librarian.open("/profil")
    librarian.submit(profile, "Återkalla Kommunens statistikverktyg").expect("återkallad")
    refused = api.get(listed.url, timeout=30)
    assert refused.status_code == 401, refused.status_code
    assert refused.headers["Content-Type"] == "application/problem+json", refused.headers
    return f"{changes}; {len(titles)} project(s) through the API, 304, then 401 once revoked"


JOURNEYS = [
    ("portal create-admin, then log in", create_admin_and_log_in),
    ("invite a librarian: the email arrives, she accepts and logs in", invite_a_librarian),
    ("publish news to everyone: one email per reader who wants it now", publish_news),
    (
        "report from a grant: review, approval by a colleague, PDF to the funder",
        report_to_the_funder,
    ),
    (
        f"kill -9 the worker while {BULK_INVITATIONS} emails are delivered",
        kill_the_worker_mid_delivery,
    ),
    ("a region's file imported; the read API with a librarian's key", region_file_and_read_api),
    ("/readyz follows Redis", readiness_follows_redis),
]
