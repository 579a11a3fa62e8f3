"""Who gets what on every route of the portal, for each role.

tests/test_route_access.py walks `app.url_map` and checks every endpoint and method against this
table; a route that is not listed here fails that test, so a new page cannot forget its rule.

Outcomes:
  OK     the page (200) or the redirect the view itself chose
  LOGIN  a redirect to the login page that brings the person back afterwards
  DENIED 403, the Swedish "Du har inte behörighet" page
  UNAUTHORIZED  401 problem+json: the read API (/api/v1) takes a bearer token, never the
         session cookie, so a logged-in browser is refused as a stranger is (tests/api/)

`url_values` gives the sample each URL parameter is filled with, `form` what a POST sends
(`login_as` users have the password tests.factories.PASSWORD).
A `Sample` is made fresh in the test database for every check (see SAMPLE_MAKERS in the test).
"""

from dataclasses import dataclass, field

from tests.factories import PASSWORD

OK = "ok"
LOGIN = "login"
DENIED = "403"
UNAUTHORIZED = "401"

ROLES = ("anonymous", "member", "staff", "admin")


@dataclass(frozen=True)
class Sample:
    """A row made for the check, e.g. Sample("user") is the id of a new user."""

    kind: str


@dataclass(frozen=True)
class Rule:
    expected: dict[str, str]
    form: dict = field(default_factory=dict)
    writes: bool = True  # POST only: an allowed POST with `form` changes the database


@dataclass(frozen=True)
class Route:
    methods: dict[str, Rule]
    url_values: dict = field(default_factory=dict)


PUBLIC = {"anonymous": OK, "member": OK, "staff": OK, "admin": OK}
SIGNED_IN = {"anonymous": LOGIN, "member": OK, "staff": OK, "admin": OK}
BEARER_ONLY = dict.fromkeys(ROLES, UNAUTHORIZED)
ADMIN_ONLY = {"anonymous": LOGIN, "member": DENIED, "staff": DENIED, "admin": OK}

NEW_ORGANISATION = {"name": "Timrå bibliotek", "kind": "municipal_library"}

# Funding: a sample project with a grant, a contribution, a budget line and an expense; staff
# and admins edit every project, a member who is neither lead nor in the team is refused.
EDITORS = {"anonymous": LOGIN, "member": DENIED, "staff": OK, "admin": OK}
FUNDED = {"slug": Sample("funded_project_slug")}
NEW_GRANT = {
    "funder_id": Sample("organisation"),
    "case_number": "KUR 2016/77",
    "amount": "150 000",
    "deadlines-0-kind": "final_report",
    "deadlines-0-due_on": "2017-03-31",
}
NEW_CONTRIBUTION = {"organisation_id": Sample("organisation"), "amount": "1 000,50", "kind": "cash"}
NEW_BUDGET_LINE = {
    "category": "travel",
    "description": "Resor till kommunerna",
    "planned": "20 000",
    "financed_by": Sample("grant_choice"),
}
NEW_EXPENSE = {
    "spent_on": "2016-05-02",
    "amount": "2 500",
    "text": "Tåg till Sollefteå",
    "budget_line_id": Sample("budget_line"),
}

# Project core: a sample project (slug "provprojekt") with one participant.
MANAGERS = {"anonymous": LOGIN, "member": DENIED, "staff": OK, "admin": OK}
CORE = {"slug": Sample("core_project_slug")}
PROJECT_FORM = {
    "version": "1",
    "title": "Bokstart Västernorrland",
    "goal_area_id": Sample("goal_area"),
    "status": "running",
    "health": "on_track",
    "starts_on": "2015-09-01",
    "ends_on": "2017-06-30",
}

# The regional library plan: admins keep plan periods, goal areas and target groups.
NEW_PLAN_PERIOD = {
    "name": "Regional biblioteksplan 2018–2020",
    "starts_on": "2018-01-01",
    "ends_on": "2020-12-31",
}
NEW_GOAL_AREA = {"name": "Digital delaktighet", "position": "4"}
NEW_TARGET_GROUP = {"name": "Äldre"}

