"""Passkeys (WebAuthn): registered from the profile, they log a person in without the password
(the authenticator checks who holds it, so one passkey counts as both factors), or serve as the
second factor after the password (`second_factor`, on `services.verify_assertion`).

`services` verifies the ceremonies with py_webauthn and keeps the rows; `ceremony` keeps each
ceremony's challenge in the session and says which site the browser must have talked to;
`routes` joins them to the profile and the login page (the JavaScript is
portal/static/js/passkeys.js).
"""
