"""Latin American and Caribbean countries (UN M49 region 419), named in the reader's language."""

from __future__ import annotations

import functools
import gettext

import pycountry
from wtforms.fields.choices import SelectChoice

from consortium.i18n import current_language

# UN M49 "Latin America and the Caribbean": the 33 sovereign states.
LAC_COUNTRY_CODES = (
    "AG",
    "AR",
    "BS",
    "BB",
    "BZ",
    "BO",
    "BR",
    "CL",
    "CO",
    "CR",
    "CU",
    "DM",
    "DO",
    "EC",
    "SV",
    "GD",
    "GT",
    "GY",
    "HT",
    "HN",
    "JM",
    "MX",
    "NI",
    "PA",
    "PY",
    "PE",
    "KN",
    "LC",
    "VC",
    "SR",
    "TT",
    "UY",
    "VE",
)


@functools.cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str | None, language: str | None = None) -> str:
    if not code:
        return ""
    return _country_name(code, language or current_language())


@functools.cache
def _country_name(code: str, language: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _translation(language).gettext(name)


def country_choices(language: str | None = None) -> list[SelectChoice]:
    return list(_country_choices(language or current_language()))


@functools.cache
def _country_choices(language: str) -> tuple[SelectChoice, ...]:
    named = sorted(((country_name(code, language), code) for code in LAC_COUNTRY_CODES), key=lambda c: c[0])
    return tuple(SelectChoice(code, name) for name, code in named)
