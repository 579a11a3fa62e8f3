"""Personal access tokens for the read API (/api/v1): made, listed and revoked on the profile
("API-nycklar"), sent by a program as `Authorization: Bearer lbp_…`.

`services` makes and checks the tokens, `routes` joins them to the profile page. A token reads
exactly what its owner may read; the API itself is portal/api/.
"""
