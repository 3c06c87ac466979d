"""The evaluation document (``evaluations:pdf``) in the format of PermenPANRB 6/2022 Anak
Lampiran 4: "Capaian Kinerja Organisasi", "Pola Distribusi" (the unit's predicates against the
curve of its organisation predicate, with the curve's words), the column "Umpan Balik
Berkelanjutan Berdasarkan Bukti Dukung" (the rater's feedback up to the rating, on each result
and core value) and a functional employee's credit-point entries."""

import pytest
from django.urls import reverse

from kinerja.evaluations import documents
from kinerja.evaluations import services as evaluation_services
from kinerja.evaluations.models import Evaluation, EvaluationSetting
from kinerja.skp.rules import behaviour_values
from kinerja.skp.tests.factories import verified_realisation
from kinerja.skp.tests.support import (
    YEAR_2026_OPEN,
    document_plan,
    label,
    needs_pdftotext,
    pdf_text,
)

pytestmark = pytest.mark.django_db

FEEDBACK = "Rekap kunjungan lansia sudah lengkap dengan bukti foto"
VALUE_FEEDBACK = "Ramah dan sabar kepada pasien lansia"


@pytest.fixture
def quarter(cast):
    plan = document_plan(cast)
    main = plan.results.get(kind="utama")
    post = evaluation_services.feedback_post
    first = post(skp=plan, by=cast.rater, rhk=main, text=FEEDBACK, tag="appreciation")
    post(
        skp=plan,
        by=cast.rater,
        value=behaviour_values(2026)[0],
        text=VALUE_FEEDBACK,
        tag="appreciation",
    )
    post(skp=plan, by=cast.employee, parent=first, text="Terima kasih, Pak")  # a reply
    count = main.indicators.order_by("number").first()
    verified_realisation(iki=count, period="2026-Q1", value="330", by=cast.employee)
    evaluation_services.org_predicate_set(
        unit=plan.unit, period="2026-Q1", predicate="Istimewa", by=cast.rater_superior
    )
    evaluation = evaluation_services.evaluation_rate(
        skp=plan, by=cast.rater, period="2026-Q1", results_rating="meets", behaviour_rating="meets"
    )
    post(
        skp=plan, by=cast.rater, rhk=main, text="Sesudah penilaian", tag="improvement"
    )  # after the rating
    return evaluation


def document(cast, evaluation):
    loaded = documents.document_evaluations(Evaluation.objects).get(pk=evaluation.pk)
    return documents.evaluation_document(loaded, viewer=cast.rater)


def test_the_feedback_column_holds_the_raters_feedback_up_to_the_rating(cast, quarter):
    doc = document(cast, quarter)
    main = doc.groups[0].rows[0]
    assert main.feedback == [FEEDBACK]
    assert [line.feedback for line in doc.behaviour][:2] == [[VALUE_FEEDBACK], []]
    html = documents.evaluation_html(doc)
    assert html.count("Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung") == 2
    assert FEEDBACK in html and VALUE_FEEDBACK in html
    assert "Terima kasih, Pak" not in html and "Sesudah penilaian" not in html


#: (reading of "sebagian besar", the rule's words, broken?) — one Baik of one: 0 % Sangat Baik
READINGS = [
    ("more_than_half", "more than half %(group)s", True),
    ("most_frequent", "%(group)s is the most frequent predicate", True),
]


@pytest.mark.parametrize(("majority", "words", "broken"), READINGS)
def test_the_distribution_shows_the_units_predicates_against_the_curve(
    cast, quarter, majority, words, broken
):
    EvaluationSetting.objects.update_or_create(
        valid_from=2026, defaults={"curve_majority": majority}
    )
    distribution = document(cast, quarter).distribution
    assert (distribution.org_predicate, distribution.total) == ("Istimewa", 1)
    counts = {line.predicate: (line.count, line.share) for line in distribution.lines}
    assert counts["Baik"] == (1, "100,0") and counts["Sangat Baik"] == (0, "0,0")
    most = distribution.rules[0]
    assert (most.text, most.broken) == (label(words) % {"group": "Sangat Baik"}, broken)
    html = documents.evaluation_html(document(cast, quarter))
    assert "Pola Distribusi" in html and "Capaian Kinerja Organisasi" in html
    assert distribution.majority_text in html.replace("&#x27;", "'")


def test_a_functional_employees_annual_document_lists_the_credit_entries(cast):
    plan = document_plan(cast)
    evaluation = evaluation_services.evaluation_rate(
        skp=plan, by=cast.rater, period="2026", results_rating="meets", behaviour_rating="meets",
        now=YEAR_2026_OPEN,
    )  # fmt: skip
    doc = document(cast, evaluation)
    assert doc.functional
    assert [(r.period, r.months, r.result_text) for r in doc.credit_rows] == [
        ("Tahunan 2026", 12, "5,00")
    ]
    html = documents.evaluation_html(doc)
    assert 'id="evaluation-credit"' in html and "Tahunan 2026" in html


@needs_pdftotext
def test_the_pdf_reads_the_new_sections(client_for, cast, quarter, tmp_path):
    response = client_for(cast.rater).get(
        reverse("evaluations:pdf", kwargs={"evaluation_id": quarter.pk})
    )
    text = pdf_text(response.content, tmp_path)
    for fragment in ("Capaian Kinerja Organisasi", "Pola Distribusi", "Istimewa",
                     "Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung", FEEDBACK):  # fmt: skip
        # section titles are printed in capitals (the document's style), so compare casefolded
        assert fragment.casefold() in text.casefold(), fragment