# Progress: a sample project with a milestone and an indicator. Editors keep milestones and
# indicators; updates come from editors and members of participating organisations (the sample
# member belongs to none); staff and admins read the history; everyone logged in follows.
PROGRESS = {"slug": Sample("progress_project_slug")}
NEW_MILESTONE = {"title": "Utbildning för BVC-personal", "due_on": "2016-06-01"}
NEW_UPDATE = {"reported_on": "2016-05-02", "text": "Första träffarna i Kramfors."}
NEW_INDICATOR = {"name": "Familjer som nåtts", "unit": "familjer", "target": "400"}

# News: everyone signed in reads what is out for them; staff and admins write.
NEWS = {"news_id": Sample("news")}
COMMENT = {"news_id": Sample("news"), "comment_id": Sample("comment")}
NOBODY_BUT_THE_AUTHOR = {"anonymous": LOGIN, "member": DENIED, "staff": DENIED, "admin": DENIED}
NEW_NEWS = {
    "title": "Bokstart till Västernorrland!",
    "body": "Nu börjar **Bokstart** i Kramfors.",
    "status": "published",
    "audience": "everyone",
}

# Calendar: everyone signed in reads the months and the events aimed at them; staff and admins
# write events.
EVENT = {"event_id": Sample("event")}
NEW_EVENT = {
    "title": "Littfest i Umeå",
    "starts_at": "2027-03-11 10:00",
    "ends_at": "2027-03-11 16:00",
    "audience": "everyone",
}
# Documents: everyone signed in reads what is for everyone; staff and admins manage folders and
# the bin. The sample member is on no project, so has nowhere to upload and cannot change the
# sample document (uploaded by staff); its team's editors could.
FOLDER = {"folder_id": Sample("document_folder")}
DOCUMENT = {"document_id": Sample("document")}
NEW_DOCUMENT = {
    "title": "Regional biblioteksplan 2015–2017",
    "visibility": "everyone",
    "retention": "keep",
    "file": Sample("pdf_upload"),
}
DOCUMENT_FIELDS = {"title": "Biblioteksplan", "visibility": "everyone", "retention": "keep"}

# Funders and their contacts (who receives the reports): staff and admins only.
FUNDER = {"organisation_id": Sample("funder")}
FUNDER_CONTACT = {"organisation_id": Sample("funder"), "contact_id": Sample("funder_contact")}
NEW_FUNDER_CONTACT = {
    "name": "Maria Lindqvist",
    "email": "maria.lindqvist@kulturradet.example.org",
    "receives_reports": "y",
}

# Sending a report: an approved Bokstart report whose funder has contacts; editors (staff, admin,
# lead, team) send it and read its PDF.
SENDABLE_REPORT = {"slug": Sample("sendable_report_slug"), "report_id": Sample("sendable_report")}

