"""Creating a training is audited with the new training's id, in the row and in its named event."""

from __future__ import annotations

from datetime import timedelta

from consortium import transaction
from consortium.db import utcnow
from tests.audit_rows import creates_of, events_of
from tests.factories import OrganisationFactory, UserFactory
from trainings.models import ApprovalMode, Modality, TrainingState
from trainings.services import create_training


def test_a_created_training_is_audited_with_its_id(db):
    organiser, staff = OrganisationFactory(is_consortium_member=True), UserFactory(staff=True)
    start = utcnow().replace(microsecond=0) + timedelta(days=10)
    with transaction.writing(), transaction.action():
        training = create_training(
            by=staff,
            sessions=[(start, start + timedelta(hours=2))],
            organiser_id=organiser.id,
            title={"es": "Formación"},
            summary={"es": "Resumen."},
            language="es",
            instruction_language="es",
            modality=Modality.ONLINE,
            timezone="America/Bogota",
            capacity=10,
            approval=ApprovalMode.AUTOMATIC,
            state=TrainingState.PUBLISHED,
            topics=["dpi_basics"],
            online_url="https://meet.example.org/room",
        )
    assert creates_of(training) == [str(training.id)]
    assert events_of(training, "trainings.training_created") == [str(training.id)]
