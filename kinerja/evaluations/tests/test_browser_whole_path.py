"""In a real browser, the whole path of issue 5 for each persona involved, each signing in
through the sign-in page: the employee starts last year's plan on "Kinerja saya", adds a
result supporting the rater's result with a quantity and a quality indicator and submits it;
the rater approves; a colleague gives feedback that the employee answers; the employee enters
the first quarter's realisations and assesses herself; the rater sees the suggested rating
with its numbers, rates below/meets ("Butuh Perbaikan"), fills and agrees the development
plan it opened, and rates the year; the employee agrees to the plan and objects; the rater's
superior changes the predicate to "Baik", which the employee then reads on "Kinerja saya".

The plan is of last year so that every period has begun (the agency keeps the default
quarterly rhythm). The pages are switched to English once, on the sign-in page, as a person
would with the language menu: the test then reads the msgids, which do not depend on the
Indonesian catalogue; the regulation's own words (the predicates, "Sesuai Ekspektasi") are
Indonesian in both languages. At the end the database must hold every transition of the plan
and an audit record, through the web door and by the right person, for every step."""

from urllib.parse import urlsplit

import pytest

from kinerja.accounts.models import User
from kinerja.core import audit
from kinerja.core.models import AuditRecord
from kinerja.evaluations.models import DevelopmentPlan, Evaluation, Feedback, Objection
from kinerja.skp import services as skp_services
from kinerja.skp.models import IkiRealisation, Skp
from kinerja.testing.browser import nav_link, sign_in

from .support import ANNUAL, Q1, YEAR

pytestmark = pytest.mark.browser

RATER_RESULT = "Meningkatnya cakupan pelayanan kesehatan dasar di Puskesmas Plaju"
RESULT = "Terlaksananya asuhan keperawatan pasien rawat jalan"
FEEDBACK = "Catat kunjungan pasien lebih rapi"
REPLY = "Siap, mulai pekan ini saya rapikan"
SELF = "Kunjungan melampaui target; pencatatan perlu dirapikan"
DUE = f"30/06/{YEAR + 1}"


@pytest.fixture
def cast_in_english(cast_live):
    cast = cast_live
    # Everyone on this path reads English: each chose it once, and the choice is kept on the
    # account (the pages follow it, never the browser: kinerja/accounts/middleware.py).
    User.objects.filter(pk__in=[u.pk for u in cast.users.values()]).update(language="en")
    return cast


def on_path(page, path: str) -> None:
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def sign_out(page) -> None:
    page.locator("#main-nav .account button[type=submit]").click()
    page.wait_for_url("**/masuk/**")


def nav_to(page, label: str, path: str) -> None:
    nav_link(page, label, exact=True).click()
    on_path(page, path)


def messages_of(page) -> str:
    return page.locator("#main .messages").inner_text()


def state_of(page, where: str = "#skp-state") -> str:
    return page.locator(f"{where} .skp-state").first.get_attribute("data-state")


def rater_plan(cast):
    """The rater's approved plan with one main result, built through the services."""
    rater = cast.users["rater"]
    skp = skp_services.skp_create(
        employee=cast.employees["rater"], year=YEAR, approach="kuantitatif", by=rater
    )
    rhk = skp_services.rhk_add(
        skp=skp, by=rater, kind="utama", text=RATER_RESULT,
        indicators=[{"aspect": "kuantitas", "text": "Cakupan pelayanan", "target": "95",
                     "unit": "%"}],
    )  # fmt: skip
    skp_services.skp_submit(skp=skp, by=rater)
    skp_services.skp_approve(skp=skp, by=cast.users["rater_superior"])
    return rhk


