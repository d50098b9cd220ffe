"""Who signs for an end client: the signatory the leaser confirmed, not the address the paid party typed.

The finding (issue 17): a partner created a customer, had the documents signed at an e-mail
address it typed itself and was paid with no human involved. The signature provider asks the
signer for a code sent to that address (Yousign's `otp_email`), so whoever holds the address
signs. The leaser therefore confirms, once per end client (SIREN), who signs for it and where
to reach them, from a source the partner does not control (a call to the company's registered
number, the company registry). Signature requests go to that signatory. A file whose requests
went to an address no analyst confirmed keeps its upfront payout held until an analyst has
checked it (`releaseHeldPayout`), like a file of a publisher in default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from channelfin.domain.customers import checked_email, checked_siren
from channelfin.domain.partners import clean_name


@dataclass(frozen=True, slots=True)
class Signatory:
    siren: str
    name: str
    email: str
    confirmed_by: str
    confirmed_at: datetime

    @classmethod
    def confirm(cls, *, siren: str, name: str, email: str, by: str, at: datetime) -> Signatory:
        return cls(
            siren=checked_siren(siren, field=["registrationNumber"]),
            name=clean_name(name, field=["name"]),
            email=checked_email(email, field=["email"]),
            confirmed_by=by,
            confirmed_at=at,
        )
