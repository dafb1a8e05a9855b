from __future__ import annotations

from wtforms import BooleanField
from wtforms.validators import DataRequired

from consortium.i18n import lazy_gettext as _l
from consortium.users.forms import ConfirmPasswordForm


class DeleteAccountForm(ConfirmPasswordForm):
    confirm = BooleanField(
        _l("I understand that my account and personal data will be deleted, and that this cannot be undone."),
        validators=[DataRequired(_l("Please confirm that you want to delete your account."))],
    )
