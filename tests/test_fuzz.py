"""No 5xx from any input: a bounded, seeded fuzz of every route in `app.url_map`.

Each GET and POST route is sent hostile values in its path parameters, its query values and
its form fields, as a member and as an admin, on SQLite and on PostgreSQL: about 3 000
requests per database. The valid parts of each request (the ids and slugs in the address, the
form that would pass) come from the role × route table, tests/access_table.py, and its sample
rows, SAMPLE_MAKERS in tests/test_route_access.py. A POST carries a valid CSRF token unless the
token is the field being fuzzed. No answer may be a 5xx and no error may reach the log.
"""

import logging
import random
import re
from urllib.parse import quote, unquote

import pytest

from portal.extensions import limiter
from tests.access_table import ACCESS
from tests.factories import give_totp, make_user
from tests.test_route_access import csrf_token_from, log_in_with_token, resolve, served_routes

pytestmark = pytest.mark.both_databases

# Each value as it goes into an address, a query string or a form body (percent-encoded).
HOSTILE = [
    "0",
    "-1",
    "2147483648",
    "9223372036854775808",
    "1" + "0" * 400,
    "NaN",
    "Infinity",
    "1e400",
    "-0",
    "a%00b",
    "%00",
    "x" * 10_000,
    "%ff%fe",  # not UTF-8
    "%ed%a0%80",  # a UTF-16 surrogate in UTF-8
    "%C2%B2",  # "²": a digit to str.isdigit(), not to int()
    "2026-02-30",
    "99999-01-01",
    "9999-12-31",
    "0001-01-01",
    "%20",
    "",
    "ord-" * 25,  # a 100-character passphrase
]
TWICE = "twice"  # the field sent twice, the same valid value both times
LIST = "list"  # a list where one value is expected: the valid value, then two hostile ones
KINDS = [*HOSTILE, TWICE, LIST]
IN_ADDRESS = [value for value in HOSTILE if value]  # an empty segment is another address

# Query values some page reads; each page is also sent the names of its own forms' fields.
QUERY_KEYS = [
    "a",
    "b",
    "fran",
    "funder",
    "goal_area",
    "grant",
    "health",
    "i",
    "malomrade",
    "mapp",
    "mina",
    "mottagare",
    "municipality",
    "next",
    "organisation",
    "page",
    "plan_period",
    "projekt",
    "q",
    "roll",
    "sida",
    "sort",
    "status",
    "target_group",
    "version",
    "visa",
    "year",
]
REQUESTS_PER_ROUTE = {"member": 6, "admin": 11}
ALL_FIELDS_SHARE = 0.25  # how often every field of a form gets the hostile value, not just one
FORM_BODY = "application/x-www-form-urlencoded"
PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*?\bname="([^"]+)"')
# Routes after which the client may be someone else, or no one: it logs in again.
CHANGES_WHO_IS_LOGGED_IN = "accounts."
REMOVING = ("delete", "remove", "close", "logout", "set_active", "restore", "unfollow")


