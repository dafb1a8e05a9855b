from __future__ import annotations

from urllib.parse import urlsplit

import segno
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

import consortium.users as users
from consortium import transaction
from consortium.db import db
from consortium.extensions import limiter
from consortium.forms import PostForm, first_submission, remember_result
from consortium.i18n import current_language
from consortium.permissions import Permission, public, require
from consortium.users import limits, services, sessions, unlock
from consortium.users.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    ConfirmPasswordForm,
    EnableTotpForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    SecondFactorForm,
    SignupForm,
)
from consortium.users.limits import PENDING_2FA
from consortium.users.models import ApiToken, User

bp = Blueprint("users", __name__)

#: Where a new account goes after confirming its address and logging in (for example an invitation).
AFTER_VERIFY = "next_after_verify"


def safe_next(default: str) -> str:
    """Only same-site paths are followed after log-in, never another site's address."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


def finish_login(user: User, how: str, next_url: str):
    with transaction.action():
        sessions.log_in(user, how, request.headers.get("User-Agent", ""))
    session.pop(PENDING_2FA, None)
    unlock.forget()
    session.permanent = True
    login_user(user)
    if user.needs_totp:
        flash(_("Staff accounts must use two-factor log-in. Set it up to continue."), "warning")
        return redirect(url_for("users.two_factor"))
    return redirect(next_url or url_for("main.my_home"))  # their own page, not the marketing one


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(limits.setting("LOGIN_LIMIT_PER_ADDRESS"), methods=["POST"])
@public
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.my_home"))
    form = SignupForm()
    if form.validate_on_submit():
        with transaction.action():
            if first_submission(form) is None:
                services.register(
                    form.email.data,
                    form.name.data,
                    form.password.data,
                    locale=current_language(),
                    timezone=form.timezone.data,
                )
        if safe_next(""):
            session[AFTER_VERIFY] = safe_next("")
        return redirect(url_for("users.signup_done"))
    return render_template("users/signup.html", form=form)


@bp.route("/signup/done")
@public
def signup_done():
    return render_template("users/signup_done.html")


@bp.route("/verify/<token>")
@public
def verify_email(token: str):
    # The one GET that writes, on purpose: the link in the e-mail must work in one click in any mail
    # client. It is idempotent and the signed, expiring token is the proof; a scanner that follows the
    # link only proves, as the person would, that the message reached the address.
    with transaction.action():
        user = services.verify_email(token)
    if user is None:
        flash(_("This confirmation link is invalid or has expired. Log in to get a new one."), "error")
        return redirect(url_for("users.login"))
    flash(_("Thank you, your e-mail address is confirmed. You can log in now."), "success")
    return redirect(url_for("users.login", next=session.pop(AFTER_VERIFY, None)))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(limits.setting("LOGIN_LIMIT_PER_ADDRESS"), methods=["POST"])
@limits.login_per_account
@limits.count_failures_only
@public
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("main.my_home")))
    form = LoginForm()
    if form.validate_on_submit():
        with transaction.action():  # its own action: a failed attempt's audit record is kept
            user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The e-mail address or password is not correct."))
        elif user.email_verified_at is None:
            with transaction.action():
                services.send_verification(user)
            form.email.errors.append(
                _("Please confirm your e-mail address first. We have sent you a new confirmation link.")
            )
        elif user.has_totp:
            session[PENDING_2FA] = {"user": user.id, "next": safe_next("")}
            return redirect(url_for("users.login_second_factor"))
        else:
            return finish_login(user, "password", safe_next(""))
    return render_template("users/login.html", form=form)


@bp.route("/login/verify", methods=["GET", "POST"])
@limits.second_factor_per_account
@limits.count_failures_only
@public
def login_second_factor():
    pending = session.get(PENDING_2FA)
    user = db.session.get(User, pending["user"]) if pending else None
    if user is None or not user.has_totp:
        return redirect(url_for("users.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        with transaction.action():  # a refused code's audit record is kept too
            passed = services.check_second_factor(user, form.code.data)
        if passed:
            return finish_login(user, "totp", pending.get("next", ""))
        form.code.errors.append(_("This code is not valid. Check your app's clock, or use a recovery code."))
    return render_template("users/login_second_factor.html", form=form)


@bp.route("/login/unlock/<token>", methods=["GET", "POST"])
@public
def unlock_login(token: str):
    """A page with a button: mail scanners that open links must not spend the one-time link."""
    found = unlock.find(token)
    if found is None:
        flash(_("This link is invalid, was already used or has expired."), "error")
        return redirect(url_for("users.login"))
    form = PostForm()
    if form.validate_on_submit():
        with transaction.action():
            unlock.use(found)
        flash(_("This browser can log in to your account now."), "success")
        return redirect(url_for("users.login"))
    return render_template("users/unlock_login.html", form=form)


@bp.route("/logout", methods=["POST"])
@require()
def logout():
    form = PostForm()
    if form.validate_on_submit():
        with transaction.action():
            sessions.log_out(users.current_person())
        logout_user()
        session.clear()
        flash(_("You have logged out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(limits.setting("LOGIN_LIMIT_PER_ADDRESS"), methods=["POST"])
@limiter.limit(limits.setting("LOGIN_LIMIT_PER_ACCOUNT"), key_func=limits.account_key, methods=["POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        with transaction.action():
            services.send_password_reset(form.email.data, current_language())
        flash(
            _("If an account uses this address, we have sent it a link to choose a new password."), "success"
        )
        return redirect(url_for("users.login"))
    return render_template("users/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This link is invalid, was already used or has expired. Ask for a new one."), "error")
        return redirect(url_for("users.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with transaction.action():
            services.reset_password(user, form.password.data)
        logout_user()
        flash(_("Your password was changed. Log in with the new one."), "success")
        return redirect(url_for("users.login"))
    return render_template("users/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@require(Permission.ACCOUNT_MANAGE)
def account():
    user = users.current_person()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        with transaction.action():
            services.update_profile(
                user, name=form.name.data, locale=form.locale.data, timezone=form.timezone.data
            )
        flash(_("Your profile was saved."), "success")
        return redirect(url_for("users.account"))
    return _account_page(profile_form=form)


def _account_page(**sent):
    """The account page: the forms in ``sent`` as they came back (with their errors), the others new."""
    user = users.current_person()
    tokens = db.session.scalars(
        db.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ).all()
    new_forms = {
        "profile_form": lambda: ProfileForm(obj=user),
        "password_form": ChangePasswordForm,
        "token_form": ApiTokenForm,
        "post_form": PostForm,
    }
    context = {
        **{name: sent[name] if name in sent else build() for name, build in new_forms.items()},
        "tokens": tokens,
        "session_count": sessions.session_count(user),
        "recovery_left": services.recovery_codes_left(user) if user.has_totp else 0,
    }
    return render_template("users/account.html", **context)


@bp.route("/account/password", methods=["POST"])
@limits.password_check
@require(Permission.ACCOUNT_MANAGE)
def change_password():
    user = users.current_person()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if limits.current_password_ok(user, form.current.data):
            with transaction.action():
                services.change_password(user, form.password.data)
            flash(_("Your password was changed. Other devices were logged out."), "success")
            return redirect(url_for("users.account"))
        form.current.errors.append(_("The current password is not correct."))
    return _account_page(password_form=form), 422


@bp.route("/account/sessions/end-others", methods=["POST"])
@require(Permission.ACCOUNT_MANAGE)
def end_other_sessions():
    if PostForm().validate_on_submit():
        with transaction.action():
            sessions.end_other_sessions(users.current_person())
        flash(_("All your other sessions were logged out."), "success")
    return redirect(url_for("users.account"))


@bp.route("/account/two-factor", methods=["GET", "POST"])
@require(Permission.ACCOUNT_MANAGE)
def two_factor():
    user = users.current_person()
    if user.has_totp:
        return render_template(
            "users/two_factor_on.html",
            form=ConfirmPasswordForm(),
            post_form=PostForm(),
            recovery_left=services.recovery_codes_left(user),
        )
    secret = session.get("totp_setup_secret") or services.new_totp_secret()
    session["totp_setup_secret"] = secret
    form = EnableTotpForm()
    if form.validate_on_submit():
        with transaction.action():
            codes = services.enable_totp(user, secret, form.code.data)
        if codes is not None:
            session.pop("totp_setup_secret", None)
            flash(_("Two-factor log-in is on."), "success")
            return render_template("users/recovery_codes.html", codes=codes)
        form.code.errors.append(_("This code is not valid. Check your app's clock, or scan the code again."))
    uri = services.totp_uri(user, secret)
    svg = segno.make(uri, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app"))
    qr = Markup(svg)  # noqa: S704 - segno's own SVG markup; its only input is our otpauth URI
    return render_template("users/two_factor_setup.html", form=form, secret=secret, qr=qr)


@bp.route("/account/two-factor/disable", methods=["POST"])
@limits.password_check
@require(Permission.ACCOUNT_MANAGE)
def disable_two_factor():
    user = users.current_person()
    form = ConfirmPasswordForm()
    if user.is_staff:
        flash(_("Staff accounts must keep two-factor log-in on."), "error")
    elif form.validate_on_submit() and limits.current_password_ok(user, form.current.data):
        with transaction.action():
            services.disable_totp(user)
        flash(_("Two-factor log-in is off."), "success")
    else:
        flash(_("The current password is not correct."), "error")
    return redirect(url_for("users.two_factor"))


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@require(Permission.ACCOUNT_MANAGE)
def new_recovery_codes():
    user = users.current_person()
    if not user.has_totp or not PostForm().validate_on_submit():
        return redirect(url_for("users.two_factor"))
    with transaction.action():
        codes = services.new_recovery_codes(user)
    return render_template("users/recovery_codes.html", codes=codes)


@bp.route("/account/tokens", methods=["POST"])
@require(Permission.ACCOUNT_MANAGE)
def create_token():
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _account_page(token_form=form), 422
    with transaction.action():
        earlier = first_submission(form)
        if earlier is None:
            token, secret = services.create_api_token(users.current_person(), form.name.data)
            remember_result(form, url_for("users.account"))
    if earlier is not None:
        flash(_("This token was already created; its secret is shown only once."), "warning")
        return redirect(url_for("users.account"))
    return render_template("users/token_created.html", token=token, secret=secret)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@require(Permission.ACCOUNT_MANAGE)
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if PostForm().validate_on_submit():
        with transaction.action():
            services.revoke_api_token(token)
        flash(_("The token was revoked."), "success")
    return redirect(url_for("users.account"))