ACCESS: dict[str, Route] = {
    # The start page and the health endpoints (load balancers ask these without logging in).
    "main.index": Route({"GET": Rule(SIGNED_IN)}),
    "main.healthz": Route({"GET": Rule(PUBLIC)}),
    "main.readyz": Route({"GET": Rule(PUBLIC)}),
    "main.favicon": Route({"GET": Rule(PUBLIC)}),
    # Accounts: the pages a stranger needs are public, the rest need a login.
    "accounts.login": Route({"GET": Rule(PUBLIC), "POST": Rule(PUBLIC)}),
    "accounts.logout": Route({"POST": Rule(SIGNED_IN, writes=False)}),
    "accounts.accept_invitation": Route(
        {"GET": Rule(PUBLIC), "POST": Rule(PUBLIC)},
        url_values={"token": Sample("invitation_token")},
    ),
    "accounts.forgot_password": Route({"GET": Rule(PUBLIC), "POST": Rule(PUBLIC)}),
    "accounts.reset_password": Route(
        {"GET": Rule(PUBLIC), "POST": Rule(PUBLIC)},
        url_values={"token": Sample("reset_token")},
    ),
    "accounts.profile": Route(
        {
            "GET": Rule(SIGNED_IN),
            "POST": Rule(SIGNED_IN, form={"name": "Nytt Namn", "language": "sv"}),
        }
    ),
    "accounts.change_password": Route(
        {
            "GET": Rule(SIGNED_IN),
            "POST": Rule(
                SIGNED_IN,
                form={
                    "current_password": PASSWORD,
                    "password": "ny-fras-om-hösten-vid-indalsälven",
                    "confirm": "ny-fras-om-hösten-vid-indalsälven",
                },
            ),
        }
    ),
    "accounts.end_other_sessions": Route({"POST": Rule(SIGNED_IN)}),
    # Passkeys: the options only start a ceremony (a challenge in the session); a registration
    # or a login without the browser's answer writes nothing, and its checks are in
    # tests/accounts/test_passkey_routes.py. The sample passkey is someone else's.
    "accounts.passkey_registration_options": Route({"POST": Rule(SIGNED_IN, writes=False)}),
    "accounts.add_passkey": Route(
        {"POST": Rule(SIGNED_IN, form={"passkey-name": "Jobbdatorn"}, writes=False)}
    ),
    # Personal access tokens: a new token's secret is shown on the page that answers the POST
    # (200, not a redirect), so the control that an allowed POST writes is in
    # tests/api/test_tokens.py. The sample token is someone else's.
    "accounts.create_api_token": Route(
        {
            "POST": Rule(
                SIGNED_IN,
                form={"api-token-name": "Skript", "api-token-lifetime": "30"},
                writes=False,
            )
        }
    ),
    "accounts.revoke_api_token": Route(
        {"POST": Rule(NOBODY_BUT_THE_AUTHOR)}, url_values={"token_id": Sample("api_token")}
    ),
    "accounts.remove_passkey": Route(
        {"POST": Rule(NOBODY_BUT_THE_AUTHOR)}, url_values={"passkey_id": Sample("passkey")}
    ),
    "accounts.passkey_login_options": Route({"POST": Rule(PUBLIC, writes=False)}),
    "accounts.passkey_login": Route({"POST": Rule(PUBLIC, writes=False)}),
    # The login with a municipal account: public; for an organisation without one, or without
    # a login under way, both send back to the login page.
    "accounts.sso_login": Route(
        {"GET": Rule(PUBLIC)}, url_values={"organisation_id": Sample("organisation")}
    ),
    "accounts.sso_callback": Route({"GET": Rule(PUBLIC)}),
    # The second factor: the login's second step is public (without a half-done login it sends
    # to the password); enrolment and recovery codes belong to the logged-in person. Confirming
    # needs the app's code, which the table cannot know, and new recovery codes are shown in
    # the answer (200) and need an app turned on: neither writes with the table's form.
    "accounts.second_factor": Route(
        {"GET": Rule(PUBLIC), "POST": Rule(PUBLIC, form={"code": "123456"})}
    ),
    "accounts.cancel_login": Route({"POST": Rule(PUBLIC, writes=False)}),
    # A passkey at the second step: without a half-done login both send to the password.
    "accounts.second_factor_passkey_options": Route({"POST": Rule(PUBLIC, writes=False)}),
    "accounts.second_factor_passkey": Route({"POST": Rule(PUBLIC, writes=False)}),
    "accounts.two_factor": Route({"GET": Rule(SIGNED_IN)}),
    "accounts.start_totp": Route({"POST": Rule(SIGNED_IN)}),
    "accounts.confirm_totp": Route(
        {"POST": Rule(SIGNED_IN, form={"code": "123456"}, writes=False)}
    ),
    "accounts.renew_recovery_codes": Route({"POST": Rule(SIGNED_IN, writes=False)}),
    # Administration: admins only.
    "admin.users": Route({"GET": Rule(ADMIN_ONLY)}),
    "admin.invite": Route(
        {
            "GET": Rule(ADMIN_ONLY),
            "POST": Rule(
                ADMIN_ONLY,
                form={
                    "email": "ny.bibliotekarie@kramfors.example",
                    "name": "Nils Berg",
                    "organisation_id": Sample("organisation"),
                    "role": "member",
                },
            ),
        }
    ),
    "admin.user": Route(
        {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form={"role": "admin"})},
        url_values={"user_id": Sample("user")},
    ),
    "admin.set_active": Route(
        {"POST": Rule(ADMIN_ONLY, form={"active": "0"})},
        url_values={"user_id": Sample("user")},
    ),
    "admin.log_out_everywhere": Route(
        {"POST": Rule(ADMIN_ONLY)}, url_values={"user_id": Sample("user")}
    ),
    "admin.remove_second_factor": Route(
        {"POST": Rule(ADMIN_ONLY)}, url_values={"user_id": Sample("user_with_second_factor")}
    ),
    "admin.organisations": Route({"GET": Rule(ADMIN_ONLY)}),
    # A person's own data (GDPR): everyone signed in downloads their own; admins erase others.
    "privacy.my_data": Route({"GET": Rule(SIGNED_IN)}),
    "privacy.download_my_data": Route({"GET": Rule(SIGNED_IN)}),
    "privacy.erase_user": Route(
        {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form={"confirm": "y"})},
        url_values={"user_id": Sample("user")},
    ),
    # The log of every change (projects owns the page, exports its CSV file).
    "projects.audit_log": Route({"GET": Rule(ADMIN_ONLY)}),
    "exports.audit_log": Route({"GET": Rule(ADMIN_ONLY)}),
    "admin.new_organisation": Route(
        {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form=NEW_ORGANISATION)}
    ),
    "admin.edit_organisation": Route(
        {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form=NEW_ORGANISATION)},
        url_values={"organisation_id": Sample("organisation")},
    ),
    "admin.identity_provider": Route(
        {
            "GET": Rule(ADMIN_ONLY),
            "POST": Rule(
                ADMIN_ONLY,
                form={
                    "issuer": "https://login.microsoftonline.com/tenant-id/v2.0",
                    "client_id": "portal",
                    "client_secret": "a client secret",
                    "allowed_domains": "timra.se",
                    "enabled": "y",
                },
            ),
        },
        url_values={"organisation_id": Sample("organisation")},
    ),
    # A project's economy: every logged-in user reads it, editors (staff, admin, lead, team) write.
    "projects.economy": Route({"GET": Rule(SIGNED_IN)}, url_values=FUNDED),
    "projects.new_grant": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_GRANT)}, url_values=FUNDED
    ),
    "projects.edit_grant": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_GRANT)},
        url_values={**FUNDED, "grant_id": Sample("grant")},
    ),
    "projects.delete_grant": Route(
        {"POST": Rule(EDITORS)}, url_values={**FUNDED, "grant_id": Sample("unused_grant")}
    ),
    "projects.new_contribution": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_CONTRIBUTION)}, url_values=FUNDED
    ),
    "projects.edit_contribution": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_CONTRIBUTION)},
        url_values={**FUNDED, "contribution_id": Sample("contribution")},
    ),
    "projects.delete_contribution": Route(
        {"POST": Rule(EDITORS)},
        url_values={**FUNDED, "contribution_id": Sample("unused_contribution")},
    ),
    "projects.new_budget_line": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_BUDGET_LINE)}, url_values=FUNDED
    ),
    "projects.edit_budget_line": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_BUDGET_LINE)},
        url_values={**FUNDED, "line_id": Sample("budget_line")},
    ),
    "projects.delete_budget_line": Route(
        {"POST": Rule(EDITORS)}, url_values={**FUNDED, "line_id": Sample("budget_line")}
    ),
    "projects.new_expense": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_EXPENSE)}, url_values=FUNDED
    ),
    "projects.edit_expense": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_EXPENSE)},
        url_values={**FUNDED, "expense_id": Sample("expense")},
    ),
    "projects.delete_expense": Route(
        {"POST": Rule(EDITORS)}, url_values={**FUNDED, "expense_id": Sample("expense")}
    ),
    # Projects: every logged-in user reads the list and a project; staff and admins create and
    # delete, editors (staff, admin, lead, team) change a project and its participants.
    "projects.project_list": Route({"GET": Rule(SIGNED_IN)}),
    "projects.new_project": Route(
        {
            "GET": Rule(MANAGERS),
            "POST": Rule(MANAGERS, form={**PROJECT_FORM, "slug": "nytt-provprojekt"}),
        }
    ),
    "projects.project": Route({"GET": Rule(SIGNED_IN)}, url_values=CORE),
    "projects.edit_project": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=PROJECT_FORM)}, url_values=CORE
    ),
    "projects.delete_project": Route({"POST": Rule(MANAGERS)}, url_values=CORE),
    "projects.participants": Route({"GET": Rule(SIGNED_IN)}, url_values=CORE),
    "projects.add_participant": Route(
        {
            "POST": Rule(
                EDITORS, form={"organisation_id": Sample("organisation"), "role": "partner"}
            )
        },
        url_values=CORE,
    ),
    "projects.remove_participant": Route(
        {"POST": Rule(EDITORS)},
        url_values={**CORE, "participant_id": Sample("core_participant")},
    ),
    # The plan (admins only), goal-area pages and the participation matrix (everyone logged in).
    "projects.plan_periods": Route({"GET": Rule(ADMIN_ONLY)}),
    "projects.new_plan_period": Route(
        {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form=NEW_PLAN_PERIOD)}
    ),
    "projects.edit_plan_period": Route(
        {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form=NEW_PLAN_PERIOD)},
        url_values={"period_id": Sample("plan_period")},
    ),
    "projects.new_goal_area": Route(
        {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form=NEW_GOAL_AREA)},
        url_values={"period_id": Sample("plan_period")},
    ),
    "projects.edit_goal_area": Route(
        {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form=NEW_GOAL_AREA)},
        url_values={"area_id": Sample("empty_goal_area")},
    ),
    "projects.delete_goal_area": Route(
        {"POST": Rule(ADMIN_ONLY)}, url_values={"area_id": Sample("empty_goal_area")}
    ),
    "projects.target_groups": Route(
        {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form=NEW_TARGET_GROUP)}
    ),
    "projects.edit_target_group": Route(
        {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form=NEW_TARGET_GROUP)},
        url_values={"group_id": Sample("target_group")},
    ),
    "projects.delete_target_group": Route(
        {"POST": Rule(ADMIN_ONLY)}, url_values={"group_id": Sample("target_group")}
    ),
    "projects.goal_area": Route(
        {"GET": Rule(SIGNED_IN)}, url_values={"area_id": Sample("empty_goal_area")}
    ),
    "projects.participation_matrix": Route({"GET": Rule(SIGNED_IN)}),
    "projects.milestones": Route({"GET": Rule(SIGNED_IN)}, url_values=PROGRESS),
    "projects.new_milestone": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_MILESTONE)}, url_values=PROGRESS
    ),
    "projects.edit_milestone": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_MILESTONE)},
        url_values={**PROGRESS, "milestone_id": Sample("milestone")},
    ),
    "projects.complete_milestone": Route(
        {"POST": Rule(EDITORS)}, url_values={**PROGRESS, "milestone_id": Sample("milestone")}
    ),
    "projects.delete_milestone": Route(
        {"POST": Rule(EDITORS)}, url_values={**PROGRESS, "milestone_id": Sample("milestone")}
    ),
    "projects.updates": Route(
        {"GET": Rule(SIGNED_IN), "POST": Rule(EDITORS, form=NEW_UPDATE)}, url_values=PROGRESS
    ),
    "projects.indicators": Route({"GET": Rule(SIGNED_IN)}, url_values=PROGRESS),
    "projects.new_indicator": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_INDICATOR)}, url_values=PROGRESS
    ),
    "projects.edit_indicator": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_INDICATOR)},
        url_values={**PROGRESS, "indicator_id": Sample("indicator")},
    ),
    "projects.delete_indicator": Route(
        {"POST": Rule(EDITORS)}, url_values={**PROGRESS, "indicator_id": Sample("indicator")}
    ),
    "projects.delete_measurement": Route(
        {"POST": Rule(EDITORS)}, url_values={**PROGRESS, "measurement_id": Sample("measurement")}
    ),
    "projects.history": Route({"GET": Rule(MANAGERS)}, url_values=PROGRESS),
    "news.news_list": Route({"GET": Rule(SIGNED_IN)}),
    "news.news_item": Route({"GET": Rule(SIGNED_IN)}, url_values=NEWS),
    "news.new_news": Route({"GET": Rule(MANAGERS), "POST": Rule(MANAGERS, form=NEW_NEWS)}),
    "news.edit_news": Route(
        {"GET": Rule(MANAGERS), "POST": Rule(MANAGERS, form=NEW_NEWS)}, url_values=NEWS
    ),
    "news.delete_news": Route({"POST": Rule(MANAGERS)}, url_values=NEWS),
    "news.add_comment": Route({"POST": Rule(SIGNED_IN, form={"body": "Tack!"})}, url_values=NEWS),
    # The sample comment is someone else's: only its author edits it, staff moderate it away.
    "news.edit_comment": Route(
        {
            "GET": Rule(NOBODY_BUT_THE_AUTHOR),
            "POST": Rule(NOBODY_BUT_THE_AUTHOR, form={"body": "Ändrat av någon annan"}),
        },
        url_values=COMMENT,
    ),
    "news.delete_comment": Route({"POST": Rule(MANAGERS)}, url_values=COMMENT),
    # Each person's own Atom feed: the settings need a login, the feed itself only its secret.
    "news.feed_settings": Route({"GET": Rule(SIGNED_IN)}),
    "news.renew_feed": Route({"POST": Rule(SIGNED_IN)}),
    "news.close_feed": Route({"POST": Rule(SIGNED_IN, writes=False)}),
    "news.feed": Route({"GET": Rule(PUBLIC)}, url_values={"token": Sample("feed_token")}),
    "calendar.calendar_page": Route({"GET": Rule(SIGNED_IN)}),
    "calendar.event": Route({"GET": Rule(SIGNED_IN)}, url_values=EVENT),
    "calendar.new_event": Route({"GET": Rule(MANAGERS), "POST": Rule(MANAGERS, form=NEW_EVENT)}),
    "calendar.edit_event": Route(
        {"GET": Rule(MANAGERS), "POST": Rule(MANAGERS, form=NEW_EVENT)}, url_values=EVENT
    ),
    "calendar.delete_event": Route({"POST": Rule(MANAGERS)}, url_values=EVENT),
    # Each person's own iCal feed: the settings need a login, the feed itself only its secret.
    "calendar.feed_settings": Route({"GET": Rule(SIGNED_IN)}),
    "calendar.renew_feed": Route({"POST": Rule(SIGNED_IN)}),
    "calendar.close_feed": Route({"POST": Rule(SIGNED_IN, writes=False)}),
    "calendar.feed": Route(
        {"GET": Rule(PUBLIC)}, url_values={"token": Sample("calendar_feed_token")}
    ),
    "search.search": Route({"GET": Rule(SIGNED_IN)}),
    "projects.follow": Route({"POST": Rule(SIGNED_IN)}, url_values=PROGRESS),
    "projects.unfollow": Route({"POST": Rule(SIGNED_IN, writes=False)}, url_values=PROGRESS),
    "documents.document_list": Route({"GET": Rule(SIGNED_IN)}),
    "documents.folder": Route({"GET": Rule(SIGNED_IN)}, url_values=FOLDER),
    "documents.new_folder": Route(
        {"GET": Rule(MANAGERS), "POST": Rule(MANAGERS, form={"name": "Styrdokument"})}
    ),
    "documents.rename_folder": Route(
        {"GET": Rule(MANAGERS), "POST": Rule(MANAGERS, form={"name": "Planer"})},
        url_values=FOLDER,
    ),
    "documents.move_folder": Route({"POST": Rule(MANAGERS, form={"step": "1"})}, url_values=FOLDER),
    "documents.delete_folder": Route({"POST": Rule(MANAGERS)}, url_values=FOLDER),
    "documents.document": Route({"GET": Rule(SIGNED_IN)}, url_values=DOCUMENT),
    "documents.new_document": Route(
        {"GET": Rule(MANAGERS), "POST": Rule(MANAGERS, form=NEW_DOCUMENT)}
    ),
    "documents.edit_document": Route(
        {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=DOCUMENT_FIELDS)},
        url_values=DOCUMENT,
    ),
    "documents.new_version": Route(
        {"POST": Rule(EDITORS, form={"file": Sample("pdf_upload")})}, url_values=DOCUMENT
    ),
    "documents.download": Route({"GET": Rule(SIGNED_IN)}, url_values=DOCUMENT),
    "documents.download_version": Route(
        {"GET": Rule(SIGNED_IN)}, url_values={**DOCUMENT, "number": 1}
    ),
    "documents.restore_version": Route(
        {"POST": Rule(EDITORS)},
        url_values={"document_id": Sample("versioned_document"), "number": 1},
    ),
    "documents.delete_document": Route({"POST": Rule(EDITORS)}, url_values=DOCUMENT),
    "documents.document_bin": Route({"GET": Rule(MANAGERS)}),
    "documents.restore_from_bin": Route(
        {"POST": Rule(MANAGERS)}, url_values={"document_id": Sample("binned_document")}
    ),
    "documents.project_documents": Route({"GET": Rule(SIGNED_IN)}, url_values=CORE),
    # The register lists every document, whoever may read it: staff only.
    "documents.register": Route({"GET": Rule(MANAGERS)}),
    "notifications.index": Route({"GET": Rule(ADMIN_ONLY)}),
    "notifications.retry": Route(
        {"POST": Rule(ADMIN_ONLY)},
        url_values={"email_id": Sample("failed_email")},
    ),
    # Each person's own email settings; the unsubscribe address in every notification email
    # needs no login (its signed token names the person and the kinds it switches off).
    "preferences.settings": Route(
        {
            "GET": Rule(SIGNED_IN),
            "POST": Rule(
                SIGNED_IN,
                form={
                    "news": "weekly",
                    "project_updates": "daily",
                    "documents": "off",
                    "deadlines": "immediately",
                },
            ),
        }
    ),
    "preferences.unsubscribe": Route(
        {"GET": Rule(PUBLIC), "POST": Rule(PUBLIC, form={"List-Unsubscribe": "One-Click"})},
        url_values={"token": Sample("unsubscribe_token")},
    ),
    # Funders and their contacts.
    "projects.funders": Route({"GET": Rule(MANAGERS)}),
    "projects.funder_contacts": Route(
        {"GET": Rule(MANAGERS), "POST": Rule(MANAGERS, form=NEW_FUNDER_CONTACT)},
        url_values=FUNDER,
    ),
    "projects.edit_funder_contact": Route(
        {"GET": Rule(MANAGERS), "POST": Rule(MANAGERS, form=NEW_FUNDER_CONTACT)},
        url_values=FUNDER_CONTACT,
    ),
    "projects.delete_funder_contact": Route({"POST": Rule(MANAGERS)}, url_values=FUNDER_CONTACT),
    # Sending a report to the funder, and its PDF.
    "reports.send": Route({"POST": Rule(EDITORS)}, url_values=SENDABLE_REPORT),
    "reports.pdf": Route({"GET": Rule(EDITORS)}, url_values=SENDABLE_REPORT),
    # Statistics and exports: staff and admins read the statistics and download its tables;
    # the project list and a project's economy download for whoever may read those pages.
    "statistics.statistics_page": Route({"GET": Rule(MANAGERS)}),
    "statistics.download_table": Route(
        {"GET": Rule(MANAGERS)},
        url_values={"slug": "finansiering-per-finansiar", "file_format": "csv"},
    ),
    "exports.project_list": Route({"GET": Rule(SIGNED_IN)}, url_values={"file_format": "xlsx"}),
    "exports.economy": Route({"GET": Rule(SIGNED_IN)}, url_values={**FUNDED, "file_format": "csv"}),
    "exports.document_register": Route({"GET": Rule(MANAGERS)}, url_values={"file_format": "xlsx"}),
}

