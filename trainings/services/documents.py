"""Files a training hands out: certificates (code, PDF, public URL) and the iCalendar file."""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from flask_babel import force_locale
from flask_babel import gettext as _

from consortium.calendar import CalendarEvent
from consortium.calendar import ics as calendar_file
from consortium.i18n import normalise_language
from consortium.mail import public_url
from consortium.reference.countries import country_name
from trainings.models import (
    Certificate,
    Modality,
    Training,
    TrainingState,
)

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def certificate_url(certificate: Certificate) -> str:
    return public_url("trainings.verify_certificate", code=certificate.code)


def _font_path() -> Path | None:
    for candidate in (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    ):
        if candidate.exists():
            return candidate
    return None


def certificate_text(certificate: Certificate) -> dict[str, str]:
    """What the certificate says, in the participant's language (the PDF lays it out)."""
    registration = certificate.registration
    training = registration.training
    person = registration.user
    language = normalise_language(person.locale) or "es"
    url = certificate_url(certificate)
    with force_locale(language):
        title, _lang = training.text("title", language)
        return {
            "heading": _("Certificate of completion"),
            "certifies": _("This certifies that"),
            "name": person.name,
            "completed": _("completed the training"),
            "title": title,
            "dates": _sessions_text(training, language),
            "hours": _(
                "%(hours)s hours of training", hours=format_decimal(training_hours(training), locale=language)
            ),
            "organiser": _("Organised by %(organiser)s", organiser=training.organiser.name),
            "signer": training.trainers or training.organiser.name,
            "signature": _("Signature, for %(organiser)s", organiser=training.organiser.name),
            "code": _("Verification code: %(code)s", code=certificate.code),
            "check": _("Check it at %(url)s", url=url),
            "url": url,
        }


def certificate_pdf(certificate: Certificate) -> bytes:
    """A one-page A4 landscape certificate in the participant's language: code, URL, QR and signature."""
    import segno
    from fpdf import FPDF

    lines = certificate_text(certificate)
    url = lines.pop("url")
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(lines["heading"])
    pdf.add_page()
    font = _font_path()
    if font:
        pdf.add_font("dejavu", "", str(font))
        family = "dejavu"
    else:  # core fonts know Latin-1 only
        family = "helvetica"
        lines = {k: v.encode("latin-1", "replace").decode("latin-1") for k, v in lines.items()}
    pdf.set_draw_color(11, 85, 102)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_font(family, size=30)
    pdf.set_y(35)
    pdf.cell(0, 14, lines["heading"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=14)
    pdf.ln(6)
    pdf.cell(0, 8, lines["certifies"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=24)
    pdf.cell(0, 14, lines["name"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=14)
    pdf.cell(0, 8, lines["completed"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=18)
    pdf.multi_cell(0, 10, lines["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=12)
    pdf.cell(0, 8, f"{lines['dates']} \u00b7 {lines['hours']}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, lines["organiser"], align="C", new_x="LMARGIN", new_y="NEXT")
    # The signature line, bottom right: who answers for the training, above what the line is for.
    pdf.set_line_width(0.4)
    pdf.line(180, 178, 267, 178)
    pdf.set_font(family, size=10)
    pdf.set_xy(180, 170)
    pdf.cell(87, 6, lines["signer"], align="C")
    pdf.set_xy(180, 180)
    pdf.cell(87, 6, lines["signature"], align="C")
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=4, border=1)
    qr.seek(0)
    pdf.image(qr, x=25, y=150, w=35, h=35)
    pdf.set_xy(65, 160)
    pdf.set_font(family, size=10)
    # Beside the QR code and left of the signature (x 180): a long address wraps instead of running under it.
    pdf.multi_cell(110, 6, lines["code"], new_x="LEFT", new_y="NEXT")
    pdf.multi_cell(110, 6, lines["check"])
    return bytes(pdf.output())


def training_hours(training: Training) -> float:
    """The hours of all sessions together, to the quarter hour."""
    seconds = sum((s.ends_at - s.starts_at).total_seconds() for s in training.sessions)
    return round(seconds / 900) / 4


def _sessions_text(training: Training, language: str) -> str:
    from babel.dates import format_date

    zone = ZoneInfo(training.timezone)
    if not training.starts_at:
        return ""
    first = format_date(training.starts_at.astimezone(zone), "long", locale=language)
    last = format_date((training.ends_at or training.starts_at).astimezone(zone), "long", locale=language)
    return first if first == last else f"{first} \u2013 {last}"


# Calendar --------------------------------------------------------------------------------------


def ics(training: Training, *, with_link: bool = False, language: str = "es") -> bytes:
    """An iCalendar file with one event per session. The online link goes only to confirmed people."""
    title, _lang = training.text("title", language)
    summary, _lang = training.text("summary", language)
    page = public_url("trainings.detail", training_id=training.id)
    location = ", ".join(
        part
        for part in (
            training.venue,
            training.city,
            country_name(training.country) if training.country else "",
        )
        if part
    )
    if training.modality is Modality.ONLINE:
        location = training.online_url if with_link else "Online"
    description = summary + "\n\n" + page
    if with_link and training.online_url:
        description += "\n" + training.online_url
    total = len(training.sessions)
    events = [
        CalendarEvent(
            uid=f"training-{training.id}-session-{session.id}",
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            summary=title if total == 1 else f"{title} ({number}/{total})",
            description=description,
            location=location,
            url=page,
            cancelled=training.state is TrainingState.CANCELLED,
        )
        for number, session in enumerate(training.sessions, start=1)
    ]
    return calendar_file(events, product="Trainings")
