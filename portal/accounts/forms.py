"""Forms of the accounts feature; every message is Swedish and shown beside its field."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from portal.accounts.models import LANGUAGES, ORGANISATION_KINDS, ROLES
from portal.core.forms import REQUIRED, select_choices
from portal.core.i18n import _l

VALID_EMAIL = _l("Ange en giltig e-postadress, till exempel namn@bibliotek.se.")


def email_field(label=None):
    return EmailField(
        label or _l("E-postadress"),
        validators=[DataRequired(REQUIRED), Email(VALID_EMAIL), Length(max=254)],
    )


def new_password_field(label=None):
    return PasswordField(
        label or _l("Nytt lösenord"),
        validators=[DataRequired(REQUIRED)],
        description=_l(
            "Minst 12 tecken. Välj gärna en fras av flera ord; alla tecken är tillåtna."
        ),
    )


def confirm_field():
    return PasswordField(
        _l("Upprepa lösenordet"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("Lösenorden är inte lika."))],
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(REQUIRED)])
    submit = SubmitField(_l("Logga in"))


class SetPasswordForm(FlaskForm):
    password = new_password_field(_l("Välj lösenord"))
    confirm = confirm_field()
    submit = SubmitField(_l("Spara lösenord"))


class PasswordResetRequestForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Skicka länk"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Nuvarande lösenord"), validators=[DataRequired(REQUIRED)])
    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField(_l("Byt lösenord"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Namn"), validators=[DataRequired(REQUIRED), Length(max=200)])
    title = StringField(_l("Titel"), validators=[Optional(), Length(max=200)])
    phone = StringField(
        _l("Telefon"),
        validators=[
            Optional(),
            Length(max=50),
            Regexp(r"^[0-9 +()\-]*$", message=_l("Ange bara siffror, mellanslag, +, - och ().")),
        ],
    )
    language = SelectField(_l("Språk"), choices=lambda: select_choices(LANGUAGES.items()))
    submit = SubmitField(_l("Spara profil"))


def role_choices():
    return select_choices(ROLES.items())


class InvitationForm(FlaskForm):
    email = email_field()
    name = StringField(_l("Namn"), validators=[DataRequired(REQUIRED), Length(max=200)])
    organisation_id = SelectField(
        _l("Organisation"), coerce=int, validators=[DataRequired(_l("Välj en organisation."))]
    )
    role = SelectField(_l("Roll"), choices=role_choices)
    submit = SubmitField(_l("Skicka inbjudan"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Roll"), choices=role_choices)
    submit = SubmitField(_l("Spara roll"))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Namn"), validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = SelectField(_l("Typ"), choices=lambda: select_choices(ORGANISATION_KINDS.items()))
    municipality_name = StringField(_l("Kommun"), validators=[Optional(), Length(max=100)])
    municipality_code = StringField(
        _l("Kommunkod"),
        validators=[Optional(), Regexp(r"^\d{4}$", message=_l("Kommunkoden har fyra siffror."))],
        description=_l("Fyra siffror, till exempel 2282 för Kramfors."),
    )
    contact_email = EmailField(
        _l("Kontaktadress (e-post)"), validators=[Optional(), Email(VALID_EMAIL), Length(max=254)]
    )
    submit = SubmitField(_l("Spara organisation"))