# Reports to funders: editors of the project (staff, admin, lead, team) draft, edit and ask for
# review; approving needs staff or admin (and someone else than the author: the samples are a
# colleague's); the sample member is not on the project. Templates are kept by admins.
REPORTS = {"slug": Sample("report_project_slug")}
REPORT = {**REPORTS, "report_id": Sample("report")}
NEW_REPORT = {
    "grant_id": Sample("report_grant"),
    "kind": "progress_report",
    "template_id": Sample("report_template"),
    "period_starts_on": "2016-01-01",
    "period_ends_on": "2016-06-30",
}
REPORT_TEXTS = {f"sections-{index}": f"Text {index}" for index in range(9)}
NEW_REPORT_TEMPLATE = {
    "name": "Regionens lägesrapport",
    "sections-0-title": "Sammanfattning",
    "sections-0-source": "narrative",
    "sections-1-title": "Ekonomi",
    "sections-1-source": "economy",
}
ACCESS.update(
    {
        "reports.archive": Route({"GET": Rule(EDITORS)}, url_values=REPORTS),
        "reports.new": Route(
            {"GET": Rule(EDITORS), "POST": Rule(EDITORS, form=NEW_REPORT)}, url_values=REPORTS
        ),
        "reports.show": Route({"GET": Rule(EDITORS)}, url_values=REPORT),
        "reports.preview": Route({"GET": Rule(EDITORS)}, url_values=REPORT),
        "reports.versions": Route({"GET": Rule(EDITORS)}, url_values=REPORT),
        "reports.save": Route({"POST": Rule(EDITORS, form=REPORT_TEXTS)}, url_values=REPORT),
        "reports.refresh": Route({"POST": Rule(EDITORS)}, url_values=REPORT),
        "reports.request_review": Route({"POST": Rule(EDITORS)}, url_values=REPORT),
        "reports.approve": Route(
            {"POST": Rule(EDITORS)},
            url_values={**REPORTS, "report_id": Sample("report_in_review")},
        ),
        "reports.templates": Route({"GET": Rule(ADMIN_ONLY)}),
        "reports.new_template": Route(
            {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form=NEW_REPORT_TEMPLATE)}
        ),
        "reports.edit_template": Route(
            {"GET": Rule(ADMIN_ONLY), "POST": Rule(ADMIN_ONLY, form=NEW_REPORT_TEMPLATE)},
            url_values={"template_id": Sample("report_template")},
        ),
    }
)

