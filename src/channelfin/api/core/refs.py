"""Lazy references to the types of each area, for fields that cross areas.

An area that shows another area's object annotates the field with one of these and builds
the object with `present`, so the areas never import one another (import-linter's
independence contract holds them to it); Strawberry resolves the names when the schema is
built.
"""

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from channelfin.api.contracts.types import Contract
    from channelfin.api.documents.types import Document
    from channelfin.api.financing.types import Financing
    from channelfin.api.ledger.types import CounterpartyBalance, LedgerEntry
    from channelfin.api.partners.types import FinancingAgreement, Partner
    from channelfin.api.payouts.types import Payout
    from channelfin.api.programs.types import Enrollment

PartnerRef = Annotated["Partner", strawberry.lazy("channelfin.api.partners.types")]
FinancingAgreementRef = Annotated["FinancingAgreement", strawberry.lazy("channelfin.api.partners.types")]
ContractRef = Annotated["Contract", strawberry.lazy("channelfin.api.contracts.types")]
FinancingRef = Annotated["Financing", strawberry.lazy("channelfin.api.financing.types")]
DocumentRef = Annotated["Document", strawberry.lazy("channelfin.api.documents.types")]
PayoutRef = Annotated["Payout", strawberry.lazy("channelfin.api.payouts.types")]
EnrollmentRef = Annotated["Enrollment", strawberry.lazy("channelfin.api.programs.types")]
CounterpartyBalanceRef = Annotated["CounterpartyBalance", strawberry.lazy("channelfin.api.ledger.types")]
LedgerEntryRef = Annotated["LedgerEntry", strawberry.lazy("channelfin.api.ledger.types")]
