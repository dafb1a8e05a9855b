"""The safeguards' audit codes, named for the log (``consortium.audit.labels``)."""

from consortium.i18n import N_

ACTIONS = {
    "safeguards.pilot_created": N_("Pilot created"),
    "safeguards.member_added": N_("Pilot member added"),
    "safeguards.member_removed": N_("Pilot member removed"),
    "safeguards.scope_set": N_("Assessment scope set"),
    "safeguards.assessment_started": N_("Assessment started"),
    # one per state an assessment moves to (safeguards.workflow)
    "safeguards.assessment_draft": N_("Assessment reopened as a draft"),
    "safeguards.assessment_submitted": N_("Assessment submitted for review"),
    "safeguards.assessment_changes_requested": N_("Changes requested on an assessment"),
    "safeguards.assessment_approved": N_("Assessment approved"),
    "safeguards.assessment_published": N_("Assessment published"),
}
OBJECTS = {
    "safeguards_pilots": N_("Pilot"),
    "safeguards_pilot_members": N_("Pilot member"),
    "safeguards_assessments": N_("Assessment"),
    "safeguards_answers": N_("Assessment answer"),
    "safeguards_systems": N_("DPI system"),
    "safeguards_frameworks": N_("Framework"),
}
