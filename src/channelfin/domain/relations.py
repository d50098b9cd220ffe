"""Consent between partners: who agreed to deal with whom.

A partner named on another's contract (its reseller or introducer), or a seller whose licence
sales a vendor reports, has agreed to a relationship with that publisher or vendor: an
accepted enrolment in one of its partner programs (seed 001), or an accepted reseller link.
Either side's partner-admin asks for a link; only the other side's partner-admin answers it.
An enrolment is answered by the enrolled partner's partner-admin. Both start `PENDING` and
are answered once, `ACCEPTED` or `DECLINED`; until then nothing is attributed, counted or
charged. A declined link may be asked for again (it is then `PENDING` anew).

Each acceptance leaves a `Relation` between the publisher and the partner: the one thing
checked when a contract names the partner or a sale of it is reported.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from channelfin.domain.error_codes import CommonCode, ConsentCode, PartnerCode
from channelfin.domain.errors import Conflict, ValidationError
from channelfin.domain.partners import Partner, PartnerRole

# The partners a vendor reports licence sales of (seed 002): resellers and IT services firms.
SELLER_ROLES = frozenset({PartnerRole.RESELLER, PartnerRole.SERVICES_FIRM})


class ConsentStatus(enum.Enum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


def answer(status: ConsentStatus, *, accept: bool, what: str) -> ConsentStatus:
    """The answer to a pending request; a request is answered once."""
    if status is not ConsentStatus.PENDING:
        raise Conflict(
            f"this {what} is {status.value.lower()} already: it is answered once",
            code=ConsentCode.ALREADY_ANSWERED,
        )
    return ConsentStatus.ACCEPTED if accept else ConsentStatus.DECLINED


@dataclass(frozen=True, slots=True)
class ResellerLink:
    """A publisher (or vendor) and a reseller that agree to deal: one per pair, asked by one side,
    answered by the other."""

    id: str
    publisher_id: str
    reseller_id: str
    status: ConsentStatus
    requested_by_partner: str  # the side that asked: publisher_id or reseller_id
    requested_by: str  # the user who asked
    requested_at: datetime
    answered_by: str | None = None
    answered_at: datetime | None = None
    version: int = 1

    @staticmethod
    def id_for(publisher_id: str, reseller_id: str) -> str:
        return f"{publisher_id}.{reseller_id}"

    @classmethod
    def request(cls, *, publisher: Partner, reseller: Partner, by_partner: str, by: str, at: datetime) -> ResellerLink:
        if not publisher.has_role(PartnerRole.PUBLISHER):
            raise ValidationError(
                "a reseller link is with a publisher", code=PartnerCode.NOT_A_PUBLISHER, field=["publisherId"]
            )
        if publisher.id == reseller.id:
            raise ValidationError(
                "a publisher does not link with itself", code=CommonCode.SAME_PARTNER, field=["resellerId"]
            )
        if not reseller.roles & SELLER_ROLES:
            raise ValidationError(
                "the reseller side is a reseller or an IT services firm",
                code=PartnerCode.NOT_A_RESELLER,
                field=["resellerId"],
            )
        return cls(
            id=cls.id_for(publisher.id, reseller.id),
            publisher_id=publisher.id,
            reseller_id=reseller.id,
            status=ConsentStatus.PENDING,
            requested_by_partner=by_partner,
            requested_by=by,
            requested_at=at,
        )

    @property
    def answering_partner(self) -> str:
        """The side that answers: the one that did not ask."""
        return self.reseller_id if self.requested_by_partner == self.publisher_id else self.publisher_id

    def requested_again(self, *, by_partner: str, by: str, at: datetime) -> ResellerLink:
        """A declined link asked for anew; a pending or accepted one is there already."""
        if self.status is not ConsentStatus.DECLINED:
            raise Conflict(
                f"these partners have a {self.status.value.lower()} link already",
                code=ConsentCode.LINK_EXISTS,
                field=["resellerId"],
            )
        return replace(
            self,
            status=ConsentStatus.PENDING,
            requested_by_partner=by_partner,
            requested_by=by,
            requested_at=at,
            answered_by=None,
            answered_at=None,
            version=self.version + 1,
        )

    def answered(self, *, accept: bool, by: str, at: datetime) -> ResellerLink:
        status = answer(self.status, accept=accept, what="reseller link")
        return replace(self, status=status, answered_by=by, answered_at=at, version=self.version + 1)


@dataclass(frozen=True, slots=True)
class Relation:
    """A publisher (or vendor) and a partner that agreed to deal with each other, and how."""

    publisher_id: str
    partner_id: str
    partner_roles: frozenset[PartnerRole]
    source: str  # "LINK" or "ENROLLMENT#<id>"
    since: datetime

    @classmethod
    def of_link(cls, link: ResellerLink, reseller: Partner) -> Relation:
        assert link.status is ConsentStatus.ACCEPTED and link.answered_at is not None
        return cls(link.publisher_id, link.reseller_id, reseller.roles, "LINK", link.answered_at)

    @classmethod
    def of_enrollment(cls, publisher_id: str, partner: Partner, enrollment_id: str, at: datetime) -> Relation:
        return cls(publisher_id, partner.id, partner.roles, f"ENROLLMENT#{enrollment_id}", at)
