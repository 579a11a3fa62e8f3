"""Login with a municipal account: each organisation's own OpenID Connect identity provider
(models, services, the client of the IdP and the routes of the login and its admin page)."""
