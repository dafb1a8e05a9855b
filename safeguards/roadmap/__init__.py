"""The safeguards roadmap: from an approved assessment to a prioritised, tracked action plan (issue 15).

- ``models``: roadmaps, their rated candidates (priorities), actions, milestones and frozen versions
- ``candidates``: which items of the assessment are candidates, pre-sorted; the priority matrix
- ``planning``: the team's ratings and choices, starting a roadmap, validation and revisions (versions)
- ``actions``: actions and milestones, their states (row-locked), the automatic "delayed" run
- ``policies``: who sees and changes what, registered with the kernel's one permission layer
- ``forms``: the pages' forms
"""