def fuzzed_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule); the POSTs that remove or close things last, so that the rows
    the other routes use are still there when their turn comes."""

    def removes_things(route) -> bool:
        endpoint, method, _ = route
        return method == "POST" and endpoint.partition(".")[2].startswith(REMOVING)

    return sorted(served_routes(app), key=lambda route: (removes_things(route), route))


def encoded(value) -> str:
    return quote(str(value), safe="")


def address(rule: str, values: dict[str, str]) -> str:
    """The rule with each parameter replaced by its (already encoded) value."""
    return PARAMETER.sub(lambda match: values[match.group(1)], rule)


def hostile_values(kind: str, valid: str, rng: random.Random) -> list[str]:
    if kind == TWICE:
        return [valid, valid]
    if kind == LIST:
        return [valid, *rng.sample(HOSTILE, 2)]
    return [kind]


class Fuzzer:
    """Sends each route's hostile requests for one role and keeps every 5xx and logged error."""

    def __init__(self, app, caplog, role: str):
        self.app = app
        self.caplog = caplog
        self.role = role
        self.client = app.test_client()
        self.made: dict = {}
        self.csrf_token = ""
        self.failures: list[str] = []

    def make_samples(self) -> None:
        """Every sample row first: a POST of the fuzz may make a row with a sample's name (an
        organisation, say), which would stop that sample being made later."""
        for route in ACCESS.values():
            resolve(route.url_values, self.made)
            for rule in route.methods.values():
                resolve(rule.form, self.made)

    def log_in(self) -> None:
        """A fresh login, with an app for the second factor (admins and staff must have one);
        the login page's fuzzing may have reached this address's limit of failed logins,
        which is not what this test is about."""
        limiter.reset()
        self.client = self.app.test_client()
        log_in_with_token(self.app, self.client, give_totp(make_user(role=self.role)))
        self.csrf_token = csrf_token_from(self.client.get("/profil").get_data(as_text=True))

    def send(self, method: str, path: str, query: str = "", form=None) -> str:
        """One request; returns the page when it is a 200 HTML page, else ""."""
        logged_before = len(self.caplog.records)
        request = f"{method} {path[:150]}?{query[:150]}"
        content_type = None
        if isinstance(form, bytes):
            request += f" body={form[:200]!r}"
            content_type = FORM_BODY
        try:
            response = self.client.open(
                path, method=method, query_string=query, data=form, content_type=content_type
            )
        except Exception as error:  # the error page failed as well
            self.failures.append(f"raised {error!r} {request}")
            return ""
        logged = [
            f"{record.getMessage()}: {record.exc_info[1]!r}" if record.exc_info else record.msg
            for record in self.caplog.records[logged_before:]
            if record.levelno >= logging.ERROR
        ]
        if response.status_code >= 500 or logged:
            self.failures.append(f"{response.status_code} {request} {logged}"[:1000])
        if response.status_code == 200 and response.mimetype == "text/html":
            return response.get_data(as_text=True)
        return ""

    def fuzz_route(self, endpoint: str, method: str, rule: str) -> None:
        route = ACCESS[endpoint]
        rng = random.Random(f"{endpoint} {method} {self.role}")
        valid_path = {
            name: encoded(value) for name, value in resolve(route.url_values, self.made).items()
        }
        path = address(rule, valid_path)
        budget = REQUESTS_PER_ROUTE[self.role]
        fields: list[str] = []
        if "GET" in route.methods:
            fields = sorted(set(FIELD_NAME.findall(self.send("GET", path))) - {"csrf_token"})
            budget -= 1
        for number in range(budget):
            if valid_path and number % 2 == 0:
                mutated = {**valid_path, rng.choice(sorted(valid_path)): rng.choice(IN_ADDRESS)}
                form = self.form(route, {}) if method == "POST" else None
                self.send(method, address(rule, mutated), form=form)
                continue
            kind = rng.choice(KINDS)
            query = "&".join(
                f"{key}={value}"
                for key in sorted({*QUERY_KEYS, *fields})
                for value in hostile_values(kind, "1", rng)
            )
            if method == "GET":
                self.send("GET", path, query)
            else:
                form = self.form(route, self.hostile_fields(rng, route, fields))
                self.send("POST", path, rng.choice(["", query]), form)

    def valid_fields(self, route) -> dict[str, list[str]]:
        form = resolve(route.methods["POST"].form, self.made)
        fields = {name: [encoded(value)] for name, value in form.items() if name != "file"}
        return {**fields, "csrf_token": [encoded(self.csrf_token)]}

    def hostile_fields(self, rng: random.Random, route, fields: list[str]) -> dict:
        valid = self.valid_fields(route)
        kind = rng.choice(KINDS)
        if rng.random() < ALL_FIELDS_SHARE:
            names = sorted({*valid, *fields} - {"csrf_token"})
        else:
            names = [rng.choice(sorted({*valid, *fields}))]
        return {name: hostile_values(kind, valid.get(name, ["1"])[0], rng) for name in names}

    def form(self, route, hostile: dict[str, list[str]]):
        """The access table's valid form with the hostile values put in: an encoded body, or
        multipart (with the values decoded) when the form uploads a file."""
        merged = {**self.valid_fields(route), **hostile}
        if "file" not in route.methods["POST"].form:
            pairs = [(name, value) for name, values in merged.items() for value in values]
            return "&".join(f"{encoded(name)}={value}" for name, value in pairs).encode("ascii")
        self.made.pop("pdf_upload", None)  # a file is read once: a new one for each request
        upload = resolve({"file": route.methods["POST"].form["file"]}, self.made)["file"]
        return {
            **{name: [unquote(value) for value in values] for name, values in merged.items()},
            "file": upload,
        }


@pytest.mark.parametrize("role", REQUESTS_PER_ROUTE)
def test_no_hostile_input_gets_a_server_error_or_an_error_in_the_log(csrf_app, caplog, role):
    """Every failure is listed, not only the first."""
    csrf_app.config["PROPAGATE_EXCEPTIONS"] = False
    caplog.set_level(logging.ERROR)
    fuzzer = Fuzzer(csrf_app, caplog, role)
    fuzzer.make_samples()
    fuzzer.log_in()
    for endpoint, method, rule in fuzzed_routes(csrf_app):
        fuzzer.fuzz_route(endpoint, method, rule)
        if endpoint.startswith(CHANGES_WHO_IS_LOGGED_IN):
            fuzzer.log_in()
    assert fuzzer.failures == [], f"{len(fuzzer.failures)} failures:\n" + "\n".join(
        failure[:400] for failure in fuzzer.failures[:100]
    )
    assert "Traceback" not in caplog.text
