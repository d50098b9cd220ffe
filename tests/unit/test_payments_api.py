"""Money that moves (issue 16): payers, support providers, payment runs, set-off and the ledger.

Through the GraphQL API on fakes and again on DynamoDB Local (the `ports` mark), and
tests/workflow runs the payments state machine itself.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from channelfin.services import financing_workflow as steps
from tests import operations as ops
from tests.factories import LEASER_ADMIN, principal
from tests.financing_flow import TREASURY, FinancingFlow
from tests.incentive_flow import ALWAYS
from tests.program_flow import ProgramFlow
from tests.world import register

pytestmark = pytest.mark.ports("fake", "dynamodb")  # the same tests on the fakes and on DynamoDB Local

EVER = {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}


@pytest.fixture
def flow(world):
    return FinancingFlow(world)


def _now(world) -> datetime:
    return world.ports.clock()


def run(world, who, payer: str, up_to: datetime | None = None) -> dict[str, Any]:
    when = (up_to or _now(world)).isoformat()
    result = world.run(who, ops.RUN_PAYMENTS, input={"payerId": payer, "upTo": when})
    assert result.errors == [], result.errors
    return result.data["runPayments"]


def trial(world) -> dict[str, Any]:
    result = world.run(LEASER_ADMIN, ops.TRIAL_BALANCE)
    assert result.errors == [], result.errors
    return result.data["ledgerTrialBalance"]


def balances(world, partner: str) -> dict[str, dict[str, str]]:
    result = world.run(LEASER_ADMIN, ops.BALANCES, id=partner)
    assert result.errors == [], result.errors
    found = {
        b["counterparty"]["id"]: {k: b[k]["amount"] for k in ("owedToPartner", "owedByPartner", "net")}
        for b in result.data["partner"]["balances"]
    }
    return defaultdict(lambda: {"owedToPartner": "0.00", "owedByPartner": "0.00", "net": "0.00"}, found)


def statement(world, partner: str) -> dict[str, Any]:
    result = world.run(LEASER_ADMIN, ops.LEDGER_STATEMENT, partnerId=partner, **EVER)
    assert result.errors == [], result.errors
    return result.data["partnerStatement"]


def reseller_agreement(world) -> str:
    result = world.run(
        LEASER_ADMIN,
        ops.SIGN_AGREEMENT,
        input={"partnerId": world.reseller, "leaserId": world.leaser, "annualRate": "0.06", "fileFee": "150.00"},
    )
    return result.data["signFinancingAgreement"]["agreement"]["id"]


def to_active(flow: FinancingFlow, contract: str, agreement: str | None = None, owner=None) -> None:
    ports = flow.world.ports
    flow.request(contract, who=owner, agreement=agreement)
    ports.workflows.issue("t-sign")
    steps.send_for_signature(ports, flow.local(contract), "t-sign")
    flow.sign_both(contract)
    ports.workflows.issue("t-delivery")
    steps.await_delivery_report(ports, flow.local(contract), "t-delivery")
    flow.deliver(contract, who=owner)
    flow.sign_delivery(contract)
    steps.transmit_file(ports, flow.local(contract))
    payout = steps.create_upfront_payout(ports, flow.local(contract))["payoutId"]
    steps.disburse(ports, payout)
    steps.activate(ports, flow.local(contract))


# ---------------------------------------------------------------- seed 000: the support part


def test_a_buy_resell_contract_s_support_share_goes_to_the_reseller_and_treasury_s_run_pays_it(flow):
    world = flow.world
    agreement = reseller_agreement(world)
    reseller_user = world.user_of(world.reseller, "partner-admin")
    contract = world.create_contract(who=reseller_user, ownerId=world.reseller, resellerId=world.reseller)["id"]
    assert flow.read(contract)["supportProvider"]["id"] == world.reseller
    to_active(flow, contract, agreement=agreement, owner=reseller_user)
    assert trial(world)["balanced"] is True

    assert flow.collect(contract, 1)["userErrors"] == []
    (share,) = flow.payouts(flow.read(contract), "SUPPORT_SHARE")
    assert share["beneficiary"]["id"] == world.reseller and share["payer"]["id"] == world.leaser
    assert (share["status"], share["amount"]) == ("SCHEDULED", {"amount": "150.00"})
    assert balances(world, world.reseller)[world.leaser]["owedToPartner"] == "150.00"

    payload = run(world, TREASURY, world.leaser, up_to=_now(world) + timedelta(days=4))
    assert payload["userErrors"] == []
    paid_run = payload["run"]
    assert (paid_run["status"], paid_run["paidCount"], paid_run["paid"]) == ("DONE", 1, {"amount": "150.00"})
    (share,) = flow.payouts(flow.read(contract), "SUPPORT_SHARE")
    assert (share["status"], share["slaMet"]) == ("PAID", True)
    assert balances(world, world.reseller)[world.leaser]["owedToPartner"] == "0.00"
    books = trial(world)
    assert books["balanced"] is True and books["debits"] == books["credits"]
    # Asking again for the same payer and upTo gives the same run, and pays nothing more.
    again = run(world, TREASURY, world.leaser, up_to=datetime.fromisoformat(paid_run["upTo"]))
    assert again["run"]["id"] == paid_run["id"] and again["run"]["paidCount"] == 1
    assert len(world.ports.payments.paid) == 1


def test_the_support_provider_is_named_at_creation_among_the_contract_s_parties(flow):
    world = flow.world
    contract = world.create_contract(supportProviderId=world.reseller)["id"]
    assert flow.read(contract)["supportProvider"]["id"] == world.reseller
    before = world.run(LEASER_ADMIN, ops.CONTRACTS).data["contracts"]["edges"]
    refused = world.run(
        world.user_of(world.publisher),
        ops.CREATE_CONTRACT,
        input=world.contract_input(supportProviderId=world.stranger),
    ).data["createContract"]
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("SUPPORT_PROVIDER_NOT_A_PARTY", ["input", "supportProviderId"])
    ]
    assert world.run(LEASER_ADMIN, ops.CONTRACTS).data["contracts"]["edges"] == before


# ---------------------------------------------------------------- runs: who, when, refusals


def test_bad_run_requests_are_user_errors_and_change_nothing(world):
    books = {k: v for k, v in trial(world).items() if k != "at"}
    publisher_admin = world.user_of(world.publisher, "partner-admin")
    not_mine = run(world, publisher_admin, world.leaser)
    assert [e["code"] for e in not_mine["userErrors"]] == ["NOT_ACTING_FOR_PAYER"] and not_mine["run"] is None
    treasury_for_publisher = run(world, TREASURY, world.publisher)
    assert [e["code"] for e in treasury_for_publisher["userErrors"]] == ["NOT_ACTING_FOR_PAYER"]
    too_far = run(world, TREASURY, world.leaser, up_to=_now(world) + timedelta(days=8))
    assert [(e["code"], e["field"]) for e in too_far["userErrors"]] == [("UP_TO_TOO_FAR", ["input", "upTo"])]
    assert {k: v for k, v in trial(world).items() if k != "at"} == books
    for payer in (world.leaser, world.publisher):
        runs = world.run(LEASER_ADMIN, "query($p: ID!) { paymentRuns(payerId: $p) { edges { node { id } } } }", p=payer)
        assert runs.data["paymentRuns"]["edges"] == []
    analyst = world.run(
        principal("credit-analyst"), ops.RUN_PAYMENTS, input={"payerId": world.leaser, "upTo": _now(world).isoformat()}
    )
    assert analyst.codes == ["FORBIDDEN"]


def test_a_transfer_that_keeps_failing_leaves_the_payouts_failed_and_owed_then_a_later_run_pays(flow):
    world = flow.world
    contract = world.create_contract()["id"]
    to_active(flow, contract)
    flow.collect(contract, 1)
    world.ports.payments.refused_beneficiaries.add(flow.local(world.publisher))
    in_four_days = _now(world) + timedelta(days=4)  # the support share is due 72 hours after collection
    failed = run(world, TREASURY, world.leaser, up_to=in_four_days)["run"]
    assert (failed["status"], failed["failedCount"], failed["paidCount"]) == ("DONE", 1, 0)
    (share,) = flow.payouts(flow.read(contract), "SUPPORT_SHARE")
    assert share["status"] == "FAILED"
    assert balances(world, world.publisher)[world.leaser]["owedToPartner"] == "150.00"  # still owed
    assert trial(world)["balanced"] is True

    world.ports.payments.refused_beneficiaries.clear()
    later = run(world, TREASURY, world.leaser, up_to=in_four_days + timedelta(hours=1))["run"]
    assert (later["paidCount"], later["paid"]) == (1, {"amount": "150.00"})
    (share,) = flow.payouts(flow.read(contract), "SUPPORT_SHARE")
    assert share["status"] == "PAID"
    assert balances(world, world.publisher)[world.leaser]["owedToPartner"] == "0.00"
    assert trial(world)["balanced"] is True


# ---------------------------------------------------------------- seed 001: commissions, charges, set-off


@pytest.fixture
def programs(world) -> ProgramFlow:
    flow = ProgramFlow(world)
    flow.create_program()
    return flow


def test_an_affiliate_owing_3000_and_owed_1200_is_paid_nothing_and_owes_1800_after_the_publisher_s_run(world):
    programs = ProgramFlow(world)
    programs.create_program(LEASER_ADMIN, tierRules=[{"tier": "PRESCRIBER", "rate": "0.20"}])  # above 0.15
    # An affiliate holds a contract: its first year's charge (50% of 6,000.00 of fees) is owed to the publisher.
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="0.00")
    affiliate = programs.partners["AFFILIATE"]
    programs.sell("AFFILIATE", owner=affiliate, startDate="2026-10-01")  # year 1 is due now
    # The same partner also brings the publisher a deal as a prescriber: 20% of a 6,000.00 first annuity.
    programs.enroll("PRESCRIBER", partner=affiliate)
    programs.sell("PRESCRIBER")
    due_now = [p for p in _payouts_of_payer(world, affiliate) if p["status"] == "SCHEDULED"]
    assert {p["kind"] for p in due_now} == {"PARTNER_CHARGE"}  # years 2 and 3 fall due later
    assert balances(world, affiliate)[world.publisher] == {
        "owedToPartner": "1200.00",
        "owedByPartner": "9000.00",  # three yearly charges of 3,000.00, the first due now
        "net": "-7800.00",
    }
    assert trial(world)["balanced"] is True

    done = run(world, programs.publisher_admin, world.publisher)["run"]
    assert (done["status"], done["paid"], done["netted"]) == ("DONE", {"amount": "0.00"}, {"amount": "1200.00"})
    (transfer,) = [t["node"] for t in done["transfers"]["edges"]]
    assert (transfer["status"], transfer["amount"]) == ("NETTED", {"amount": "0.00"})
    assert world.ports.payments.paid == {}  # no money moved

    first_year = min(
        (p for p in _payouts_of_payer(world, affiliate) if p["kind"] == "PARTNER_CHARGE"), key=lambda p: p["id"]
    )
    assert (first_year["status"], first_year["settled"]) == ("SCHEDULED", {"amount": "1200.00"})
    position = balances(world, affiliate)[world.publisher]
    assert position == {"owedToPartner": "0.00", "owedByPartner": "7800.00", "net": "-7800.00"}
    # Of what is due now, the affiliate owes 1,800.00 (3,000.00 less the 1,200.00 set off).
    assert Decimal(first_year["amount"]["amount"]) - Decimal(first_year["settled"]["amount"]) == Decimal("1800.00")
    closing = statement(world, affiliate)
    assert closing["openingBalance"] == {"amount": "0.00"} and closing["closingBalance"] == {"amount": "-7800.00"}
    assert trial(world)["balanced"] is True


def _local(global_id: str) -> str:
    from channelfin.api.core.ids import from_global_id

    return from_global_id(global_id)[1]


def _payouts_of_payer(world, payer: str) -> list[dict[str, Any]]:
    result = world.run(LEASER_ADMIN, ops.PAYOUTS_OF_PAYER, payer=payer)
    assert result.errors == [], result.errors
    return [e["node"] for e in result.data["payouts"]["edges"]]


def test_an_independent_integrator_s_cancelled_first_sale_does_not_count(programs):
    programs.enroll("INDEPENDENT_INTEGRATOR", "INTEGRATOR")
    programs.qualify("INDEPENDENT_INTEGRATOR")
    first = programs.sell("INDEPENDENT_INTEGRATOR")
    programs.mutate(
        programs.publisher_admin, ops.CANCEL_CONTRACT, "cancelContract", contractId=first, reason="client left"
    )
    second = programs.sell("INDEPENDENT_INTEGRATOR")
    assert programs.payouts_of(second, "COMMISSION") == []  # it is the 1st standing sale: nothing earned
    third = programs.sell("INDEPENDENT_INTEGRATOR")
    (commission,) = programs.payouts_of(third, "COMMISSION")
    assert commission["amount"] == {"amount": "3000.00"}  # the 2nd standing sale: 50% of 6,000.00


def test_a_commission_paid_then_cancelled_is_clawed_back_and_set_off_in_the_next_run(programs):
    world = programs.world
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    prescriber = programs.partners["PRESCRIBER"]
    first = programs.sell("PRESCRIBER")
    settled = programs.mutate(
        programs.publisher_admin,
        ops.SETTLE,
        "settleCommissions",
        programId=programs.program,
        upTo=_now(world).isoformat(),
    )
    assert [p["status"] for p in settled["settled"]] == ["PAID"]
    programs.mutate(programs.publisher_admin, ops.CANCEL_CONTRACT, "cancelContract", contractId=first, reason="void")
    (clawback,) = programs.payouts_of(first, "CLAWBACK")
    assert clawback["status"] == "SCHEDULED" and clawback["payer"]["id"] == prescriber
    second = programs.sell("PRESCRIBER")
    (commission,) = programs.payouts_of(second, "COMMISSION")
    assert commission["amount"] == clawback["amount"] == {"amount": "900.00"}

    done = run(world, programs.publisher_admin, world.publisher)["run"]
    assert (done["paid"], done["netted"]) == ({"amount": "0.00"}, {"amount": "900.00"})
    assert [p["status"] for p in programs.payouts_of(first, "CLAWBACK")] == ["PAID"]
    assert [p["status"] for p in programs.payouts_of(second, "COMMISSION")] == ["PAID"]
    assert balances(world, prescriber).get(world.publisher, {}).get("net", "0.00") == "0.00"
    assert trial(world)["balanced"] is True


def test_an_affiliate_s_entry_fee_is_charged_at_enrolment_and_support_is_its_own(programs):
    world = programs.world
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="100000.00")  # 3% by default
    affiliate = programs.partners["AFFILIATE"]
    (fee,) = [p for p in _payouts_of_payer(world, affiliate) if p["kind"] == "ENTRY_FEE"]
    assert (fee["amount"], fee["beneficiary"]["id"]) == ({"amount": "3000.00"}, world.publisher)
    contract = programs.sell("AFFILIATE", owner=affiliate)
    assert FinancingFlow(world).read(contract)["supportProvider"]["id"] == affiliate


# ---------------------------------------------------------------- seed 002: rebates, the 48-hour promise


def test_a_vendor_s_rebate_is_paid_by_the_vendor_s_run(channel, ports):
    channel.campaign("REBATE", rate="0.04", productFamily="SQL Server", partnerRoles=["RESELLER"])
    payout = channel.sale(channel.reseller, "SQL Server", "10000.00", "2026-10-01T10:00:00Z")["payout"]
    assert (payout["amount"], payout["status"]) == ({"amount": "400.00", "currency": "EUR"}, "SCHEDULED")
    done = channel.ok(
        channel.vendor_admin,
        ops.RUN_PAYMENTS,
        "runPayments",
        payerId=channel.vendor,
        upTo=ports.clock().isoformat(),
    )["run"]
    assert (done["status"], done["paidCount"], done["paid"]) == ("DONE", 1, {"amount": "400.00"})
    (transfer,) = [t["node"] for t in done["transfers"]["edges"]]
    assert transfer["counterparty"]["id"] == channel.reseller
    assert [(p["kind"], p["status"]) for p in transfer["payouts"]] == [("REBATE", "PAID")]


def test_a_vendor_financing_its_own_offer_pays_the_reseller_within_48_hours(flow):
    world = flow.world
    vendor = register(world.ports, "Microsoft Financing", "LEASER", "PUBLISHER")  # its own financing offer
    created = world.run(
        LEASER_ADMIN,
        ops.CREATE_CAMPAIGN,
        input={
            "vendorId": vendor,
            "name": "Paiement sous 48 h",
            "kind": "FINANCING_REFERRAL",
            "partnerRoles": ["RESELLER"],
            **ALWAYS,
        },
    ).data["createIncentiveCampaign"]
    assert created["userErrors"] == []  # no rate: the promise is about when, the bonus is an option
    signed = world.run(
        LEASER_ADMIN,
        ops.SIGN_AGREEMENT,
        input={"partnerId": world.reseller, "leaserId": vendor, "annualRate": "0.06", "fileFee": "150.00"},
    ).data["signFinancingAgreement"]
    reseller_user = world.user_of(world.reseller, "partner-admin")
    contract = world.create_contract(who=reseller_user, ownerId=world.reseller, resellerId=world.reseller)["id"]
    to_active(flow, contract, agreement=signed["agreement"]["id"], owner=reseller_user)
    data = flow.read(contract)
    transmitted = datetime.fromisoformat(data["financing"]["transmittedAt"])
    assert datetime.fromisoformat(data["payoutDueBy"]) == transmitted + timedelta(hours=48)
    (upfront,) = flow.payouts(data, "SOFTWARE_UPFRONT")
    assert upfront["payer"]["id"] == vendor and upfront["beneficiary"]["id"] == world.reseller
    assert flow.payouts(data, "REFERRAL") == []  # no bonus asked for


def test_an_ordinary_leaser_keeps_its_72_hours(flow):
    world = flow.world
    contract = world.create_contract()["id"]
    to_active(flow, contract)
    data = flow.read(contract)
    transmitted = datetime.fromisoformat(data["financing"]["transmittedAt"])
    assert datetime.fromisoformat(data["payoutDueBy"]) == transmitted + timedelta(hours=72)
    (upfront,) = flow.payouts(data, "SOFTWARE_UPFRONT")
    assert upfront["payer"]["id"] == world.leaser
