"""The pages `make bench` measures, and the seeded records they point at."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from tests.bench.lua import json_post_lua, registration_lua

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
IN_PROCESS_TOKENS = 60  # the last seeded people register in-process; wrk uses the others


@dataclass
class Page:
    name: str
    path: str
    # "anonymous"; "member" or "staff": the seeded bench member or staff member, signed in;
    # "token": seeded people's API tokens
    who: str = "anonymous"
    lua: str = ""  # extra wrk Lua (method, body, headers, per-request paths) for write requests
    target: float = 0.10  # issue 14: every page at least 0.10x hello with the page cache off

    @property
    def cacheable(self) -> bool:
        """Only anonymous GET pages can be answered by the page cache."""
        return self.who == "anonymous" and not self.lua


def pages(t: dict) -> list[Page]:
    """The measured pages, for the ids in ``t`` (see ``targets``)."""
    return [
        Page("in-app minimal (/healthz)", "/healthz"),
        Page("home", "/"),
        Page("log-in form", "/login"),
        Page("organisations list", "/organisations"),
        Page("home (signed in)", "/", "member"),
        Page("my home (signed in)", "/home", "member"),
        Page("account (signed in)", "/account", "member"),
        Page("trainings catalogue", "/trainings"),
        Page("trainings catalogue (signed in)", "/trainings", "member"),
        Page("training page", f"/trainings/{t['training']}"),
        Page("registration form", f"/trainings/{t['training']}/register", "member"),
        Page(
            "registration (API POST, new person each time)",
            f"/api/v1/trainings/{t['training']}/registrations",
            "token",
            lua=registration_lua(t["tokens"][:-IN_PROCESS_TOKENS]),
            target=0.05,
        ),
        Page("library list", "/library"),
        Page("library guide", f"/library/es/{t['guide']}"),
        Page("library search 'informacion'", "/library?q=informacion", target=0.05),
        Page("library search 'identificacao' (pt_BR)", "/library?q=identificacao&lang=pt_BR", target=0.05),
        Page(
            "wizard step O3 (24 items)",
            f"/safeguards/assessments/{t['draft']}/steps/O3",
            "member",
            target=0.05,
        ),
        Page(
            "autosave (JSON POST, same answer)",
            f"/safeguards/assessments/{t['draft']}/answers/O3.1",
            "member",
            lua=json_post_lua(json.dumps(t["autosave"])),
        ),
        Page("submit summary", f"/safeguards/assessments/{t['draft']}/submit", "member", target=0.05),
        Page("results (team draft)", f"/safeguards/assessments/{t['draft']}/results", "member", target=0.05),
        Page("results (published, public)", f"/safeguards/assessments/{t['published']}/results", target=0.05),
        Page("staff home (what waits)", "/home", "staff"),
        Page("staff review queue", "/safeguards/review", "staff"),
        Page("staff item conversations", "/safeguards/threads", "staff"),
        Page("governance spaces", "/governance"),
        Page("roadmap tracker (public)", f"/safeguards/roadmaps/{t['roadmap']}/public"),
        Page("roadmap tracker (public, signed in)", f"/safeguards/roadmaps/{t['roadmap']}/public", "member"),
        Page("roadmap (team)", f"/safeguards/roadmaps/{t['roadmap']}", "member"),
        Page("roadmap action (team)", f"/safeguards/roadmap-actions/{t['action']}", "member"),
        Page("governance space", f"/governance/spaces/{t['space']}"),
        Page("governance space (seat holder)", f"/governance/spaces/{t['space']}", "member"),
        Page("consultation", f"/governance/consultations/{t['consultation']}"),
        Page("consultation (seat holder)", f"/governance/consultations/{t['consultation']}", "member"),
    ]


def targets(app) -> dict:
    """Ids of seeded records to measure, looked up in-process before the servers start."""
    import sqlalchemy as sa

    from consortium import transaction
    from consortium.db import db
    from consortium.governance.models import Consultation, Space
    from consortium.library.models import ResourceVersion
    from consortium.seed import BENCH_MEMBER
    from consortium.users.models import User
    from consortium.users.services import create_api_token
    from safeguards.models import Assessment, Pilot
    from safeguards.roadmap.models import Action, Roadmap
    from trainings.models import Registration, Training

    found: dict = {}
    with app.app_context(), transaction.writing(), transaction.action():
        found["training"] = db.session.scalar(
            sa.select(Training.id).where(Training.trainers == "bench").order_by(Training.id).limit(1)
        )
        found["guide"] = db.session.scalar(
            sa.select(ResourceVersion.slug).where(
                ResourceVersion.language == "es", ResourceVersion.slug.like("identidad-digital%")
            )
        )
        pilots = dict(
            db.session.execute(
                sa.select(Pilot.title, Pilot.id).where(Pilot.title.in_(["Bench pilot 0", "Bench pilot 1"]))
            ).all()
        )
        assessments = dict(
            db.session.execute(
                sa.select(Assessment.pilot_id, Assessment.id).where(Assessment.pilot_id.in_(pilots.values()))
            ).all()
        )
        found["draft"] = assessments[pilots["Bench pilot 0"]]
        found["published"] = assessments[pilots["Bench pilot 1"]]
        found["roadmap"] = db.session.scalar(
            sa.select(Roadmap.id).where(Roadmap.assessment_id == found["published"])
        )
        found["action"] = db.session.scalar(
            sa.select(Action.id).where(Action.roadmap_id == found["roadmap"]).order_by(Action.id).limit(1)
        )
        found["space"], found["consultation"] = db.session.execute(
            sa.select(Space.id, Consultation.id)
            .join(Consultation, Consultation.space_id == Space.id)
            .where(Space.slug == "bench-space-0")
        ).one()
        # Only people the seed did not register already: every measured POST registers someone new.
        registered = sa.select(Registration.user_id).where(Registration.training_id == found["training"])
        people = db.session.scalars(
            sa.select(User)
            .where(
                User.email.like("bench-%@example.org"), User.email != BENCH_MEMBER, User.id.not_in(registered)
            )
            .order_by(User.id)
        ).all()
        found["tokens"] = [create_api_token(person, "bench")[1] for person in people]
    found["autosave"] = saved_answer(app, found["draft"], "O3.1")
    return found


def fresh_code() -> str:
    """The bench staff member's code from a time step no earlier sign-in used: the site refuses a code
    twice (replay), so wait for the next 30 s step (at most 30 s, once per sign-in)."""
    import time

    import pyotp

    from consortium.seed import BENCH_TOTP_SECRET

    time.sleep(30 - time.time() % 30 + 0.2)
    return pyotp.TOTP(BENCH_TOTP_SECRET).now()


def sign_in_client(app, *, staff: bool = False):
    """A test client signed in as the bench member, or the bench staff member with their second factor
    (https: production cookies are Secure)."""
    from consortium.seed import BENCH_MEMBER, BENCH_PASSWORD, BENCH_STAFF

    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    email = BENCH_STAFF if staff else BENCH_MEMBER
    answer = client.post("/login", data={"csrf_token": token, "email": email, "password": BENCH_PASSWORD})
    if answer.headers.get("Location", "").endswith("/login/verify"):
        token = csrf_of(client, "/login/verify")
        client.post("/login/verify", data={"csrf_token": token, "code": fresh_code()})
    return client


def csrf_of(client, page: str) -> str:
    return CSRF.search(client.get(page).get_data(as_text=True)).group(1)


def saved_answer(app, assessment_id: int, process: str) -> dict:
    """The item as saved, with its version: sending it back unchanged is the autosave heartbeat (validated,
    compared, nothing written). Read from the database, so an item the seed left unanswered works too
    (a save based on version 0 would simply succeed then, with no 409 to learn the version from).
    """
    import sqlalchemy as sa

    from consortium.db import db
    from safeguards import framework as fw
    from safeguards.models import Answer

    with app.app_context():
        answer = db.session.scalar(
            sa.select(Answer)
            .join(Answer.process)
            .where(Answer.assessment_id == assessment_id, fw.Process.code == process)
        )
        return {
            field: getattr(answer, field)
            for field in ("choice", "evidence", "justification", "links", "confidence", "version")
        }
