"""Behind a TLS-terminating proxy the portal sees the client's scheme and address."""

from flask import jsonify, request

from portal import create_app


def test_forwarded_scheme_and_address_are_trusted_only_when_configured(app):
    for hops, expected in ((0, ("http", "127.0.0.1")), (1, ("https", "203.0.113.7"))):
        proxied = create_app(
            "testing", {"PROXY_FIX_HOPS": hops, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
        )
        proxied.add_url_rule(
            "/_echo", "echo", lambda: jsonify(scheme=request.scheme, ip=request.remote_addr)
        )
        response = proxied.test_client().get(
            "/_echo",
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        assert (response.json["scheme"], response.json["ip"]) == expected
