"""Forms of an item's page: a message in its thread, resolving it."""

from __future__ import annotations

from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from consortium.forms import REQUIRED, OnceForm, PlainText
from consortium.i18n import lazy_gettext as _l
from safeguards.threads import MAX_MESSAGE


class MessageForm(OnceForm):
    """A message in the item's thread; the key makes a double click post it once."""

    body = TextAreaField(
        _l("Your message"),
        description=_l(
            "Up to %(n)s characters. The other side reads it with the next decision's e-mail.", n=MAX_MESSAGE
        ),
        validators=[DataRequired(REQUIRED), Length(max=MAX_MESSAGE), PlainText()],
        render_kw={"maxlength": MAX_MESSAGE},
    )


class ResolveForm(OnceForm):
    resolved = HiddenField(validators=[AnyOf(["1", "0"])])
