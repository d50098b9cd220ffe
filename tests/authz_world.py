"""A world for the authorization matrix, built through the API on fakes, and its callers.

`AuthzWorld` registers the partners every operation needs (a leaser, a publisher that owns
the contracts, runs the program and the campaigns, a reseller, a distributor and an
unrelated partner that plays every role but is party to nothing; the publisher and the reseller
have an accepted reseller link, the stranger has none) and builds the rest
(contracts in each state, a program, an escrow agreement, a credit line, a REBATE payout)
only when an operation asks for it. Setup is done by callers whose `sub` differs from the
matrix's callers, so "a different user" rules never refuse a matrix caller.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from channelfin.api.core.ids import from_global_id
from channelfin.domain.access import Principal
from channelfin.domain.partners import PublisherDefault
from channelfin.services import financing_workflow as steps
from channelfin.services.paging import PageRequest
from tests import operations as ops
from tests.factories import LEASER_ADMIN, principal
from tests.fakes import fake_ports
from tests.graphql_client import Result, execute
from tests.incentive_flow import ALWAYS
from tests.world import accept_enrollment, link, register

SETUP_CONNECTOR = principal("integration", sub="setup-esign-connector")
SETUP_LEASER_ADMIN = LEASER_ADMIN  # sub "user-leaser-admin"

CALLERS = (
    "anonymous",
    "leaser-admin",
    "credit-analyst",
    "treasury",
    "partner-admin",
    "partner-user",
    "integration",
    "connector",
    "unrelated-admin",
)


def local(global_id: str) -> str:
    return from_global_id(global_id)[1]


class AuthzWorld:
    def __init__(self) -> None:
        self.ports = fake_ports()
        self.leaser = register(self.ports, "Leasecom", "LEASER")
        self.publisher = register(self.ports, "all-in-web", "PUBLISHER")
        self.reseller = register(self.ports, "Logiciels du Sud", "RESELLER")
        self.distributor = register(self.ports, "ETC", "DISTRIBUTOR")
        # Plays every role a check could ask for, so only the missing relation can refuse it.
        self.stranger = register(self.ports, "Revendeur Tiers", "PUBLISHER", "RESELLER", "DISTRIBUTOR", "HOST")
        payload = self.ok(
            SETUP_LEASER_ADMIN,
            ops.SIGN_AGREEMENT,
            "signFinancingAgreement",
            partnerId=self.publisher,
            leaserId=self.leaser,
            annualRate="0.06",
            fileFee="150.00",
        )
        self.agreement = payload["agreement"]["id"]
        link(self.ports, self.publisher, self.reseller)
        self.newcomer = ""  # a reseller without a link, registered by the consent requests

    # ---------------------------------------------------------------- callers

    def caller(self, kind: str, related: str) -> Principal | None:
        """The matrix's caller kinds; `related` is the global id of the partner the operation concerns."""
        if kind == "anonymous":
            return None
        if kind in ("leaser-admin", "credit-analyst", "treasury"):
            return principal(kind, sub=f"matrix-{kind}")
        if kind in ("partner-admin", "partner-user", "integration"):
            return principal(kind, partner_id=local(related), sub=f"matrix-related-{kind}")
        if kind == "connector":
            return principal("integration", sub="matrix-esign-connector")
        if kind == "unrelated-admin":
            return principal("partner-admin", partner_id=local(self.stranger), sub="matrix-unrelated-admin")
        raise ValueError(kind)

    def admin_of(self, partner: str, sub: str = "setup") -> Principal:
        return principal("partner-admin", partner_id=local(partner), sub=f"{sub}-admin-of-{local(partner)}")

    # ---------------------------------------------------------------- running

    def run(self, who: Principal | None, query: str, **variables: Any) -> Result:
        return execute(self.ports, who, query, **variables)

    def ok(self, who: Principal, query: str, field: str, /, **fields: Any) -> dict[str, Any]:
        result = self.run(who, query, input=fields)
        assert result.errors == [], result.errors
        payload = result.data[field]
        assert payload["userErrors"] == [], payload["userErrors"]
        return payload

    # ---------------------------------------------------------------- contracts

    def contract(self, software_fee: str = "1000.00", **overrides: Any) -> str:
        """A DRAFT contract owned by the publisher, brought by the reseller (INTRODUCER)."""
        fields = {
            "ownerId": self.publisher,
            "publisherId": self.publisher,
            "resellerId": self.reseller,
            "customer": {"name": "Boulangerie Martin", "registrationNumber": "732 829 320"},
            "periodicity": "MONTHLY",
            "termMonths": 36,
            "startDate": "2027-01-01",
            "softwareFee": software_fee,
            "supportFee": "150.00",
            **overrides,
        }
        return self.ok(self.admin_of(self.publisher), ops.CREATE_CONTRACT, "createContract", **fields)["contract"]["id"]

    def requested(self, software_fee: str = "1000.00") -> str:
        """Financing requested: APPROVED below 50,000.00 financed, UNDER_REVIEW at or above."""
        contract = self.contract(software_fee)
        self.ok(
            self.admin_of(self.publisher),
            ops.REQUEST_FINANCING,
            "requestFinancing",
            contractId=contract,
            agreementId=self.agreement,
        )
        return contract

    def _step(self, step: Any, contract: str, token: str) -> None:
        self.ports.workflows.issue(token)
        step(self.ports, local(contract), token)

    def sign(self, contract: str, document: str) -> None:
        self.ok(
            SETUP_CONNECTOR,
            ops.RECORD_SIGNATURE,
            "recordSignature",
            contractId=contract,
            document=document,
            signedBy="Marie Martin",
        )

    def awaiting_delivery(self) -> str:
        contract = self.requested()
        self._step(steps.send_for_signature, contract, f"sign-{contract}")
        self.sign(contract, "SALE_CONTRACT")
        self.sign(contract, "LEASE_CONTRACT")
        self._step(steps.await_delivery_report, contract, f"delivery-{contract}")
        return contract

    def active(self) -> str:
        contract = self.awaiting_delivery()
        self.ok(
            self.admin_of(self.publisher),
            ops.SUBMIT_DELIVERY_REPORT,
            "submitDeliveryReport",
            contractId=contract,
            installedAt="2026-11-01",
            signedBy="Marie Martin",
        )
        self.sign(contract, "DELIVERY_REPORT")  # the end client's signature, from the provider
        key = local(contract)
        steps.transmit_file(self.ports, key)
        payout = steps.create_upfront_payout(self.ports, key)["payoutId"]
        steps.disburse(self.ports, payout)
        steps.activate(self.ports, key)
        return contract

    def confirmed_signatory(self) -> str:
        """The SIREN of the end client whose signatory an analyst confirmed (the contracts' customer)."""
        self.ok(
            principal("credit-analyst", sub="analyst-ana"),
            ops.CONFIRM_SIGNATORY,
            "confirmSignatory",
            registrationNumber="732 829 320",
            name="Marie Martin",
            email="marie.martin@boulangerie-martin.fr",
        )
        return "732829320"

    def held_payout(self) -> str:
        """Transmitted while its publisher is in default: the upfront payout waits for an analyst."""
        contract = self.awaiting_delivery()
        self.ok(
            self.admin_of(self.publisher),
            ops.SUBMIT_DELIVERY_REPORT,
            "submitDeliveryReport",
            contractId=contract,
            installedAt="2026-11-01",
            signedBy="Marie Martin",
        )
        self.sign(contract, "DELIVERY_REPORT")
        key = local(contract)
        steps.transmit_file(self.ports, key)
        steps.create_upfront_payout(self.ports, key)
        self.ports.partners.record_default(
            PublisherDefault(local(self.publisher), local(self.leaser), "escrow-1", "receivership", self.ports.clock())
        )
        self._step(steps.hold_upfront_payout, contract, f"hold-{contract}")
        return contract

    # ---------------------------------------------------------------- programs

    def program(self) -> str:
        payload = self.ok(
            self.admin_of(self.publisher),
            ops.CREATE_PROGRAM,
            "createPartnerProgram",
            publisherId=self.publisher,
            name="Programme partenaires",
            entryFeeRate="0.03",
        )
        return payload["program"]["id"]

    def enrollment(self, program: str, accepted: bool = True) -> str:
        """The reseller enrolled as an AFFILIATE (so affiliateCompliance has a row), and its answer."""
        payload = self.ok(
            self.admin_of(self.publisher),
            ops.ENROLL,
            "enrollPartner",
            programId=program,
            partnerId=self.reseller,
            tier="AFFILIATE",
            segmentPotential="100000.00",
        )
        if accepted:
            accept_enrollment(self.ports, payload["enrollment"]["id"], self.reseller)
        return payload["enrollment"]["id"]

    # ---------------------------------------------------------------- consent

    def register_newcomer(self) -> str:
        """A reseller with no link yet (`newcomer`)."""
        self.newcomer = register(self.ports, "Nouveau Revendeur", "RESELLER")
        return self.newcomer

    def link_requested_by_publisher(self) -> str:
        """A PENDING link the publisher's partner-admin asked the newcomer for: the newcomer answers it."""
        newcomer = self.register_newcomer()
        payload = self.ok(
            self.admin_of(self.publisher),
            ops.REQUEST_LINK,
            "requestResellerLink",
            publisherId=self.publisher,
            resellerId=newcomer,
        )
        return payload["link"]["id"]

    # ---------------------------------------------------------------- escrow

    def host_and_provider(self) -> tuple[str, str]:
        host = register(self.ports, "OVH Hébergement", "HOST")
        provider = register(self.ports, "SSII Continuité", "SERVICES_FIRM")
        return host, provider

    def escrow(self, declared: bool = False) -> str:
        """An escrow agreement naming the leaser, the publisher, a host and a continuity provider."""
        payload = self.ok(
            SETUP_LEASER_ADMIN,
            ops.SIGN_ESCROW,
            "signEscrowAgreement",
            **self.escrow_input(*self.host_and_provider()),
        )
        agreement = payload["escrowAgreement"]["id"]
        if declared:
            self.ok(
                SETUP_LEASER_ADMIN,
                ops.DECLARE_DEFAULT,
                "declarePublisherDefault",
                escrowAgreementId=agreement,
                reason="publisher in receivership",
            )
        return agreement

    def escrow_input(self, host: str, provider: str) -> dict[str, Any]:
        return {
            "leaserId": self.leaser,
            "publisherId": self.publisher,
            "hostId": host,
            "continuityProviderId": provider,
            "products": ["all-in-web CRM"],
            "depositReference": "APP-2026-114",
            "lastDepositAt": (self.ports.clock() - timedelta(days=30)).isoformat(),
        }

    # ---------------------------------------------------------------- reseller support

    def credit_line(self, *, held_cut: bool = False, ordered: str | None = None) -> str:
        """The distributor's line for the reseller (20,000.00), optionally with a held cut or an order."""
        admin = self.admin_of(self.distributor)
        fields = {"distributorId": self.distributor, "resellerId": self.reseller}
        line = self.ok(admin, ops.SET_CREDIT_LINE, "setCreditLine", **fields, insuredLimit="20000.00")
        if ordered:
            self.ok(admin, ops.RECORD_FIRM_ORDER, "recordFirmOrder", **fields, amount=ordered, licenceProgram="OEM")
        if held_cut:
            held = self.ok(admin, ops.SET_CREDIT_LINE, "setCreditLine", **fields, insuredLimit="0.00")
            assert held["creditLine"]["pendingChange"] is not None
        return line["creditLine"]["id"]

    def campaign(self, kind: str, **fields: Any) -> str:
        values = {"vendorId": self.publisher, "name": f"{kind} campaign", "kind": kind, **ALWAYS, **fields}
        payload = self.ok(self.admin_of(self.publisher), ops.CREATE_CAMPAIGN, "createIncentiveCampaign", **values)
        return payload["campaign"]["id"]

    def rebate_campaign(self) -> str:
        return self.campaign("REBATE", partnerRoles=["RESELLER"], rate="0.03")

    def now(self) -> str:
        return self.ports.clock().isoformat()

    def payment_run(self) -> str:
        """A payment run of the publisher (asked by a leaser admin): its global id."""
        from channelfin.api.core.ids import to_global_id
        from channelfin.services.payment_runs import run_payments

        run = run_payments(self.ports, LEASER_ADMIN, payer_id=local(self.publisher), up_to=self.ports.clock())
        return to_global_id("PaymentRun", run.id)

    def rebate_payout(self) -> str:
        """A REBATE payout to the reseller (its beneficiary), reported by the publisher as vendor."""
        self.rebate_campaign()
        payload = self.ok(
            self.admin_of(self.publisher),
            ops.RECORD_LICENCE_SALE,
            "recordLicenceSale",
            sellerId=self.reseller,
            vendorId=self.publisher,
            productFamily="Windows Server",
            amount="10000.00",
            soldAt="2026-10-01T10:00:00Z",
        )
        return payload["payout"]["id"]

    # ---------------------------------------------------------------- webhooks

    def webhook_endpoint(self) -> str:
        """An endpoint of the publisher (made by its setup admin): its global id."""
        result = self.run(
            self.admin_of(self.publisher),
            "mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) "
            "{ webhookEndpoint { id } userErrors { code } } }",
            input={"partnerId": self.publisher, "url": "https://hooks.example.com/in"},
        )
        payload = result.data["createWebhookEndpoint"]
        assert payload["userErrors"] == [], payload
        endpoint: str = payload["webhookEndpoint"]["id"]
        return endpoint

    def event_of_publisher(self) -> str:
        """The id of an event the publisher received (a contract created)."""
        self.contract()
        (event, *_) = self.ports.webhooks.feed(
            local(self.publisher), since="evt_", types=None, page=PageRequest(first=1)
        ).items
        return event.id
