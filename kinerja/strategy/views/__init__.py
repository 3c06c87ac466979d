"""Organisational performance pages, one module per noun: the agency overview
(:mod:`.overview`), the performance tree (pohon kinerja, :mod:`.tree`), the region's plan
(:mod:`.plan`), goals and strategic targets (:mod:`.goals`), the indicator form
(:mod:`.indicator_form`), an indicator with its realisations and evidence
(:mod:`.indicator`), the performance agreement (PK, :mod:`.agreement`) and the colours of
the achievement bands (:mod:`.bands`).

Views only parse, call and render: scoped objects come through their ``visible_to`` door
(:func:`kinerja.core.access.visible_or_404`, 404 otherwise); changes go through
:mod:`kinerja.strategy.services`, whose operations decide the rights (``PermissionDenied``:
403) and whose ``ValidationError`` is shown on the form that caused it. The pages read
:mod:`kinerja.strategy.permissions` only to offer what one may do (a form, a button) — and a
page that is nothing but a form (the plan's, the indicator's) is refused to whoever may not
use it.
"""
