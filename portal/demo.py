"""The Västernorrland demo data: organisations and one user per role. Loading it twice is safe."""

from sqlalchemy import select

from portal.accounts.models import Organisation, User
from portal.accounts.passwords import hash_password
from portal.extensions import db

ORGANISATIONS = [
    ("Länsbiblioteket Västernorrland", "county_library", "Härnösand", "2280"),
    ("Härnösands bibliotek", "municipal_library", "Härnösand", "2280"),
    ("Kramfors bibliotek", "municipal_library", "Kramfors", "2282"),
    ("Sollefteå bibliotek", "municipal_library", "Sollefteå", "2283"),
    ("Sundsvalls bibliotek", "municipal_library", "Sundsvall", "2281"),
    ("Timrå bibliotek", "municipal_library", "Timrå", "2262"),
    ("Ånge bibliotek", "municipal_library", "Ånge", "2260"),
    ("Örnsköldsviks bibliotek", "municipal_library", "Örnsköldsvik", "2284"),
    ("Region Västernorrland", "funder", None, None),
    ("Kulturrådet", "funder", None, None),
    ("Kungliga biblioteket", "national_agency", None, None),
    ("Myndigheten för tillgängliga medier", "national_agency", None, None),
    ("Internationella biblioteket", "national_agency", None, None),
]

DEMO_USERS = [
    {
        "email": "admin@lansbiblioteket.example",
        "name": "Astrid Nordin",
        "role": "admin",
        "organisation": "Länsbiblioteket Västernorrland",
        "password": "demo-admin-hoga-kusten",
    },
    {
        "email": "personal@lansbiblioteket.example",
        "name": "Erik Sjölund",
        "role": "staff",
        "organisation": "Länsbiblioteket Västernorrland",
        "password": "demo-personal-hoga-kusten",
    },
    {
        "email": "bibliotekarie@kramfors.example",
        "name": "Karin Holm",
        "role": "member",
        "organisation": "Kramfors bibliotek",
        "password": "demo-bibliotekarie-hoga-kusten",
    },
]


def load_demo() -> list[dict]:
    """Create what is missing; returns the demo accounts for printing."""
    by_name = {org.name: org for org in db.session.scalars(select(Organisation))}
    for name, kind, municipality, code in ORGANISATIONS:
        if name not in by_name:
            by_name[name] = Organisation(
                name=name, kind=kind, municipality_name=municipality, municipality_code=code
            )
            db.session.add(by_name[name])
    for spec in DEMO_USERS:
        if db.session.scalar(select(User).where(User.email == spec["email"])) is None:
            db.session.add(
                User(
                    email=spec["email"],
                    name=spec["name"],
                    role=spec["role"],
                    organisation=by_name[spec["organisation"]],
                    password_hash=hash_password(spec["password"]),
                )
            )
    db.session.commit()
    return DEMO_USERS
