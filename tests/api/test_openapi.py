"""The OpenAPI document: valid OpenAPI 3.1, served without a token, and covering every route
of the API blueprint."""

from openapi_spec_validator import validate

from portal.api.openapi import openapi_spec


def test_the_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_api_route_is_in_the_document(app):
    documented = set(openapi_spec()["paths"])
    served = {
        rule.rule.replace("<id:", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.unknown"
    }
    assert served == documented


def test_money_is_described_as_whole_ore_and_dates_as_iso_8601(app):
    schemas = openapi_spec()["components"]["schemas"]
    assert schemas["Grant"]["properties"]["amount_ore"]["type"] == "integer"
    assert schemas["Milestone"]["properties"]["due_on"]["format"] == "date"
    assert schemas["Project"]["properties"]["updated_at"]["format"] == "date-time"