# Accessibility: the statement and the barrier report are open to anyone (the law asks that
# anyone can report, and a barrier may be the login itself); admins edit the statement and
# mark reports handled.
NEW_BARRIER_REPORT = {
    "kind": "barrier",
    "page": "/projekt",
    "description": "Filtren går inte att nå med tangentbordet.",
}
ACCESS.update(
    {
        "accessibility.statement": Route({"GET": Rule(PUBLIC)}),
        "accessibility.report_barrier": Route(
            {"GET": Rule(PUBLIC), "POST": Rule(PUBLIC, form=NEW_BARRIER_REPORT)}
        ),
        "accessibility.reports": Route({"GET": Rule(ADMIN_ONLY)}),
        "accessibility.edit_statement": Route(
            {
                "GET": Rule(ADMIN_ONLY),
                "POST": Rule(
                    ADMIN_ONLY,
                    form={"body": "# Hur tillgänglig är portalen?", "assessed_on": "2026-12-01"},
                ),
            }
        ),
        "accessibility.set_report_status": Route(
            {"POST": Rule(ADMIN_ONLY, form={"status": "handled"})},
            url_values={"report_id": Sample("barrier_report")},
        ),
    }
)

# The read API: every role's browser session is refused (401); what a token reads is in tests/api/.
ACCESS.update(
    {
        "api.openapi_document": Route({"GET": Rule(PUBLIC)}),
        "api.unknown": Route({"GET": Rule(BEARER_ONLY)}, url_values={"rest": "finns-inte"}),
        "api.projects": Route({"GET": Rule(BEARER_ONLY)}),
        "api.project": Route({"GET": Rule(BEARER_ONLY)}, url_values={"project_id": 1}),
        "api.plan_periods": Route({"GET": Rule(BEARER_ONLY)}),
        "api.goal_areas": Route({"GET": Rule(BEARER_ONLY)}),
        "api.organisations": Route({"GET": Rule(BEARER_ONLY)}),
        "api.news": Route({"GET": Rule(BEARER_ONLY)}),
        "api.news_item": Route({"GET": Rule(BEARER_ONLY)}, url_values={"news_id": 1}),
        "api.documents": Route({"GET": Rule(BEARER_ONLY)}),
        "api.document": Route({"GET": Rule(BEARER_ONLY)}, url_values={"document_id": 1}),
        "api.document_download": Route({"GET": Rule(BEARER_ONLY)}, url_values={"document_id": 1}),
        "api.events": Route({"GET": Rule(BEARER_ONLY)}),
        "api.event": Route({"GET": Rule(BEARER_ONLY)}, url_values={"event_id": 1}),
        "api.statistics": Route({"GET": Rule(BEARER_ONLY)}),
    }
)