def test_the_whole_path_from_plan_to_the_decided_objection(cast_in_english, page):
    cast = cast_in_english
    employee, rater, colleague = cast.employee, cast.rater, cast.colleague
    superior = cast.rater_superior
    rater_rhk = rater_plan(cast)

    # The product speaks Indonesian by default; a visitor may switch the pages to English (and
    # a signed-in person reads the language saved on the account, English here).
    page.goto("/masuk/")
    assert page.locator("html").get_attribute("lang") == "id"
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"

    # 1. The employee starts last year's plan on "Kinerja saya".
    sign_in(page, employee, shows_name=True)
    nav_to(page, "My performance", "/kinerja-saya/")
    page.select_option("#year-input", str(YEAR))
    page.locator("#year-form button[type=submit]").click()
    page.wait_for_url(f"**/kinerja-saya/?year={YEAR}")
    assert f"You have no plan for {YEAR} yet" in page.locator("#my-plan").inner_text()
    page.select_option("#id_approach", "kuantitatif")
    page.locator("#start-plan").click()
    skp = Skp.objects.get(employee=cast.employees["employee"], year=YEAR)
    detail = f"/skp/{skp.pk}/"
    on_path(page, detail)
    assert "Your plan has been started" in messages_of(page)
    assert f"SKP {YEAR} — Siti Aminah" in page.locator("#skp-title").inner_text()
    assert "dr. Ahmad Fauzi" in page.locator("#identity-rater").inner_text()
    assert "Rina Marlina" in page.locator("#identity-superior").inner_text()
    assert state_of(page) == "draft"

    # A main result supporting the rater's, with a quantity target and a quality range.
    page.locator("#rhk-add").click()
    on_path(page, f"/skp/{skp.pk}/rhk/baru/")
    page.select_option("#id_kind", "utama")
    page.locator("#id_text").fill(RESULT)
    assert RATER_RESULT in page.locator("#id_supports").inner_text()
    page.select_option("#id_supports", str(rater_rhk.pk))
    assert page.locator("#iki-1").is_hidden()
    page.select_option("#id_iki-0-aspect", "kuantitas")
    page.locator("#id_iki-0-text").fill("Jumlah pasien yang dilayani")
    page.locator("#id_iki-0-target").fill("1200")
    page.locator("#id_iki-0-unit").fill("pasien")
    page.locator("[data-iki-more]").click()
    assert page.locator("#iki-1").is_visible()
    page.select_option("#id_iki-1-aspect", "kualitas")
    page.locator("#id_iki-1-text").fill("Kepuasan pasien")
    page.locator("#id_iki-1-target").fill("80-90")
    page.locator("#id_iki-1-unit").fill("%")
    page.locator("#rhk-save").click()
    on_path(page, detail)
    rhk = skp.results.get()
    count_iki, quality_iki = rhk.indicators.order_by("number")
    result = page.locator(f"#rhk-{rhk.pk}")
    assert f"A1. {RESULT}" in result.locator(".rhk-text").inner_text()
    assert f"A1. {RATER_RESULT}" in result.locator(".supports").inner_text()
    count_row = result.locator(f"#iki-{count_iki.pk}").inner_text()
    assert "Jumlah pasien yang dilayani" in count_row and "pasien" in count_row
    assert "1200" in count_row.replace(",", "").replace(".", "")
    assert "80–90 %" in result.locator(f"#iki-{quality_iki.pk} .iki-target").inner_text()
    assert page.locator("#checks").count() == 0  # the result names the rater's result
    page.locator("#skp-submit").click()
    on_path(page, detail)
    assert "submitted to the rater" in messages_of(page)
    assert state_of(page) == "submitted"
    assert page.locator("#skp-submit").count() == 0
    sign_out(page)

    # 2. The rater finds the plan among the pending ones of last year and approves it.
    sign_in(page, rater, shows_name=True)
    page.goto(f"/skp/tim/?year={YEAR}")
    pending = page.locator("#team-pending")
    assert "Siti Aminah" in pending.inner_text()
    pending.locator("a.team-plan-link").click()
    on_path(page, detail)
    assert RATER_RESULT in page.locator(f"#rhk-{rhk.pk} .supports").inner_text()
    page.locator("#skp-approve").click()
    on_path(page, detail)
    assert "The plan has been approved" in messages_of(page)
    assert state_of(page) == "approved"
    history = page.locator("#history .transition")
    assert [history.nth(i).get_attribute("data-to") for i in range(history.count())] == [
        "draft",
        "submitted",
        "approved",
    ]
    sign_out(page)

    # 3. The colleague (a peer) gives feedback on the result, tagged "improvement".
    feedback_url = f"/penilaian/skp/{skp.pk}/umpan-balik/"
    sign_in(page, colleague, shows_name=True)
    page.goto(feedback_url)
    assert page.locator("#feedback-role").inner_text() == "peer"
    assert "Jumlah pasien yang dilayani" not in page.content()  # no targets for a peer
    page.select_option("#id_fb-about", f"rhk-{rhk.pk}")
    page.check("input[name=fb-tag][value=improvement]")
    page.locator("#id_fb-text").fill(FEEDBACK)
    page.locator("#feedback-send").click()
    page.wait_for_url("**#thread-*")
    thread = page.locator(f"#feedback-results #rhk-{rhk.pk} .thread").first
    assert FEEDBACK in thread.inner_text()
    assert "improvement" in thread.locator(".tag-improvement").inner_text()
    sign_out(page)

    # The employee reads it on "Kinerja saya" and replies.
    sign_in(page, employee, shows_name=True)
    page.goto(f"/kinerja-saya/?year={YEAR}")
    received = page.locator("#feedback").inner_text()
    assert FEEDBACK in received and "Dewi Lestari" in received and "improvement" in received
    page.locator("#feedback .feedback-link").click()
    on_path(page, feedback_url)
    thread = page.locator(f"#feedback-results #rhk-{rhk.pk} .thread").first
    thread.locator("summary").click()
    thread.locator("textarea").fill(REPLY)
    thread.locator("button[type=submit]").click()
    page.wait_for_url("**#thread-*")
    replies = page.locator(f"#feedback-results #rhk-{rhk.pk} .feedback-reply")
    assert REPLY in replies.inner_text() and "Siti Aminah" in replies.inner_text()

    # 4. The first quarter's realisations, then the self-assessment.
    page.goto(detail)
    page.locator("#skp-realisation-link").click()
    on_path(page, f"/skp/{skp.pk}/realisasi/")
    for iki, value, note in [(count_iki, "330", "Rekap loket"), (quality_iki, "85", "")]:
        page.select_option("#id_r-iki", str(iki.pk))
        page.select_option("#id_r-period", Q1)
        page.locator("#id_r-value").fill(value)
        page.locator("#id_r-note").fill(note)
        page.locator("#realisation-save").click()
        page.wait_for_url(f"**#iki-{iki.pk}")
        cell = page.locator(f'#iki-{iki.pk} td[data-period="{Q1}"]')
        assert value in cell.locator(".period-value").inner_text().replace(",", "")
    assert "Rekap loket" in page.locator(f'#iki-{count_iki.pk} td[data-period="{Q1}"]').inner_text()
    page.goto(f"/penilaian/?year={YEAR}")
    mine = page.locator(f"#my-period-{Q1}")
    mine.get_by_role("link", name="write").click()
    on_path(page, f"/penilaian/skp/{skp.pk}/{Q1}/mandiri/")
    realised = page.locator("#self-values").inner_text()
    # Not verified yet: the values are shown without an achievement.
    assert "Jumlah pasien yang dilayani: 330" in realised and "110" not in realised
    page.locator("#id_text").fill(SELF)
    page.locator("#self-save").click()
    on_path(page, f"/penilaian/skp/{skp.pk}/{Q1}/mandiri/")
    assert "Saved on" in page.locator("#self-form-card").inner_text()
    sign_out(page)

    # 5. The rater opens the rating of the first quarter and sees the suggestion and numbers.
    sign_in(page, rater, shows_name=True)
    nav_to(page, "Performance evaluation", "/penilaian/")
    page.select_option("#year-select", str(YEAR))
    page.locator("#year-form button[type=submit]").click()
    page.wait_for_url(f"**/penilaian/?year={YEAR}")
    assert "Siti Aminah" in page.locator(f"#rated-{skp.pk}").inner_text()
    page.locator(f"#cell-{skp.pk}-{Q1}").click()
    rate_q1 = f"/penilaian/skp/{skp.pk}/{Q1}/"
    on_path(page, rate_q1)
    assert "Siti Aminah" in page.locator("#rate-title").inner_text()
    # The values await the rater's verification; verified, they count.
    for iki in (count_iki, quality_iki):
        assert "not counted yet" in page.locator(f"#iki-{iki.pk}").inner_text()
        with page.expect_navigation():
            page.locator(f"#iki-{iki.pk} .verify-form button[value=verify]").click()
        on_path(page, rate_q1)
    suggested = page.locator("#suggested-rating")
    assert suggested.get_attribute("data-rating") == "meets"
    assert "Sesuai Ekspektasi" in suggested.inner_text()
    numbers = page.locator("#suggestion-results").inner_text()  # the result: 110 % and 100 %
    assert "105 %" in numbers
    reasons = page.locator("#suggestion-reasons").inner_text()
    assert "No main result is below expectation." in reasons
    rule = page.locator("#suggestion-rule").inner_text()
    assert "mean of its measured indicators" in rule and "capped at 120 %" in rule
    assert "110" in page.locator(f"#iki-{count_iki.pk} .iki-achievement").inner_text()
    assert "Rekap loket" in page.locator(f"#iki-{count_iki.pk}").inner_text()
    assert SELF in page.locator("#self-assessment").inner_text()
    page.locator(f"#rhk-{rhk.pk} .feedback-box summary").click()
    threads = page.locator(f"#rhk-{rhk.pk} .feedback-box").inner_text()
    assert FEEDBACK in threads and REPLY in threads
    page.check("input[name=results_rating][value=below]")
    page.check("input[name=behaviour_rating][value=meets]")
    page.locator("#id_note").fill("Rapikan pencatatan kunjungan")
    page.locator("#rating-save").click()
    # the summary to confirm; nothing is recorded before "Record the rating"
    assert "Butuh Perbaikan" in page.locator("#confirm-summary").inner_text()
    assert "only be changed by a correction" in page.locator("#confirm-warning").inner_text()
    page.locator("#confirm-save").click()
    on_path(page, rate_q1)
    assert page.locator("#evaluation-predicate .predicate").inner_text() == "Butuh Perbaikan"
    chosen = page.locator("#evaluation-results").inner_text()
    assert "Below expectation" in chosen and "suggested: Meets expectation" in chosen
    assert "Meets expectation" in page.locator("#evaluation-behaviour").inner_text()
    assert f"TW I {YEAR}" in page.locator("#development-link").inner_text()

    # 6. The development plan the predicate opened: a training with owner and due date.
    page.locator("#development-link").click()
    page.wait_for_url("**/penilaian/pengembangan/*/")
    development_url = urlsplit(page.url).path
    assert page.locator("#development-state").get_attribute("data-state") == "draft"
    assert "No action yet" in page.locator("#development-actions").inner_text()
    page.select_option("#id_act-kind", "training")
    page.locator("#id_act-description").fill("Pelatihan pencatatan rekam medis elektronik")
    page.locator("#id_act-owner").fill("Kepala Puskesmas Plaju")
    page.locator("#id_act-due_on").fill(DUE)
    page.locator("#action-save").click()
    on_path(page, development_url)
    actions = page.locator("#development-actions tbody").inner_text()
    for text in ["training", "Pelatihan pencatatan", "Kepala Puskesmas Plaju", DUE]:
        assert text in actions
    page.locator("#agree-button").click()
    on_path(page, development_url)
    assert page.locator("#agreed-rater").inner_text() != "—"
    assert page.locator("#agreed-employee").inner_text() == "—"
    assert page.locator("#development-state").get_attribute("data-state") == "draft"

    # 7. The annual rating, from the overview.
    page.goto(f"/penilaian/?year={YEAR}")
    page.locator(f"#cell-{skp.pk}-{ANNUAL}").click()
    rate_year = f"/penilaian/skp/{skp.pk}/{ANNUAL}/"
    on_path(page, rate_year)
    page.check("input[name=results_rating][value=below]")
    page.check("input[name=behaviour_rating][value=meets]")
    page.locator("#rating-save").click()
    page.locator("#confirm-save").click()
    on_path(page, rate_year)
    assert page.locator("#evaluation-predicate .predicate").inner_text() == "Butuh Perbaikan"
    assert "12 months" in page.locator("#evaluation-credit").inner_text()  # a nurse (JF)
    assert "Possible until" in page.locator("#objection-info").inner_text()
    sign_out(page)

    # The employee agrees to the development plan and objects to the annual predicate.
    sign_in(page, employee, shows_name=True)
    page.goto(development_url)
    page.locator("#agree-button").click()
    on_path(page, development_url)
    assert page.locator("#development-state").get_attribute("data-state") == "agreed"
    assert page.locator("#agreed-employee").inner_text() != "—"
    page.goto(f"/penilaian/?year={YEAR}")
    annual_row = page.locator("#my-period-annual")
    assert "Butuh Perbaikan" in annual_row.inner_text()
    annual_row.locator("#my-objection-link").click()
    page.wait_for_url("**/keberatan/")
    assert "14 days" in page.locator("#objection-deadline").inner_text()
    page.locator("#id_reason").fill("Kunjungan Desember belum dihitung dalam rekap")
    page.locator("#id_evidence").fill("Rekap kunjungan Desember")
    page.locator("#objection-send").click()
    page.wait_for_url("**/penilaian/keberatan/*/")
    objection = Objection.objects.get(evaluation__skp=skp)
    assert urlsplit(page.url).path == f"/penilaian/keberatan/{objection.pk}/"
    assert "belum dihitung" in page.locator("#objection-reason").inner_text()
    assert "Butuh Perbaikan" in page.locator("#objection-before").inner_text()
    assert "Awaiting the decision" in page.locator("#decision-pending").inner_text()
    sign_out(page)

    # The rater's superior changes the predicate, with reasons and the new ratings.
    sign_in(page, superior, shows_name=True)
    page.goto(f"/penilaian/?year={YEAR}")
    link = page.locator(f"#pending-objection-{objection.pk}")
    assert "Siti Aminah" in link.inner_text() and "Butuh Perbaikan" in link.inner_text()
    link.click()
    on_path(page, f"/penilaian/keberatan/{objection.pk}/")
    page.check("input[name=outcome][value=changed]")
    page.locator("#id_reason").fill("Data Desember lengkap, target tercapai")
    page.check("input[name=results_rating][value=meets]")
    page.check("input[name=behaviour_rating][value=meets]")
    page.locator("#decision-save").click()
    on_path(page, f"/penilaian/keberatan/{objection.pk}/")
    assert page.locator("#decision-predicate .predicate").inner_text() == "Baik"
    assert "changed" in page.locator("#decision-outcome").inner_text()
    assert "Data Desember lengkap" in page.locator("#decision-reason").inner_text()
    sign_out(page)

    # The employee reads the final predicate "Baik" on "Kinerja saya".
    sign_in(page, employee, shows_name=True)
    nav_to(page, "My performance", "/kinerja-saya/")
    page.select_option("#year-input", str(YEAR))
    page.locator("#year-form button[type=submit]").click()
    page.wait_for_url(f"**/kinerja-saya/?year={YEAR}")
    assert state_of(page, "#my-plan") == "final"
    annual = Evaluation.objects.get(skp=skp, period=ANNUAL)
    quarter = Evaluation.objects.get(skp=skp, period=Q1)
    annual_rating = page.locator(f"#rating-{annual.pk}")
    assert annual_rating.locator(".predicate").inner_text() == "Baik"
    assert "annual" in annual_rating.inner_text()
    assert page.locator(f"#rating-{quarter.pk} .predicate").inner_text() == "Butuh Perbaikan"
    development = DevelopmentPlan.objects.get(skp=skp)
    plan_box = page.locator(f"#development-{development.pk}").inner_text()
    assert "Pelatihan pencatatan" in plan_box and DUE in plan_box and "agreed" in plan_box
    sign_out(page)

    # The database: the plan's transitions, the ratings kept with the suggestion, and an
    # audit record for every step, through the web door, by the person who took it.
    skp.refresh_from_db()
    assert skp.state == "final"
    users = {u.pk: key for key, u in cast.users.items()}
    transitions = [
        (t.from_state, t.to_state, users.get(t.by_id)) for t in skp.transitions.order_by("at", "pk")
    ]
    assert transitions == [
        ("", "draft", "employee"),
        ("draft", "submitted", "employee"),
        ("submitted", "approved", "rater"),
        ("approved", "evaluating", "rater"),
        ("evaluating", "rated", "rater"),
        ("rated", "objected", "employee"),
        ("objected", "final", "rater_superior"),
    ]
    assert (quarter.results_rating, quarter.suggested_results) == ("below", "meets")
    assert (annual.results_rating, annual.behaviour_rating, annual.state) == (
        "meets",
        "meets",
        "final",
    )
    assert rhk.supports_id == rater_rhk.pk
    assert IkiRealisation.objects.filter(iki__rhk=rhk, period=Q1).count() == 2
    assert Feedback.objects.filter(skp=skp, parent__isnull=False).get().text == REPLY

    records = [
        (r.action, r.object_type, users.get(r.actor_id))
        for r in AuditRecord.objects.filter(channel="web").order_by("seq")
        if r.object_type.split(".")[0] in {"skp", "evaluations"}
    ]
    assert records == [
        ("create", "skp.skp", "employee"),
        ("create", "skp.rhk", "employee"),
        ("transition", "skp.skp", "employee"),
        ("transition", "skp.skp", "rater"),
        ("create", "evaluations.feedback", "colleague"),
        ("create", "evaluations.feedback", "employee"),
        ("create", "skp.ikirealisation", "employee"),
        ("create", "skp.ikirealisation", "employee"),
        ("create", "evaluations.selfassessment", "employee"),
        ("verify", "skp.ikirealisation", "rater"),
        ("verify", "skp.ikirealisation", "rater"),
        ("rate", "evaluations.evaluation", "rater"),
        ("transition", "skp.skp", "rater"),
        ("create", "evaluations.developmentplan", "rater"),
        ("create", "evaluations.developmentaction", "rater"),
        ("agree", "evaluations.developmentplan", "rater"),
        ("rate", "evaluations.evaluation", "rater"),
        ("transition", "skp.skp", "rater"),
        ("agree", "evaluations.developmentplan", "employee"),
        ("transition", "skp.skp", "employee"),
        ("object", "evaluations.objection", "employee"),
        ("transition", "skp.skp", "rater_superior"),
        ("decide", "evaluations.objection", "rater_superior"),
    ]
    decided = AuditRecord.objects.get(action="decide", object_type="evaluations.objection")
    assert decided.before["predicate"] == "Butuh Perbaikan"
    assert decided.after["predicate"] == "Baik"
    assert audit.verify().ok
