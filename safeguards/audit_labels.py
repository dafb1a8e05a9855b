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
    "safeguards.roadmap_started": N_("Roadmap started"),
    "safeguards.roadmap_prioritised": N_("Roadmap priorities rated"),
    "safeguards.roadmap_validated": N_("Roadmap version validated"),
    "safeguards.roadmap_revising": N_("Roadmap revision started"),
    "safeguards.action_proposed": N_("Roadmap action proposed"),
    "safeguards.action_edited": N_("Roadmap action edited"),
    "safeguards.action_removed": N_("Roadmap action removed"),
    # one per state an owner (or the automatic run) moves an action to (safeguards.roadmap.actions)
    "safeguards.action_in_progress": N_("Roadmap action in progress"),
    "safeguards.action_completed": N_("Roadmap action completed"),
    "safeguards.action_delayed": N_("Roadmap action delayed"),
    "safeguards.action_at_risk": N_("Roadmap action at risk"),
    "safeguards.action_dropped": N_("Roadmap action dropped"),
    "safeguards.action_update_posted": N_("Roadmap progress update posted"),
    "safeguards.milestone_added": N_("Roadmap milestone added"),
    "safeguards.milestone_done": N_("Roadmap milestone done"),
    "safeguards.milestone_reopened": N_("Roadmap milestone reopened"),
    "safeguards.roadmap_reviewer_named": N_("Independent reviewer named"),
    "safeguards.roadmap_reviewer_removed": N_("Independent reviewer removed"),
    "safeguards.action_rated": N_("Roadmap action rated"),
    "safeguards.action_reminder_sent": N_("Roadmap action reminder sent"),
}
OBJECTS = {
    "safeguards_pilots": N_("Pilot"),
    "safeguards_pilot_members": N_("Pilot member"),
    "safeguards_assessments": N_("Assessment"),
    "safeguards_answers": N_("Assessment answer"),
    "safeguards_systems": N_("DPI system"),
    "safeguards_frameworks": N_("Framework"),
    "safeguards_roadmaps": N_("Roadmap"),
    "safeguards_roadmap_priorities": N_("Roadmap priority"),
    "safeguards_actions": N_("Roadmap action"),
    "safeguards_milestones": N_("Roadmap milestone"),
    "safeguards_roadmap_reviewers": N_("Independent reviewer"),
    "safeguards_action_ratings": N_("Independent rating"),
    "safeguards_action_updates": N_("Roadmap progress update"),
}
