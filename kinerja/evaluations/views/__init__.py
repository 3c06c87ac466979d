"""Evaluation pages, by noun: the rater's overview (:mod:`.home`), the rating screen
(:mod:`.rate`), self-assessment (:mod:`.self_assessment`), objections (:mod:`.objection`),
feedback (:mod:`.feedback`), development plans (:mod:`.development`), the organisation
predicate with the curve (:mod:`.unit`), the completion monitor (:mod:`.completion`), the
agency's rhythm (:mod:`.rhythm`), "Kinerja saya" (:mod:`.mine`) and the evaluation's
documents (:mod:`.documents`).

Views only parse, call and render: plans come through ``Skp.objects.visible_to`` (404
otherwise, :func:`kinerja.core.access.visible_or_404`), changes go through
:mod:`kinerja.evaluations.services`, whose ``PermissionDenied`` is a 403 and whose
``ValidationError`` is shown on the field it names.
"""
