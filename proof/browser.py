"""A person at the portal over HTTPS, the way a browser without JavaScript is one: it opens pages,
reads the forms on them and submits them with what it typed, the CSRF token and every other
field as the page gave them, and follows the redirects.

Forms are found by their button's text ("Skicka inbjudan"), and a select is set by the text of
its option (`Option("Kulturrådet")`), so the proof walks the pages people see, not routes.
"""

import re
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pyotp
import requests

TEXT_INPUTS = {"text", "email", "password", "hidden", "date", "datetime-local", "number", "search"}
TEXT_INPUTS |= {"tel", "url", "time", "month"}


class Option(str):
    """A select's option chosen by its visible text, not its value."""


@dataclass
class Form:
    action: str
    method: str
    # [name, value, kind] in page order; kind "unchecked" is a box or option not chosen.
    fields: list[list] = field(default_factory=list)
    # Each select's, radio's or checkbox's choices: (value, text).
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # The submit buttons: (name, value, text).
    buttons: list[tuple[str | None, str | None, str]] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {name for name, _, _ in self.fields} | set(self.options)

    def has_button(self, text: str) -> bool:
        return any(label == text for _, _, label in self.buttons)

    def data(self, values: dict, button: str) -> list[tuple[str, str]]:
        """What the browser sends: the page's values, ours in their place, and the button."""
        unknown = set(values) - self.names
        if unknown:
            raise AssertionError(f"the form has no field {sorted(unknown)}; it has {self.names}")
        sent = [(name, value) for name, value, kind in self.fields if kind != "unchecked"]
        for name, wanted in values.items():
            sent = [(key, value) for key, value in sent if key != name]
            for value in wanted if isinstance(wanted, list | tuple) else [wanted]:
                if value is None or value is False:
                    continue
                sent.append((name, self._value(name, value)))
        for name, value, label in self.buttons:
            if label == button and name:
                sent.append((name, value or ""))
        return sent

    def _value(self, name: str, value) -> str:
        if value is True:  # a checkbox ticked sends its own value
            return self.options[name][0][0] if self.options.get(name) else "y"
        if isinstance(value, Option):
            for option_value, text in self.options.get(name, []):
                if text == value:
                    return option_value
            texts = [text for _, text in self.options.get(name, [])]
            raise AssertionError(f"{name} has no option {value!r}; it has {texts}")
        return str(value)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: tuple[str, bool] | None = None
        self.option: list | None = None
        self.textarea: list | None = None
        self.button: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self.form = Form(attrs.get("action", ""), attrs.get("method", "get").lower())
            self.forms.append(self.form)
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "image"):
                self.form.buttons.append((name, attrs.get("value"), attrs.get("value", "")))
            elif kind in ("checkbox", "radio") and name:
                checked = "checked" in attrs
                value = attrs.get("value", "on")
                self.form.fields.append([name, value, "checked" if checked else "unchecked"])
                self.form.options.setdefault(name, []).append((value, value))
            elif name and (kind in TEXT_INPUTS or kind == "file"):
                self.form.fields.append([name, attrs.get("value", ""), kind])
        elif tag == "select" and name:
            self.select = (name, "multiple" in attrs)
            self.form.options.setdefault(name, [])
        elif tag == "option" and self.select:
            self.option = [attrs.get("value"), "selected" in attrs, ""]
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self.button = [name, attrs.get("value"), ""]

    def handle_data(self, data):
        for open_element in (self.option, self.button):
            if open_element is not None:
                open_element[2] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option" and self.option is not None and self.select:
            value, selected, text = self.option
            text = " ".join(text.split())
            name, _ = self.select
            self.form.options[name].append((text if value is None else value, text))
            self.form.fields.append(
                [name, text if value is None else value, "selected" if selected else "unchecked"]
            )
            self.option = None
        elif tag == "select" and self.select:
            name, multiple = self.select
            self._select_first_if_none(name, multiple)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            text = text.removeprefix("\r").removeprefix("\n")  # as a browser drops it
            self.form.fields.append([name, text, "textarea"])
            self.textarea = None
        elif tag == "button" and self.button is not None:
            name, value, text = self.button
            self.form.buttons.append((name, value, " ".join(text.split())))
            self.button = None

    def _select_first_if_none(self, name: str, multiple: bool) -> None:
        """A single select with nothing selected sends its first option, as a browser does."""
        entries = [entry for entry in self.form.fields if entry[0] == name]
        if not multiple and entries and not any(entry[2] == "selected" for entry in entries):
            entries[0][2] = "selected"


