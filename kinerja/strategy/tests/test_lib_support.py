"""The sample organisational-performance data the page tests build with the services
(``tests/support.py``) reads as the page tests expect."""

from __future__ import annotations

from decimal import Decimal

from .support import build_sample


def test_the_sample_reads_as_the_page_tests_expect(cast):
    from kinerja.strategy.selectors import indicator_results

    sample = build_sample(cast)
    indicators = [sample.response, sample.visits, sample.share, sample.occupancy]
    results = indicator_results(indicators, sample.year)
    assert results[sample.response.pk].annual.achievement_pct == Decimal("110.00")
    assert results[sample.visits.pk].annual.achievement_pct == Decimal("100.00")
    assert results[sample.share.pk].annual.realisation == Decimal(120)
    assert results[sample.occupancy.pk].annual.achievement_pct == Decimal("100.00")
    assert results[sample.response.pk].annual.band.label == "Sangat Baik"
