"""The plan (SKP) pages, by noun: a plan's page, starting one and its evidence downloads
(:mod:`.plan`), its workflow (:mod:`.workflow`), changing it (:mod:`.edit`, :mod:`.binding`),
realisations and evidence (:mod:`.report`), the role-result matrix (:mod:`.matrix`), a rater's
team (:mod:`.team`) and the official documents (:mod:`.documents`). "Kinerja saya", which also
shows the evaluations, is the evaluation app's (:mod:`kinerja.evaluations.views.mine`).

Views only parse, call and render: plans come through ``Skp.objects.visible_to`` (404
otherwise, :func:`kinerja.core.access.visible_or_404`), rights come from
:mod:`kinerja.skp.permissions` (403 otherwise), changes go through :mod:`kinerja.skp.services`,
whose ``ValidationError`` is shown on the form that caused it. Every page makes a bounded
number of queries whatever the number of results, indicators, feedback or ratings (tests
assert it).
"""