@dataclass
class Page:
    url: str
    status: int
    html: str

    @property
    def forms(self) -> list[Form]:
        parser = _FormParser()
        parser.feed(self.html)
        return parser.forms

    def has_form(self, button: str) -> bool:
        return any(form.has_button(button) for form in self.forms)

    def form(self, button: str) -> Form:
        found = [form for form in self.forms if form.has_button(button)]
        if not found:
            labels = [label for form in self.forms for _, _, label in form.buttons]
            raise AssertionError(f"no form with the button {button!r} on {self.url}: {labels}")
        return found[0]

    @property
    def text(self) -> str:
        """The page's words, without tags, as a person reads them."""
        body = re.sub(r"<(script|style)\b.*?</\1>", " ", self.html, flags=re.S | re.I)
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())

    def links(self, text: str, exact: bool = True) -> list[str]:
        """The addresses of the links whose text is `text` (or, not `exact`, begins with it:
        "Ny rapport" followed by words only a screen reader reads)."""
        found = []
        for href, inner in re.findall(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', self.html, re.S):
            words = " ".join(unescape(re.sub(r"<[^>]+>", " ", inner)).split())
            if words == text or (not exact and words.startswith(text + " ")):
                found.append(urljoin(self.url, unescape(href)))
        return found

    def link(self, text: str, exact: bool = True) -> str:
        found = self.links(text, exact)
        if not found:
            raise AssertionError(f"no link {text!r} on {self.url}")
        return found[0]

    def expect(self, *texts: str) -> "Page":
        for text in texts:
            if text not in self.text:
                raise AssertionError(f"{text!r} is not on {self.url} ({self.status}):\n{self.text}")
        return self


class AppKeys:
    """The keys of the authenticator apps of the run's people, and their codes. The portal takes
    a code of the step before or after its own but never a step again, or one older than the
    last it took: several logins of one person (the bulk admins) within 30 seconds each get a
    later step (three fit in 30 seconds), and wait for the clock when those run out."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.last_step: dict[str, int] = {}
        self.lock = threading.Lock()

    def add(self, email: str, key: str) -> None:
        with self.lock:
            self.keys[email.lower()] = key
            self.last_step.pop(email.lower(), None)

    def code(self, email: str) -> str:
        with self.lock:
            email = email.lower()
            clock = time.time()
            now = int(clock // 30)
            # The step before is still taken unless it runs out while the form is sent.
            earliest = now - 1 if clock % 30 < 25 else now
            step = max(earliest, self.last_step.get(email, earliest - 1) + 1)
            while step > int(time.time() // 30) + 1:
                time.sleep(1)
            self.last_step[email] = step
            return pyotp.TOTP(self.keys[email]).generate_otp(step)


APP_KEYS = AppKeys()
TURN_ON = "Slå på tvåstegsverifiering med app"


class Person:
    """One browser: its own cookies, the run's certificate authority, Swedish first."""

    def __init__(self, base_url: str, ca_file: str, name: str = ""):
        self.base_url, self.name = base_url, name
        self.session = requests.Session()
        # Only the run's certificate authority, and no proxy: nothing from this environment
        # (REQUESTS_CA_BUNDLE, HTTPS_PROXY) may decide where the requests go or whom they trust.
        self.session.trust_env = False
        self.session.verify = ca_file
        self.session.headers["Accept-Language"] = "sv-SE,sv;q=0.9"
        self.session.headers["User-Agent"] = f"portal-proof ({name or 'person'})"

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path.lstrip("/")) if path.startswith("/") else path

    def open(self, path: str, expect_status: int | None = 200) -> Page:
        response = self.session.get(self.url(path), timeout=60)
        return self._page(response, expect_status)

    def submit(
        self, page: Page, button: str, values: dict | None = None, expect_status: int | None = 200
    ) -> Page:
        """Fill in `values` on the form with `button`, press it, follow the redirects."""
        form = page.form(button)
        data = form.data(values or {}, button)
        action = urljoin(page.url, form.action) if form.action else page.url
        if form.method == "post":
            # A browser names the page the form came from (the portal's Referrer-Policy lets it
            # on the same origin); over HTTPS the CSRF check insists on it.
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
            headers = {"Referer": page.url, "Origin": origin}
            response = self.session.post(action, data=data, headers=headers, timeout=120)
        else:
            response = self.session.get(action, params=data, timeout=60)
        return self._page(response, expect_status)

    def log_in(self, email: str, password: str) -> Page:
        """Both steps of the login: the password, then the code from the person's app. A
        person whose role must have an app and has none turns one on, as the portal asks, and
        its key is kept for the next login (`APP_KEYS`). Returns the page it ends on."""
        page = self.open("/logga-in")
        page = self.submit(page, "Logga in", {"email": email, "password": password})
        path = urlsplit(page.url).path
        if path == "/logga-in/kod":
            return self.submit(page, "Fortsätt", {"code": APP_KEYS.code(email)})
        if path == "/profil/tvastegsverifiering" and page.has_form(
            "Slå på tvåstegsverifiering med app"
        ):
            page = self.submit(page, "Slå på tvåstegsverifiering med app")
            key = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.html).group(1).replace(" ", "")
            APP_KEYS.add(email, key)
            page = self.submit(page, "Slå på tvåstegsverifiering", {"code": APP_KEYS.code(email)})
            page.expect("Tvåstegsverifiering är på.")
            return self.open("/")
        return page

    def status_of(self, path: str) -> int:
        return self.session.get(self.url(path), timeout=30, allow_redirects=False).status_code

    def _page(self, response: requests.Response, expect_status: int | None) -> Page:
        page = Page(response.url, response.status_code, response.text)
        if expect_status is not None and response.status_code != expect_status:
            raise AssertionError(
                f"{response.request.method} {response.url} answered {response.status_code}, "
                f"not {expect_status}:\n{page.text[:2000]}"
            )
        return page
