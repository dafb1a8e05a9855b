"""Idempotent demonstration data: consortium members, CSOs across the region, staff and members.

Features add their own demo data by registering a loader at init_app; ``load`` runs the kernel's
first, then theirs. Every loader looks records up by a natural key first, so running it twice
creates nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.organisations.models import Membership, Organisation, OrganisationKind, OrganisationRole
from consortium.permissions import Role
from consortium.users.models import User
from consortium.users.passwords import hash_password

PASSWORD = "Salvaguardas-2026-demo"
# Staff must use two-factor log-in. Demo staff share this authenticator key (shown in the README),
# so a demo can be explored with any authenticator app; never reuse it for a real account.
STAFF_TOTP_SECRET = "DPICONSORTIUMDEMOSTAFFKEYZQXAAAA"

_loaders: list[Callable[[], int]] = []


def register(loader: Callable[[], int]) -> None:
    """``loader()`` adds a feature's demo records and returns how many it created."""
    if loader not in _loaders:
        _loaders.append(loader)


# slug, name, country, city, zone, kind, focus areas, website, consortium member
ORGANISATIONS = [
    (
        "ilda",
        "ILDA - Iniciativa Latinoamericana por los Datos Abiertos",
        "UY",
        "Montevideo",
        "America/Montevideo",
        OrganisationKind.OPEN_DATA,
        ["data_exchange", "governance", "inclusion"],
        "https://idatosabiertos.org",
        True,
    ),
    (
        "open-data-charter",
        "Open Data Charter",
        "AR",
        "Buenos Aires",
        "America/Argentina/Buenos_Aires",
        OrganisationKind.OPEN_DATA,
        ["governance", "data_protection"],
        "https://opendatacharter.org",
        True,
    ),
    (
        "cepei",
        "Cepei",
        "CO",
        "Bogotá",
        "America/Bogota",
        OrganisationKind.ACADEMIA,
        ["governance", "data_exchange"],
        "https://cepei.org",
        True,
    ),
    (
        "derechos-digitales-andinos",
        "Derechos Digitales Andinos",
        "PE",
        "Lima",
        "America/Lima",
        OrganisationKind.DIGITAL_RIGHTS,
        ["digital_identity", "data_protection"],
        "",
        False,
    ),
    (
        "rede-dados-abertos-recife",
        "Rede Dados Abertos Recife",
        "BR",
        "Recife",
        "America/Recife",
        OrganisationKind.OPEN_DATA,
        ["payments", "inclusion"],
        "",
        False,
    ),
    (
        "observatorio-gobierno-abierto-mx",
        "Observatorio de Gobierno Abierto",
        "MX",
        "Ciudad de México",
        "America/Mexico_City",
        OrganisationKind.OPEN_GOVERNMENT,
        ["digital_identity", "governance"],
        "",
        False,
    ),
    (
        "colectivo-inclusion-digital-gt",
        "Colectivo Inclusión Digital",
        "GT",
        "Quetzaltenango",
        "America/Guatemala",
        OrganisationKind.COMMUNITY,
        ["inclusion"],
        "",
        False,
    ),
    (
        "caribbean-open-institute",
        "Caribbean Open Institute Network",
        "JM",
        "Kingston",
        "America/Jamaica",
        OrganisationKind.OPEN_DATA,
        ["data_exchange", "governance"],
        "",
        False,
    ),
    (
        "laboratorio-civico-cl",
        "Laboratorio Cívico",
        "CL",
        "Valparaíso",
        "America/Santiago",
        OrganisationKind.OPEN_GOVERNMENT,
        ["governance", "data_protection"],
        "",
        False,
    ),
    (
        "periodismo-de-datos-py",
        "Periodismo de Datos Paraguay",
        "PY",
        "Asunción",
        "America/Asuncion",
        OrganisationKind.MEDIA,
        ["payments", "governance"],
        "",
        False,
    ),
    (
        "instituto-privacidade-sp",
        "Instituto Privacidade e Sociedade",
        "BR",
        "São Paulo",
        "America/Sao_Paulo",
        OrganisationKind.DIGITAL_RIGHTS,
        ["data_protection", "digital_identity"],
        "",
        False,
    ),
    (
        "red-ciudadana-cr",
        "Red Ciudadana Costa Rica",
        "CR",
        "San José",
        "America/Costa_Rica",
        OrganisationKind.COMMUNITY,
        ["inclusion", "governance"],
        "",
        False,
    ),
    (
        "datos-comunes-ec",
        "Datos Comunes",
        "EC",
        "Quito",
        "America/Guayaquil",
        OrganisationKind.OPEN_DATA,
        ["data_exchange"],
        "",
        False,
    ),
    (
        "tecnologia-y-derechos-do",
        "Tecnología y Derechos",
        "DO",
        "Santo Domingo",
        "America/Santo_Domingo",
        OrganisationKind.DIGITAL_RIGHTS,
        ["data_protection", "payments"],
        "",
        False,
    ),
    (
        "universidad-abierta-bo",
        "Centro de Estudios Digitales",
        "BO",
        "La Paz",
        "America/La_Paz",
        OrganisationKind.ACADEMIA,
        ["digital_identity", "inclusion"],
        "",
        False,
    ),
]

