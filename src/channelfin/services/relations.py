"""Use cases of consent between partners: reseller links, and the relation a contract or a sale needs.

A link is asked for by either side's partner-admin and answered by the other side's; nobody
else, leaser staff included, consents for a partner. Both sides and leaser staff see it.
"""

from __future__ import annotations

from channelfin.domain.access import Principal, Role, require
from channelfin.domain.error_codes import ConsentCode
from channelfin.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from channelfin.domain.partners import Partner, PartnerRole
from channelfin.domain.relations import ConsentStatus, Relation, ResellerLink
from channelfin.services.paging import Page, PageRequest
from channelfin.services.ports import Ports
from channelfin.services.retry import optimistic_update


def request_reseller_link(ports: Ports, principal: Principal, *, publisher_id: str, reseller_id: str) -> ResellerLink:
    """Ask the other side for a link (or again, after it declined)."""
    require(principal, Role.PARTNER_ADMIN, action="requestResellerLink")
    side = principal.partner_id
    if side is None or side not in (publisher_id, reseller_id):
        raise PermissionDenied("a reseller link is asked for by the partner-admin of one of its sides")
    found = ports.partners.get_many({publisher_id, reseller_id})
    for partner_id, field in ((publisher_id, "publisherId"), (reseller_id, "resellerId")):
        if partner_id not in found:
            raise NotFound("no such partner", field=[field])
    now = ports.clock()
    link = ResellerLink.request(
        publisher=found[publisher_id], reseller=found[reseller_id], by_partner=side, by=principal.sub, at=now
    )
    existing = ports.relations.get_link(link.id)
    if existing is None:
        try:
            ports.relations.add_link(link)
            return link
        except Conflict:
            existing = ports.relations.get_link(link.id)  # asked for meanwhile by the other side
            assert existing is not None
    again = existing.requested_again(by_partner=side, by=principal.sub, at=now)
    ports.relations.save_link(again, expected_version=existing.version)
    return again


def visible_link(ports: Ports, principal: Principal, link_id: str) -> ResellerLink | None:
    """Seen by both sides' users and leaser staff."""
    link = ports.relations.get_link(link_id)
    if link is None or not principal.can_see_any_of((link.publisher_id, link.reseller_id)):
        return None
    return link


def answer_reseller_link(ports: Ports, principal: Principal, *, link_id: str, accept: bool) -> ResellerLink:
    """The other side's partner-admin accepts or declines, once."""
    action = "acceptResellerLink" if accept else "declineResellerLink"
    link = visible_link(ports, principal, link_id)
    if link is None:
        raise NotFound("no such reseller link", field=["linkId"])
    require(principal, Role.PARTNER_ADMIN, action=action)
    if not principal.acts_for(link.answering_partner):
        raise PermissionDenied(f"{action} is done by the other side's partner-admin", field=["linkId"])
    reseller = ports.partners.get(link.reseller_id)
    assert reseller is not None

    def write(answered: ResellerLink, version: int) -> None:
        accepted = answered.status is ConsentStatus.ACCEPTED
        relation = Relation.of_link(answered, reseller) if accepted else None
        ports.relations.save_link(answered, expected_version=version, relation=relation)

    def answered(current: ResellerLink) -> ResellerLink:
        if not principal.acts_for(current.answering_partner):  # asked for again meanwhile, by this side
            raise PermissionDenied(f"{action} is done by the other side's partner-admin", field=["linkId"])
        return current.answered(accept=accept, by=principal.sub, at=now)  # ALREADY_ANSWERED after a race

    now = ports.clock()
    return optimistic_update(
        lambda: ports.relations.get_link(link_id), write, answered, what="reseller link", field=["linkId"]
    )


def list_links(
    ports: Ports,
    principal: Principal,
    *,
    partner_id: str,
    as_reseller: bool,
    status: ConsentStatus | None,
    page: PageRequest,
) -> Page[ResellerLink]:
    if not principal.can_see_partner(partner_id):
        return Page(items=[])
    return ports.relations.links_of(partner_id, as_reseller=as_reseller, status=status, page=page)


def require_relation(ports: Ports, *, publisher_id: str, partner_id: str, field: str, who: str) -> None:
    """A partner named by another (on a contract, in a sale reported) agreed to deal with that publisher."""
    if not ports.relations.related(publisher_id, partner_id):
        raise ValidationError(
            f"the {who} has accepted no reseller link and no enrolment with this publisher",
            code=ConsentCode.NO_ACCEPTED_RELATIONSHIP,
            field=[field],
        )


def nameable_resellers(ports: Ports, principal: Principal, *, publisher_id: str, page: PageRequest) -> Page[Partner]:
    """The resellers a publisher may name on its contracts (its own users and leaser staff)."""
    if not principal.can_see_partner(publisher_id):
        return Page(items=[])
    ids = ports.relations.related_partners(publisher_id, role=PartnerRole.RESELLER, page=page)
    found = ports.partners.get_many(ids.items)
    shown = [(found[p], cursor) for p, cursor in zip(ids.items, ids.cursors, strict=True) if p in found]
    return Page(items=[p for p, _ in shown], cursors=[c for _, c in shown], has_next_page=ids.has_next_page)
