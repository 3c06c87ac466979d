"""The SKP in the form of PermenPANRB 6/2022 (identities, the results grouped A. Utama /
B. Tambahan with their indicators and targets, the behaviour table, the attachment and the
signature blocks) — :func:`skp_document` → :func:`skp_html` → :func:`render_pdf`; and the
rendering of any document's HTML as PDF with WeasyPrint.

Data is read through the one door (``Skp.objects.visible_to``) by the callers; the functions
here take what the caller may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation

from kinerja.organizations.models import Region

from ..models import Rhk, Skp
from .common import (
    APPROACH_NAMES,
    ASPECT_NAMES,
    DOCUMENT_LANGUAGE,
    UNAPPROVED_STATES,
    BehaviourLine,
    IkiLine,
    Person,
    RhkGroup,
    SignedDocument,
    behaviour_lines,
    long_date,
    place_of,
    rater_person,
    result_groups,
    safe_filename,
    target_text,
)

# --- The SKP ---------------------------------------------------------------------------------


@dataclass
class SkpDocument(SignedDocument):
    skp: Skp
    region: Region
    place: str
    period_text: str
    approach: str
    employee: Person
    rater: Person | None
    groups: list[RhkGroup]
    behaviour: list[BehaviourLine]
    signed_on: str
    printed_at: datetime

    @property
    def filename(self) -> str:
        return safe_filename(f"skp-{self.skp.year}-{self.skp.employee.nip}-{self.skp.pk}", "pdf")

    @property
    def approved(self) -> bool:
        """Approved by the rater (and perhaps rated since); otherwise the form is a draft."""
        return self.skp.approved_at is not None and self.skp.state not in UNAPPROVED_STATES


def document_plans(queryset):
    """Plans with what their documents print about them (one query)."""
    return queryset.select_related(
        "employee__unit",
        "employee__position",
        "unit__agency__region",
        "rater__unit",
        "rater__position",
        "rater_superior__unit",
        "rater_superior__position",
    )


def _plan_lines(rhk: Rhk) -> list[IkiLine]:
    return [
        IkiLine(i.number, ASPECT_NAMES.get(i.aspect, i.aspect), i.text, target_text(i))
        for i in sorted(rhk.indicators.all(), key=lambda i: i.number)
    ]


def skp_document(skp: Skp, *, now: datetime | None = None) -> SkpDocument:
    """What the SKP form prints, for a plan loaded with :func:`document_plans`. A bounded
    number of queries (results, indicators, expectations, values)."""
    region = skp.unit.agency.region
    ends_on = skp.ends_on or date(skp.year, 12, 31)
    signed = skp.approved_at or skp.submitted_at or now or timezone.now()
    return SkpDocument(
        skp=skp,
        region=region,
        place=place_of(region),
        period_text=f"{long_date(skp.starts_on)} s.d. {long_date(ends_on)}",
        approach=APPROACH_NAMES.get(skp.approach, skp.approach),
        employee=Person.of(skp.employee, position=skp.position_name, unit=skp.unit.name),
        rater=rater_person(skp, skp.rater),
        groups=result_groups(skp, _plan_lines),
        behaviour=behaviour_lines(skp),
        signed_on=long_date(signed),
        printed_at=now or timezone.now(),
    )


def skp_html(document: SkpDocument) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string("skp/documents/skp.html", {"doc": document})
