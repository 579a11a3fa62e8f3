"""A passkey as the second factor after the password, for the second-factor step's views.

That step knows the person the password named but has not logged them in yet; its options
endpoint returns `options_response(user)`, and its form's view asks `passed(user, answer)`.
The challenge is kept in the session bound to that person, so options fetched for one person
cannot be answered for another.
"""

from flask import Response

from portal.accounts.models import User
from portal.accounts.passkeys import ceremony, services


def options_response(user: User) -> Response:
    """The JSON options offering only `user`'s passkeys (for navigator.credentials.get)."""
    options = services.second_factor_options(user, ceremony.relying_party_id())
    ceremony.keep_challenge(ceremony.SECOND_FACTOR, options, user.id)
    return ceremony.json_response(options)


def passed(user: User, answer: str) -> bool:
    """Whether `answer` is one of `user`'s passkeys signing the challenge of their options,
    which is used up either way. The caller commits (the passkey's counter moved on)."""
    expected = ceremony.take_challenge(ceremony.SECOND_FACTOR, user.id)
    return services.verify_assertion(user, answer, expected)
