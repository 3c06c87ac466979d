"""The worklist (``kinerja.portal.tasks``): each kind of task appears for the person who must
act, and for nobody else; it leaves the list once done; overdue first; a bounded number of
queries whatever the number of tasks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kinerja.core.actors import SYSTEM
from kinerja.evaluations import services as evaluations
from kinerja.evaluations.tests.coaching_support import open_item
from kinerja.evaluations.tests.support import YEAR, annual_rating, objection_filed, plan
from kinerja.portal.tasks import KINDS, PROVIDERS, first_tasks, tasks_for
from kinerja.portal.tasks.base import Task, sort_key
from kinerja.skp import services as skp_services
from kinerja.skp.rules import plan_deadline
from kinerja.skp.tests.support import draft, submitted, this_year
from kinerja.strategy import services as strategy
from kinerja.strategy.models import AgreementState, PerformanceAgreement

pytestmark = pytest.mark.django_db

PERSONAS = [
    "employee", "colleague", "rater", "rater_superior", "head", "pengelola", "other_head",
    "outsider", "admin", "auditor",
]  # fmt: skip


def kinds_by_persona(cast, kind: str, today: date | None = None) -> dict[str, list[Task]]:
    """Who has a task of ``kind``, and which."""
    found = {}
    for who in PERSONAS:
        mine = [t for t in tasks_for(cast.users[who], today) if t.kind == kind]
        if mine:
            found[who] = mine
    return found


def holders(cast, kind: str, today: date | None = None) -> set[str]:
    return set(kinds_by_persona(cast, kind, today))


# --- Plans ----------------------------------------------------------------------------------


def test_a_draft_is_the_employees_task_to_submit_by_the_plan_deadline(cast):
    skp = draft(cast)
    [item] = kinds_by_persona(cast, "plan_submit")["employee"]
    assert holders(cast, "plan_submit") == {"employee"}
    assert (item.url, item.object_id) == (f"/skp/{skp.pk}/", str(skp.pk))
    assert item.due == plan_deadline(this_year())


def test_a_returned_plan_is_the_employees_task_again(cast):
    skp = submitted(cast)
    assert holders(cast, "plan_submit") == set()
    skp_services.skp_return(skp=skp, by=cast.rater, reason="Target belum sesuai")
    with translation.override("en"):
        [item] = kinds_by_persona(cast, "plan_submit")["employee"]
    assert item.object_id == str(skp.pk)
    assert item.title == f"Correct your {skp.year} plan and submit it again"


def test_a_submitted_plan_is_the_raters_task_to_approve_until_approved(cast):
    skp = submitted(cast)
    [item] = kinds_by_persona(cast, "plan_approve")["rater"]
    assert holders(cast, "plan_approve") == {"rater"}
    assert item.url == f"/skp/{skp.pk}/"
    skp_services.skp_approve(skp=skp, by=cast.rater)
    assert holders(cast, "plan_approve") == set()


# --- Values to verify -----------------------------------------------------------------------


def test_an_iki_value_waits_for_the_plans_rater_only(cast):
    skp = plan(cast)
    iki = skp.results.get().indicators.order_by("number").first()
    value = skp_services.realisation_record(
        iki=iki, period=f"{YEAR}-Q1", value="300", by=cast.employee
    )
    [item] = kinds_by_persona(cast, "realisation_verify")["rater"]
    assert holders(cast, "realisation_verify") == {"rater"}
    assert item.object_id == f"iki:{value.pk}"
    assert item.url == f"/skp/{skp.pk}/realisasi/#iki-{iki.pk}"
    assert item.due == date(YEAR, 4, 5)  # the periodic deadline of the quarter
    skp_services.realisation_verify(realisation=value, by=cast.rater, accept=True)
    assert holders(cast, "realisation_verify") == set()


def _iku(cast, code: str, owner=None):
    return strategy.indicator_save(
        by=SYSTEM,
        agency=cast.dinkes,
        values={
            "code": code, "name": f"Indikator {code}", "unit_of_measure": "%",
            "polarity": "higher_is_better", "aggregation": "average",
            "owner_position": owner,
        },
    )  # fmt: skip


@pytest.mark.parametrize(
    ("owner", "entered_by", "verifier"),
    [
        ("perawat", "employee", "rater"),  # the holder's rater
        (None, "pengelola", "head"),  # no owning position: the agency head
    ],
)
def test_an_iku_value_waits_for_its_verifier_only(cast, owner, entered_by, verifier):
    position = cast.positions[owner] if owner else None
    indicator = _iku(cast, "IKU-07", position)
    value = strategy.realisation_record(
        by=cast.users[entered_by], indicator=indicator, year=YEAR, month=3, value=Decimal(90)
    )
    [item] = kinds_by_persona(cast, "realisation_verify")[verifier]
    assert holders(cast, "realisation_verify") == {verifier}
    assert item.object_id == f"iku:{value.pk}"
    assert item.url == f"/kinerja-organisasi/indikator/{indicator.pk}/?year={YEAR}#month-3"
    strategy.realisation_verify(realisation=value, by=cast.users[verifier], accept=True)
    assert holders(cast, "realisation_verify") == set()


# --- Ratings and objections -----------------------------------------------------------------


def test_a_period_open_for_rating_is_the_raters_task_and_only_while_it_is_open(cast):
    skp = plan(cast)
    in_q1_window = date(YEAR, 4, 2)
    items = kinds_by_persona(cast, "period_rate", in_q1_window)
    assert set(items) == {"rater"}
    [item] = items["rater"]
    assert item.url == f"/penilaian/skp/{skp.pk}/{YEAR}-Q1/"
    assert (item.due, item.overdue) == (date(YEAR, 4, 5), False)  # the 5th of the next month
    # long past (closed) or not yet open: no task
    assert holders(cast, "period_rate", date(YEAR, 4, 6)) == set()
    assert holders(cast, "period_rate", date(YEAR, 3, 30)) == set()
    evaluations.evaluation_rate(
        skp=skp, by=cast.rater, period=f"{YEAR}-Q1", results_rating="meets",
        behaviour_rating="meets",
    )  # fmt: skip
    assert holders(cast, "period_rate", in_q1_window) == set()


def test_an_objection_waits_for_the_raters_superior_then_for_the_raters_explanation(cast):
    objection = objection_filed(cast, annual_rating(cast))
    [item] = kinds_by_persona(cast, "objection_decide")["rater_superior"]
    assert holders(cast, "objection_decide") == {"rater_superior"}
    assert item.url == f"/penilaian/keberatan/{objection.pk}/"
    assert holders(cast, "objection_explain") == set()

    evaluations.objection_explanation_request(objection=objection, by=cast.rater_superior)
    [item] = kinds_by_persona(cast, "objection_explain")["rater"]
    assert holders(cast, "objection_explain") == {"rater"}
    objection.refresh_from_db()
    assert item.due == objection.explanation_due
    # while the explanation is awaited, the superior cannot decide: no task
    assert holders(cast, "objection_decide") == set()

    evaluations.objection_explain(objection=objection, by=cast.rater, text="Data sudah lengkap")
    assert holders(cast, "objection_explain") == set()
    assert holders(cast, "objection_decide") == {"rater_superior"}


# --- Development, agreements, feedback ------------------------------------------------------


def _development(cast, actions: int = 1):
    skp = plan(cast)
    development = evaluations.development_open(skp=skp, by=cast.rater, goal="Ketelitian")
    for n in range(actions):
        evaluations.development_action_add(
            plan=development, by=cast.rater, kind="training", description=f"Pelatihan {n + 1}",
            owner="Kepala Puskesmas", due_on=date(YEAR, 6, 30),
        )  # fmt: skip
    return development


def test_a_development_plan_waits_for_each_partys_agreement_then_its_actions_are_due(cast):
    development = _development(cast)
    agree = kinds_by_persona(cast, "agreement_agree")
    assert set(agree) == {"employee", "rater"}
    assert agree["employee"][0].url == f"/penilaian/pengembangan/{development.pk}/"
    assert agree["employee"][0].due == date(YEAR, 6, 30)
    evaluations.development_agree(plan=development, by=cast.employee)
    assert holders(cast, "agreement_agree") == {"rater"}
    assert holders(cast, "development_action") == set()
    evaluations.development_agree(plan=development, by=cast.rater)
    assert holders(cast, "agreement_agree") == set()

    due = kinds_by_persona(cast, "development_action", date(YEAR, 7, 1))
    assert set(due) == {"employee", "rater"}  # the employee does it, the rater follows it up
    assert all(item.overdue for items in due.values() for item in items)
    evaluations.development_follow_up(
        plan=development, by=cast.rater, text="Selesai", done=[development.actions.get().pk]
    )
    assert holders(cast, "development_action") == set()


def test_a_submitted_performance_agreement_waits_for_the_agency_head(cast):
    agreement = strategy.agreement_for(cast.dinkes, YEAR, create=True)
    PerformanceAgreement.objects.filter(pk=agreement.pk).update(state=AgreementState.SUBMITTED)
    [item] = kinds_by_persona(cast, "agreement_agree")["head"]
    assert holders(cast, "agreement_agree") == {"head"}
    assert item.url == f"/kinerja-organisasi/DINKES/pk/{YEAR}/"
    PerformanceAgreement.objects.filter(pk=agreement.pk).update(state=AgreementState.AGREED)
    assert holders(cast, "agreement_agree") == set()


def _feedback(cast, skp, text="Catatan kunjungan perlu rapi"):
    return evaluations.feedback_post(
        skp=skp, by=cast.rater, text=text, tag="improvement", rhk=skp.results.get()
    )


def test_feedback_on_my_plan_waits_for_my_reply(cast):
    skp = plan(cast)
    thread = _feedback(cast, skp)
    [item] = kinds_by_persona(cast, "feedback_reply")["employee"]
    assert holders(cast, "feedback_reply") == {"employee"}
    assert item.url == f"/penilaian/skp/{skp.pk}/umpan-balik/#thread-{thread.pk}"
    evaluations.feedback_post(skp=skp, by=cast.employee, text="Siap", parent=thread)
    assert holders(cast, "feedback_reply") == set()


# --- The list as a whole --------------------------------------------------------------------


def test_overdue_first_then_by_due_date_then_without_a_date():
    items = [
        Task("feedback_reply", "A", None, "/a", "1", False),
        Task("period_rate", "B", date(2026, 7, 5), "/b", "2", False),
        Task("plan_submit", "C", date(2026, 1, 31), "/c", "3", True),
        Task("period_rate", "D", date(2026, 6, 5), "/d", "4", False),
    ]
    assert [t.title for t in sorted(items, key=sort_key)] == ["C", "D", "B", "A"]


# --- Coaching -------------------------------------------------------------------------------


def test_an_open_coaching_item_is_the_raters_task_until_answered(cast):
    item = open_item(cast)
    found = kinds_by_persona(cast, "coaching")
    assert set(found) == {"rater"}
    [one] = found["rater"]
    assert (one.url, one.object_id, one.due) == (
        f"/penilaian/pendampingan/{item.pk}/",
        str(item.pk),
        item.due_on,
    )
    evaluations.coaching_dismiss(item=item, by=cast.rater, reason="Sedang cuti")
    assert holders(cast, "coaching") == set()


def test_the_short_list_shows_every_kind_first_so_an_undated_objection_is_not_hidden():
    dated = [
        Task("realisation_verify", f"V{i}", date(2026, 11, i), f"/v{i}", str(i), True)
        for i in range(1, 7)
    ]
    objection = Task("objection_decide", "O", None, "/o", "9", False)
    tasks = sorted([*dated, objection], key=sort_key)
    assert [t.title for t in tasks[:5]] == ["V1", "V2", "V3", "V4", "V5"]
    assert [t.title for t in first_tasks(tasks, 5)] == ["V1", "V2", "V3", "V4", "O"]
    assert [t.title for t in first_tasks(tasks[:3], 5)] == ["V1", "V2", "V3"]
    assert first_tasks([], 5) == []


def test_every_kind_is_documented_and_coaching_is_one():
    assert "coaching" in KINDS
    assert len(PROVIDERS) >= 10


def test_nobody_signed_in_and_the_system_have_no_tasks(cast):
    assert tasks_for(AnonymousUser()) == []
    assert tasks_for(SYSTEM) == []


def _queries(user, today) -> int:
    with CaptureQueriesContext(connection) as captured:
        tasks_for(user, today)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_tasks(cast):
    development = _development(cast, actions=2)
    skp = development.skp
    for n in range(2):
        _feedback(cast, skp, f"Catatan {n}")
    today = date(YEAR, 4, 2)
    few_employee, few_rater = _queries(cast.employee, today), _queries(cast.rater, today)
    assert len(tasks_for(cast.employee, today)) == 2 + 1  # two threads, one plan to agree
    for n in range(2, 20):
        evaluations.development_action_add(
            plan=development, by=cast.rater, kind="mentoring", description=f"Pendampingan {n}",
            owner="Kepala Puskesmas", due_on=date(YEAR, 6, 30),
        )  # fmt: skip
        _feedback(cast, skp, f"Catatan {n}")
    evaluations.development_agree(plan=development, by=cast.employee)
    evaluations.development_agree(plan=development, by=cast.rater)
    assert len(tasks_for(cast.employee, today)) == 20 + 20  # threads and actions
    assert _queries(cast.employee, today) <= few_employee
    assert _queries(cast.rater, today) <= few_rater
