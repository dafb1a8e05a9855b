"""The trainings' audit codes, named for the log (``consortium.audit.labels``)."""

from consortium.i18n import N_

ACTIONS = {
    "trainings.registered": N_("Registered for a training"),
    "trainings.registration_approved": N_("Registration approved"),
    "trainings.registration_promoted": N_("Moved from the waiting list"),
    "trainings.report_created": N_("Training report sent"),
    "trainings.report_verified": N_("Training report verified"),
    "trainings.training_cancelled": N_("Training cancelled"),
    "trainings.training_created": N_("Training created"),
    "trainings.training_published": N_("Training published"),
    "trainings.training_updated": N_("Training changed"),
}
OBJECTS = {
    "trainings": N_("Training"),
    "training_sessions": N_("Training session"),
    "registrations": N_("Registration"),
    "attendances": N_("Attendance"),
    "certificates": N_("Certificate"),
    "dissemination_reports": N_("Training report"),
}
