"""What the API tests of evaluations share (no tests here): rating, objecting and deciding
through the API. The client with the personas' tokens: ``kinerja/skp/tests/api_support.py``."""


def rate(api, user, skp, period="2026-Q1", results="meets", behaviour="meets", **extra):
    body = {"period": period, "results_rating": results, "behaviour_rating": behaviour, **extra}
    return api.post(user, f"/api/v1/skp/{skp.pk}/evaluations", body)


def object_to(api, user, evaluation, **body):
    body = {"reason": "Realisasi Desember belum dihitung"} | body
    return api.post(user, f"/api/v1/evaluations/{evaluation.pk}/objection", body)


def decide(api, user, objection_id, **body):
    body = {"outcome": "upheld", "reason": "Data sudah lengkap"} | body
    return api.post(user, f"/api/v1/objections/{objection_id}/decision", body)
