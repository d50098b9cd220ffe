"""Which partners a partner's users may refetch as a public profile (id, name, roles).

Issue 18: a partner's users saw the leaser, resellers and referrers named in their own
contracts but got null from `node(id:)`/`partner(id:)` for them. A partner's users now read the
public profile of every partner they are in business with: one they share a contract with (in
any status), a financing agreement, a credit line, a partner program, or an accepted reseller
link or enrolment (`services/relations.py`: the resellers a publisher may name). Everything else
about a partner (its identifiers, agreements, balances) stays its own users' and leaser staff's.
"""

from __future__ import annotations

from collections.abc import Iterator

from channelfin.domain.access import Principal
from channelfin.domain.incentives.credit_lines import CreditLine
from channelfin.domain.partners import Partner
from channelfin.services.paging import all_items
from channelfin.services.ports import Ports


def in_business_with(ports: Ports, own: str, other: str) -> bool:
    """Whether `own` and `other` share a contract, an agreement, a credit line or a program, cheapest check first."""
    if any(other in (a.partner_id, a.leaser_id) for a in ports.partners.agreements_of(own)):
        return True
    if ports.relations.related(own, other) or ports.relations.related(other, own):  # an accepted link or enrolment
        return True
    for publisher, member in ((own, other), (other, own)):
        for program in ports.programs.programs_of(publisher):
            if any(e.partner_id == member for e in ports.programs.enrollments_of(program.id)):
                return True
    if any(other in (line.distributor_id, line.reseller_id) for line in _credit_lines(ports, own)):
        return True
    return ports.contracts.shares_contract(own, other)


def _credit_lines(ports: Ports, partner_id: str) -> Iterator[CreditLine]:
    """The partner's credit lines, as distributor then as reseller."""
    yield from all_items(lambda page: ports.incentives.lines_of(partner_id, as_distributor=True, page=page))
    yield from all_items(lambda page: ports.incentives.lines_of(partner_id, as_distributor=False, page=page))


def sees_profile(ports: Ports, principal: Principal, partner: Partner) -> bool:
    """Whether the caller may read `partner`'s public profile (its own partner and staff read all of it)."""
    if principal.can_see_partner(partner.id):
        return True
    own = principal.partner_id
    if own is None or not principal.acts_for(own):
        return False
    return in_business_with(ports, own, partner.id)