# email, name, platform role, organisation slug, organisation role, locale
PEOPLE = [
    ("admin@consortium.example", "Admin Consorcio", Role.ADMIN, "ilda", OrganisationRole.ADMIN, "es"),
    ("ana@ilda.example", "Ana Rodríguez", Role.STAFF, "ilda", OrganisationRole.ADMIN, "es"),
    (
        "tomas@opendatacharter.example",
        "Tomás Acosta",
        Role.STAFF,
        "open-data-charter",
        OrganisationRole.ADMIN,
        "en",
    ),
    ("lucia@cepei.example", "Lucía Martínez", Role.STAFF, "cepei", OrganisationRole.ADMIN, "es"),
    (
        "camila@derechosandinos.example",
        "Camila Quispe",
        Role.MEMBER,
        "derechos-digitales-andinos",
        OrganisationRole.ADMIN,
        "es",
    ),
    (
        "joao@dadosrecife.example",
        "João Pereira",
        Role.MEMBER,
        "rede-dados-abertos-recife",
        OrganisationRole.ADMIN,
        "pt_BR",
    ),
    (
        "mariana@dadosrecife.example",
        "Mariana Souza",
        Role.MEMBER,
        "rede-dados-abertos-recife",
        OrganisationRole.MEMBER,
        "pt_BR",
    ),
    (
        "diego@gobiernoabierto.example",
        "Diego Hernández",
        Role.MEMBER,
        "observatorio-gobierno-abierto-mx",
        OrganisationRole.ADMIN,
        "es",
    ),
    (
        "sofia@gobiernoabierto.example",
        "Sofía López",
        Role.MEMBER,
        "observatorio-gobierno-abierto-mx",
        OrganisationRole.MEMBER,
        "es",
    ),
    (
        "andre@privacidade.example",
        "André Lima",
        Role.MEMBER,
        "instituto-privacidade-sp",
        OrganisationRole.ADMIN,
        "pt_BR",
    ),
    (
        "kerry@caribbeanopen.example",
        "Kerry-Ann Brown",
        Role.MEMBER,
        "caribbean-open-institute",
        OrganisationRole.ADMIN,
        "en",
    ),
    (
        "valentina@laboratoriocivico.example",
        "Valentina Soto",
        Role.MEMBER,
        "laboratorio-civico-cl",
        OrganisationRole.ADMIN,
        "es",
    ),
]


def load() -> int:
    created = _load_organisations() + _load_people()
    db.session.flush()
    for loader in _loaders:
        created += loader()
        db.session.flush()
    return created


def _load_organisations() -> int:
    existing = set(db.session.scalars(sa.select(Organisation.slug)))
    created = 0
    for slug, name, country, city, zone, kind, focus, website, member in ORGANISATIONS:
        if slug in existing:
            continue
        db.session.add(
            Organisation(
                slug=slug,
                name=name,
                country=country,
                city=city,
                timezone=zone,
                kind=kind,
                focus_areas=focus,
                website=website,
                is_consortium_member=member,
                verified_at=utcnow(),
                description=_describe(name, kind, member),
            )
        )
        created += 1
    return created


def _describe(name: str, kind: OrganisationKind, member: bool) -> str:
    if member:
        return f"{name} is one of the three organisations that run the consortium."
    return f"{name}: a {kind.value.replace('_', ' ')} organisation working on digital public infrastructure."


def _load_people() -> int:
    existing = set(db.session.scalars(sa.select(User.email)))
    organisations = {o.slug: o for o in db.session.scalars(sa.select(Organisation))}
    password_hash = hash_password(PASSWORD)  # hashed once: Argon2 is slow on purpose
    created = 0
    for email, name, role, slug, org_role, locale in PEOPLE:
        if email in existing:
            continue
        user = User(
            email=email,
            name=name,
            role=role,
            password_hash=password_hash,
            locale=locale,
            email_verified_at=utcnow(),
        )
        if role is not Role.MEMBER:
            user.totp_secret, user.totp_enabled_at = STAFF_TOTP_SECRET, utcnow()
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, organisation_id=organisations[slug].id, role=org_role))
        created += 1
    return created


def demo_user(email: str) -> User:
    """For feature loaders: a kernel demo person by e-mail."""
    return db.session.scalar(sa.select(User).where(User.email == email))


def demo_organisation(slug: str) -> Organisation:
    return db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
