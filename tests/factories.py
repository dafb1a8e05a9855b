"""One factory per model; flush-only, so a test decides when to commit."""

from __future__ import annotations

import factory
import pyotp
from factory.alchemy import SQLAlchemyModelFactory

from consortium.db import db, utcnow
from consortium.organisations.models import Membership, Organisation, OrganisationKind, OrganisationRole
from consortium.permissions import Role
from consortium.users.models import User
from consortium.users.passwords import hash_password

PASSWORD = "Correcto-Caballo-Bateria-42"


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - factory_boy wants a callable
        sqlalchemy_session_persistence = "flush"


class UserFactory(Base):
    class Meta:
        model = User

    class Params:
        staff = factory.Trait(
            role=Role.STAFF,
            totp_secret=factory.LazyFunction(pyotp.random_base32),
            totp_enabled_at=factory.LazyFunction(utcnow),
        )
        admin = factory.Trait(
            role=Role.ADMIN,
            totp_secret=factory.LazyFunction(pyotp.random_base32),
            totp_enabled_at=factory.LazyFunction(utcnow),
        )

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))
    role = Role.MEMBER
    locale = "es"
    email_verified_at = factory.LazyFunction(utcnow)


class OrganisationFactory(Base):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organización {n}")
    country = "CO"
    city = "Bogotá"
    timezone = "America/Bogota"
    kind = OrganisationKind.DIGITAL_RIGHTS
    focus_areas = factory.LazyFunction(lambda: ["digital_identity"])
    verified_at = factory.LazyFunction(utcnow)


class MembershipFactory(Base):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = OrganisationRole.MEMBER
