"""The one blinker namespace features use to react to each other without importing each other."""

from blinker import Namespace

_signals = Namespace()

#: sender=user; kwargs: how ("password" or "totp")
user_logged_in = _signals.signal("user-logged-in")
#: sender=user
user_logged_out = _signals.signal("user-logged-out")
#: sender=email (str); kwargs: reason
login_failed = _signals.signal("login-failed")
#: sender=object whose state changed; kwargs: action (e.g. "organisation.verified"), by (user), summary
state_changed = _signals.signal("state-changed")
#: sender=a governance decision that validates a document; kwargs: subject (a ``consortium.validations``
#: key such as "safeguards.roadmap:12"), by (user). Sent inside the decision's transaction.
validation_decided = _signals.signal("validation-decided")
