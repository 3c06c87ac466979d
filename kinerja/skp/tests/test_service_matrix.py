"""The role-result matrix (``services/matrix.py``): ``matrix_assign`` hands one result to many
subordinates split by volume and refuses someone the owner does not rate; ``template_save`` and
``template_apply`` give a template to every holder of the position."""

import pytest
from django.core.exceptions import ValidationError

from kinerja.skp import services
from kinerja.skp.models import Skp

from .support import draft_2026

pytestmark = pytest.mark.django_db


def test_the_matrix_hands_one_result_to_many_subordinates_split_by_volume(cast):
    rater_plan = draft_2026(cast, "rater")
    result = rater_plan.results.get()
    created = services.matrix_assign(
        rhk=result,
        by=cast.rater,
        assignments=[(cast.employees["employee"], "120"), (cast.employees["colleague"], "180")],
    )
    assert [r.skp.employee for r in created] == [
        cast.employees["employee"],
        cast.employees["colleague"],
    ]
    assert [r.indicators.get().target for r in created] == [120, 180]
    assert all(r.supports == result for r in created)


def test_the_matrix_refuses_someone_not_rated_by_the_owner_and_stores_nothing(cast):
    rater_plan = draft_2026(cast, "rater")
    with pytest.raises(ValidationError):
        services.matrix_assign(
            rhk=rater_plan.results.get(),
            by=cast.rater,
            assignments=[(cast.employees["employee"], None), (cast.employees["pengelola"], None)],
        )
    assert not Skp.objects.filter(employee=cast.employees["employee"]).exists()


def test_a_template_is_applied_to_every_holder_of_the_position(cast):
    template = services.template_save(
        owner=cast.employees["rater"],
        position=cast.positions["perawat"],
        by=cast.rater,
        kind="utama",
        text="Asuhan keperawatan",
        indicators=[{"aspect": "kuantitas", "text": "Pasien", "target": "100", "unit": "pasien"}],
    )
    created = services.template_apply(template=template, year=2026, by=cast.rater)
    assert sorted(r.skp.employee.name for r in created) == sorted(
        [cast.employees["employee"].name, cast.employees["colleague"].name]
    )
    assert created[0].indicators.get().target == 100
