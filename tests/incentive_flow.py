"""The reseller-support plan of seed 002 driven through GraphQL, by whatever transport a layer uses.

`Channel` talks to the API through a `send(who, query, variables)` function: in-process on
fakes or DynamoDB Local (unit/integration), or over HTTP against `channelfin dev` (e2e), so
the acceptance scenarios are written once and run on every layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests import operations as ops

ALWAYS = {"startsAt": "2020-01-01T00:00:00Z", "endsAt": "2100-01-01T00:00:00Z"}


@dataclass(frozen=True)
class Who:
    role: str
    partner: str | None = None  # global id
    sub: str | None = None


LEASER_ADMIN = Who("leaser-admin", sub="leaser-admin-1")
Send = Callable[[Who, str, dict[str, Any]], dict[str, Any]]  # the whole response: {"data": ..., "errors": [...]}


@dataclass
class Channel:
    send: Send
    vendor: str = ""
    distributor: str = ""
    other_distributor: str = ""
    reseller: str = ""
    services_firm: str = ""
    outsider: str = ""
    partners: dict[str, str] = field(default_factory=dict)

    def response(self, who: Who, query: str, **variables: Any) -> dict[str, Any]:
        return self.send(who, query, variables)

    def data(self, who: Who, query: str, **variables: Any) -> dict[str, Any]:
        body = self.response(who, query, **variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def mutate(self, who: Who, operation: str, payload: str, /, **fields: Any) -> dict[str, Any]:
        return self.data(who, operation, input=fields)[payload]

    def ok(self, who: Who, operation: str, payload: str, /, **fields: Any) -> dict[str, Any]:
        answer = self.mutate(who, operation, payload, **fields)
        assert answer["userErrors"] == [], answer["userErrors"]
        return answer

    def register(self, name: str, *roles: str) -> str:
        partner = self.ok(LEASER_ADMIN, ops.REGISTER_PARTNER, "registerPartner", name=name, roles=list(roles))
        return partner["partner"]["id"]

    def setup(self) -> Channel:
        self.vendor = self.register("Microsoft France", "PUBLISHER")
        self.distributor = self.register("ETC", "DISTRIBUTOR")
        self.other_distributor = self.register("Actebis", "DISTRIBUTOR")
        self.reseller = self.register("Logiciels du Nord", "RESELLER")
        self.services_firm = self.register("SSII Conseil", "SERVICES_FIRM")
        self.outsider = self.register("Revendeur Tiers", "RESELLER")
        for seller in (self.reseller, self.services_firm):  # the vendor reports their sales; not the outsider's
            self.link(seller)
        return self

    def link(self, seller: str) -> dict[str, Any]:
        """A reseller link asked for by the vendor's partner-admin, accepted by the seller's."""
        asked = self.ok(
            self.vendor_admin, ops.REQUEST_LINK, "requestResellerLink", publisherId=self.vendor, resellerId=seller
        )
        seller_admin = Who("partner-admin", seller, "seller-admin")
        return self.ok(seller_admin, ops.ACCEPT_LINK, "acceptResellerLink", linkId=asked["link"]["id"])["link"]

    # ---------------------------------------------------------------- callers

    @property
    def vendor_admin(self) -> Who:
        return Who("partner-admin", self.vendor, "vendor-admin")

    def distributor_user(self, sub: str = "alice", role: str = "partner-admin", distributor: str = "") -> Who:
        return Who(role, distributor or self.distributor, sub)

    # ---------------------------------------------------------------- operations

    def campaign(self, kind: str, name: str | None = None, accept: bool = True, **fields: Any) -> dict[str, Any]:
        """The vendor's campaign; one naming a distributor is accepted by that distributor's admin (unless told)."""
        values = {"vendorId": self.vendor, "name": name or f"{kind} campaign", "kind": kind, **ALWAYS, **fields}
        created = self.ok(self.vendor_admin, ops.CREATE_CAMPAIGN, "createIncentiveCampaign", **values)["campaign"]
        if accept and fields.get("distributorId"):
            who = self.distributor_user("dora", distributor=fields["distributorId"])
            self.ok(who, ops.ACCEPT_CAMPAIGN, "acceptIncentiveCampaign", campaignId=created["id"])
        return created

    def set_line(self, limit: str, who: Who | None = None, reseller: str = "", distributor: str = "") -> dict[str, Any]:
        return self.mutate(
            who or self.distributor_user(),
            ops.SET_CREDIT_LINE,
            "setCreditLine",
            distributorId=distributor or self.distributor,
            resellerId=reseller or self.reseller,
            insuredLimit=limit,
        )

    def order(self, amount: str, programme: str = "OEM", who: Who | None = None, **fields: Any) -> dict[str, Any]:
        values = {
            "resellerId": self.reseller,
            "distributorId": self.distributor,
            "amount": amount,
            "licenceProgram": programme,
            **fields,
        }
        return self.mutate(
            who or self.distributor_user("bob", "partner-user"), ops.RECORD_FIRM_ORDER, "recordFirmOrder", **values
        )

    def line(self, who: Who = LEASER_ADMIN, reseller: str = "", distributor: str = "") -> dict[str, Any] | None:
        return self.data(
            who, ops.CREDIT_LINE, distributorId=distributor or self.distributor, resellerId=reseller or self.reseller
        )["creditLine"]

    def sale(self, seller: str, family: str, amount: str, sold_at: str, **fields: Any) -> dict[str, Any]:
        return self.mutate(
            self.vendor_admin,
            ops.RECORD_LICENCE_SALE,
            "recordLicenceSale",
            sellerId=seller,
            vendorId=self.vendor,
            productFamily=family,
            amount=amount,
            soldAt=sold_at,
            **fields,
        )


def figures(line: dict[str, Any]) -> dict[str, str]:
    return {k: line[k]["amount"] for k in ("insuredLimit", "guarantees", "orderExtras", "outstanding", "available")}


# ---------------------------------------------------------------- the acceptance of issue 5


def credit_line_acceptance(channel: Channel) -> None:
    """A 20,000.00 line, a 5,000.00 guarantee and 5,000.00 of credit per 1,000.00 of OEM orders."""
    c = channel
    opened = c.set_line("20000.00")
    assert opened["userErrors"] == []
    line_id = opened["creditLine"]["id"]
    c.campaign("CREDIT_GUARANTEE", "Encours garanti", distributorId=c.distributor, amount="5000.00")
    c.campaign(
        "ORDER_CREDIT",
        "Encours OEM",
        distributorId=c.distributor,
        amount="5000.00",
        perOrderAmount="1000.00",
        licenceProgram="OEM",
    )

    first = c.order("2500.00")
    assert first["userErrors"] == []
    assert figures(first["creditLine"]) == {
        "insuredLimit": "20000.00",
        "guarantees": "5000.00",
        "orderExtras": "10000.00",
        "outstanding": "2500.00",
        "available": "32500.00",
    }
    second = c.order("800.00")
    assert second["userErrors"] == []
    assert figures(second["creditLine"])["orderExtras"] == "15000.00"
    assert figures(second["creditLine"])["available"] == "36700.00"  # 20,000 + 5,000 + 15,000 − 3,300

    refused = c.order("36700.01")
    assert [e["code"] for e in refused["userErrors"]] == ["CREDIT_LIMIT_EXCEEDED"]
    assert refused["creditLine"] is None
    after = c.line()
    assert figures(after)["outstanding"] == "3300.00"  # nothing recorded
    assert len(after["movements"]["edges"]) == 2

    # A cut to zero is held; the old limit stays until a second user confirms it.
    held = c.set_line("0.00", who=c.distributor_user("alice"))
    assert held["userErrors"] == []
    assert held["creditLine"]["insuredLimit"]["amount"] == "20000.00"
    assert held["creditLine"]["pendingChange"]["toLimit"]["amount"] == "0.00"
    assert held["creditLine"]["pendingChange"]["requestedBy"] == "alice"
    assert c.order("100.00")["userErrors"] == []  # still ordering against the old limit

    same_user = c.response(c.distributor_user("alice"), ops.CONFIRM_CREDIT_LINE_CHANGE, input={"creditLineId": line_id})
    assert [e["extensions"]["code"] for e in same_user["errors"]] == ["FORBIDDEN"]
    assert c.line()["insuredLimit"]["amount"] == "20000.00"

    confirmed = c.mutate(
        c.distributor_user("carol"), ops.CONFIRM_CREDIT_LINE_CHANGE, "confirmCreditLineChange", creditLineId=line_id
    )
    assert confirmed["userErrors"] == []
    assert confirmed["creditLine"]["insuredLimit"]["amount"] == "0.00"
    assert confirmed["creditLine"]["pendingChange"] is None

    # A raise applies at once.
    raised = c.set_line("30000.00", who=c.distributor_user("alice"))
    assert raised["creditLine"]["insuredLimit"]["amount"] == "30000.00"
    assert raised["creditLine"]["pendingChange"] is None
    history = [
        (e["action"], e["by"], e["fromLimit"]["amount"], e["toLimit"]["amount"])
        for e in raised["creditLine"]["history"]
    ]
    assert history == [
        ("OPENED", "alice", "0.00", "20000.00"),
        ("HELD", "alice", "20000.00", "0.00"),
        ("CONFIRMED", "carol", "20000.00", "0.00"),
        ("APPLIED", "alice", "0.00", "30000.00"),
    ]


def rebate_acceptance(channel: Channel) -> None:
    """3% doubled during the campaign: 600.00 then 300.00; SQL Server counts double in March: 200.00 then 100.00."""
    c = channel
    c.campaign("REBATE", "Marge arrière revendeurs", partnerRoles=["RESELLER"], rate="0.03")
    c.campaign(
        "REBATE_MULTIPLIER",
        "Doublement des marges arrière",
        partnerRoles=["RESELLER"],
        multiplier="2",
        startsAt="2027-01-01T00:00:00Z",
        endsAt="2027-07-01T00:00:00Z",
    )
    c.campaign("REBATE", "Projets SSII", partnerRoles=["SERVICES_FIRM"], productFamily="SQL Server", rate="0.02")
    c.campaign(
        "REBATE_MULTIPLIER",
        "SQL Server compte double en mars",
        partnerRoles=["SERVICES_FIRM"],
        productFamily="SQL Server",
        multiplier="2",
        startsAt="2027-03-01T00:00:00+01:00",
        endsAt="2027-04-01T00:00:00+02:00",
    )

    during = c.sale(c.reseller, "Windows Server", "10000.00", "2027-03-10T10:00:00Z")
    assert during["userErrors"] == []
    assert during["payout"]["kind"] == "REBATE" and during["payout"]["status"] == "SCHEDULED"
    assert during["payout"]["amount"] == {"amount": "600.00", "currency": "EUR"}
    assert during["payout"]["beneficiary"]["id"] == c.reseller
    assert (during["rebate"]["baseRate"], during["rebate"]["multiplier"]) == ("0.03", "2")
    after = c.sale(c.reseller, "Windows Server", "10000.00", "2027-07-01T00:00:00Z")
    assert after["payout"]["amount"]["amount"] == "300.00" and after["rebate"]["multiplierCampaign"] is None

    march = c.sale(c.services_firm, "SQL Server", "5000.00", "2027-03-15T09:00:00Z")
    assert march["payout"]["amount"]["amount"] == "200.00"
    april = c.sale(c.services_firm, "SQL Server", "5000.00", "2027-04-15T09:00:00Z")
    assert april["payout"]["amount"]["amount"] == "100.00"
