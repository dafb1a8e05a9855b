"""Languages, locale and time-zone selection, and enums with translated labels."""

from __future__ import annotations

import enum
import functools

from babel.core import Locale
from flask import current_app, has_app_context, request
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

#: Language code -> its own name (shown in the switcher in that language, as is usual).
LANGUAGES = {"es": "Español", "pt_BR": "Português", "en": "English"}
LANGUAGE_COOKIE = "lang"


def normalise_language(code: str | None) -> str | None:
    """'pt-BR', 'pt_br' and 'pt' all mean pt_BR; unknown codes give None."""
    if not code:
        return None
    code = code.replace("-", "_")
    for known in LANGUAGES:
        if code.lower() == known.lower() or code.split("_")[0].lower() == known.split("_")[0].lower():
            return known
    return None


def select_locale() -> str:
    user_choice = (
        getattr(current_user, "locale", None) if current_user and current_user.is_authenticated else None
    )
    return (
        normalise_language(user_choice)
        or normalise_language(request.cookies.get(LANGUAGE_COOKIE))
        or request.accept_languages.best_match(list(LANGUAGES))
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def html_lang() -> str:
    """The BCP 47 tag for <html lang> ('pt-BR', not Babel's 'pt_BR')."""
    return str(get_locale()).replace("_", "-")


def current_language() -> str:
    return str(get_locale())


def localised(values: dict[str, str] | None, language: str | None = None) -> str:
    """Pick the reader's language from a {language: text} dict, falling back to Spanish, then any."""
    if not values:
        return ""
    language = language or current_language()
    return values.get(language) or values.get("es") or next(iter(values.values()), "")


def language_name(code: str | None, language: str | None = None) -> str:
    """A language as the reader calls it, placed in a sentence: "Traducido del portugués",
    "You are reading it in Spanish" (Spanish and Portuguese write language names in lower case).

    ``LANGUAGES`` holds each language's own name, for the switcher only.
    """
    if not code:
        return ""
    return _language_name(code.replace("-", "_").split("_")[0], language or current_language())


@functools.cache
def _language_name(base: str, reader: str) -> str:
    return Locale.parse(reader).languages.get(base, base)


def language_label(code: str | None, language: str | None = None) -> str:
    """The same name standing alone (a table cell, a choice): "Portugués", "Portuguese"."""
    name = language_name(code, language)
    return name[:1].upper() + name[1:]


def language_choices(*, native: bool = False) -> list[SelectChoice]:
    """Languages to pick from: in the reader's language, or (``native``) each in its own, as a switcher."""
    if native:
        return [SelectChoice(code, name) for code, name in LANGUAGES.items()]
    return [SelectChoice(code, LazyString(language_label, code)) for code in LANGUAGES]


# Why not Flask-Babel's gettext: it finds the catalogue again on every call (domain, locale, directory
# lookups), and a wizard page calls it thousands of times; caching per (locale, directory) halves the
# page's rendering time. It uses only Flask-Babel's public get_locale()/get_translations(), so a locale
# changed mid-request (force_locale, a mail in the reader's language) is still honoured. fast_ngettext
# returns the raw plural form: Jinja's newstyle gettext fills in %(num)s. tests/consortium/test_i18n.py
# pins all of this against Flask-Babel's own answers in the three languages.
@functools.cache
def _catalogue(locale: str, translations_dir: str):
    """Catalogues do not change while the app runs; Flask-Babel looks one up again on every call."""
    return get_translations()


def fast_gettext(message: str) -> str:
    """gettext for hot paths (templates, enum labels): halves the cost of rendering a page."""
    if not has_app_context():
        return message
    return _catalogue(str(get_locale()), current_app.config["BABEL_TRANSLATION_DIRECTORIES"]).ugettext(
        message
    )


def page_catalogue():
    """The reader's catalogue, looked up once per rendered template (``consortium.templating``)."""
    return _catalogue(str(get_locale()), current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


def fast_ngettext(singular: str, plural: str, number: int) -> str:
    catalogue = _catalogue(str(get_locale()), current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    return catalogue.ungettext(singular, plural, number)


def lazy_gettext(message: str, **variables) -> LazyString:
    """``_l``: translated when shown, through the cached catalogue (Flask-Babel's own looks it up per call).

    Forms, enums and module constants hold hundreds of these; a wizard page renders thousands.
    """
    return LazyString(_translate, message, **variables)


def _translate(message: str, **variables) -> str:
    text = fast_gettext(message)
    return text % variables if variables else text


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated when shown)."""
    return message


class LabelledEnum(enum.StrEnum):
    """A StrEnum whose members carry a translated label: ``Kind.OPEN_DATA.label``.

    Labels are marked with ``N_`` (or ``_l``) and translated when read, in the reader's language.
    """

    __labels__: dict[str, str] = {}

    @property
    def label(self) -> str:
        label = type(self).__labels__.get(self.value)
        if label is None:
            return self.value
        return fast_gettext(label) if isinstance(label, str) else str(label)

    @classmethod
    def choices(cls) -> list[SelectChoice]:
        return [SelectChoice(member.value, member.label) for member in cls]
