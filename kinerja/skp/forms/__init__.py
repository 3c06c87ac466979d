"""Forms of the plan (SKP) pages, by noun. They only parse what people type; the rules (target
shapes, supported results, states, periods, evidence types) live in :mod:`kinerja.skp.services`,
whose ``ValidationError`` the views put back on the fields named here
(:func:`~kinerja.core.forms.errors_to_form`)."""

from .binding import SCOPE_OWN, SCOPE_UNIT, IkiBindingForm
from .matrix import MatrixForm, TemplateApplyForm, TemplateForm
from .plan import (
    AttachmentForm,
    EndForm,
    ExpectationsForm,
    ReturnForm,
    StartForm,
    TransferForm,
)
from .reports import EvidenceForm, RealisationForm
from .results import (
    IKI_ROWS,
    IkiRowForm,
    RhkForm,
    filled_rows,
    iki_initial,
    iki_rows,
    indicator_errors_to_rows,
    rows_valid,
)

__all__ = [
    "IKI_ROWS",
    "SCOPE_OWN",
    "SCOPE_UNIT",
    "AttachmentForm",
    "EndForm",
    "EvidenceForm",
    "ExpectationsForm",
    "IkiBindingForm",
    "IkiRowForm",
    "MatrixForm",
    "RealisationForm",
    "ReturnForm",
    "RhkForm",
    "StartForm",
    "TemplateApplyForm",
    "TemplateForm",
    "TransferForm",
    "filled_rows",
    "iki_initial",
    "iki_rows",
    "indicator_errors_to_rows",
    "rows_valid",
]
