"""Numbers from addresses, query strings and forms stay within what the database holds: an id
beyond 2 147 483 647 (PostgreSQL's integer) is not found, a filter beyond it is ignored."""

import re

import pytest

from portal.core.forms import int_or_none
from portal.core.ids import MAX_ID, parse_id
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.both_databases


def heading(response) -> str:
    return response.get_data(as_text=True).split("<h1>", 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize("value", ["0", "-1", "2147483648", "1" + "0" * 400, "9" * 5000, "NaN"])
def test_what_is_not_an_id_is_none(value):
    assert int_or_none(value) is None
    with pytest.raises(ValueError):
        parse_id(value)


def test_the_largest_integer_the_database_holds_is_an_id():
    assert parse_id(str(MAX_ID)) == int_or_none(str(MAX_ID)) == 2_147_483_647


def test_every_number_in_an_address_is_read_as_an_id(app):
    converters = {
        converter
        for rule in app.url_map.iter_rules()
        for converter in re.findall(r"<(\w+):", rule.rule)
    }
    assert converters <= {"id", "any", "path"}


def test_document_id_beyond_32_bits_is_not_found(client, login_as):
    login_as("member")
    response = client.get("/dokument/2147483648")
    assert response.status_code == 404
    assert heading(response) == "Sidan finns inte"


@pytest.mark.parametrize("document_id", ["0", "9223372036854775808", "1" + "0" * 400])
def test_document_id_zero_or_of_many_digits_is_not_found(client, login_as, document_id):
    login_as("member")
    assert client.get(f"/dokument/{document_id}").status_code == 404


def test_plan_period_filter_beyond_32_bits_is_ignored(client, login_as):
    login_as("member")
    response = client.get("/projekt", query_string={"plan_period": "2147483648"})
    assert response.status_code == 200


def test_project_filter_beyond_32_bits_in_the_news_list_is_ignored(client, login_as):
    login_as("member")
    response = client.get("/nyheter", query_string={"projekt": "2147483648"})
    assert response.status_code == 200


def test_organisation_filter_beyond_64_bits_in_the_user_list_is_ignored(client, login_as):
    login_as("admin", name="Astrid Admin")
    make_user(name="Karin Holm", organisation=make_organisation("Kramfors bibliotek"))
    response = client.get("/admin/anvandare", query_string={"organisation": "9" * 30})
    assert response.status_code == 200
    assert "Karin Holm" in response.get_data(as_text=True)


def test_outbox_page_beyond_any_number_is_the_first_page(client, login_as):
    login_as("admin")
    response = client.get("/admin/utskick", query_string={"page": "1" + "0" * 400})
    assert response.status_code == 200
