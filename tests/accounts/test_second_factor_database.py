"""The second factor's single use rests on conditional UPDATEs (a code's step, a recovery code's
use): checked on PostgreSQL as well as SQLite."""

import pytest
from freezegun import freeze_time

from portal.accounts.mfa import services as mfa
from portal.core.errors import ValidationError
from portal.extensions import db
from tests.factories import give_totp, make_user, totp_code

pytestmark = pytest.mark.both_databases


def test_the_same_code_passes_the_second_step_once(app):
    user = give_totp(make_user(role="staff"))
    with freeze_time("2026-12-07 12:00:10"):
        assert mfa.pass_second_factor(user, totp_code()) == mfa.TOTP
        db.session.commit()
        with pytest.raises(ValidationError):
            mfa.pass_second_factor(user, totp_code())


def test_a_recovery_code_passes_the_second_step_once(app):
    user = give_totp(make_user(role="staff"))
    code = mfa.renew_recovery_codes(user)[0]
    db.session.commit()
    assert mfa.pass_second_factor(user, code) == mfa.RECOVERY_CODE
    db.session.commit()
    with pytest.raises(ValidationError):
        mfa.pass_second_factor(user, code)
    assert mfa.unused_recovery_code_count(user) == 9
