"""Partner programs of seed 001 through GraphQL (the integration layer re-runs this on DynamoDB Local)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from channelfin.api.core.ids import from_global_id
from channelfin.services import financing_workflow as steps
from tests import operations as ops
from tests.factories import LEASER_ADMIN
from tests.financing_flow import SIGNATURE_CONNECTOR
from tests.program_flow import ProgramFlow

pytestmark = pytest.mark.ports("fake", "dynamodb")  # the same tests on the fakes and on DynamoDB Local

EVER = {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}


@pytest.fixture
def programs(world):
    flow = ProgramFlow(world)
    flow.create_program()
    return flow


def amounts(payouts):
    return [p["amount"]["amount"] for p in payouts]


def test_a_new_program_carries_the_default_rules_of_the_four_tiers(world):
    program = ProgramFlow(world).create_program()
    tiers = {t["tier"]: t for t in program["tiers"]}
    assert program["affiliateMinSalesPerYear"] == 15 and program["entryFeeRate"] == "0.03"
    assert (tiers["PRESCRIBER"]["rate"], tiers["PRESCRIBER"]["fromSale"]) == ("0.15", 1)
    assert (tiers["INTEGRATOR_AFFILIATE"]["rate"], tiers["INTEGRATOR_AFFILIATE"]["fromSale"]) == ("0.70", 2)
    assert (tiers["INDEPENDENT_INTEGRATOR"]["rate"], tiers["INDEPENDENT_INTEGRATOR"]["fromSale"]) == ("0.50", 2)
    affiliate = tiers["AFFILIATE"]
    assert (affiliate["reward"], affiliate["rate"], affiliate["contractHeldBy"], affiliate["supportBy"]) == (
        "RECURRING_CHARGE",
        "0.50",
        "PARTNER",
        "PARTNER",
    )
    assert tiers["INTEGRATOR_AFFILIATE"]["onboardingInvoicedBy"] == "PUBLISHER"
    assert {t["evolutiveMaintenanceBy"] for t in tiers.values()} == {"PUBLISHER"}
    assert tiers["INDEPENDENT_INTEGRATOR"]["needsTechnicalQualification"] is True
    assert "two partner seminars a year" in affiliate["benefits"]


def test_a_program_may_change_a_tiers_rate(world):
    program = ProgramFlow(world).create_program(
        LEASER_ADMIN,  # a PRESCRIBER rate above the default 0.15: the leaser raises the bound
        tierRules=[
            {"tier": "PRESCRIBER", "rate": "0.20", "fromSale": 2},
            {"tier": "INDEPENDENT_INTEGRATOR", "supportBy": "PARTNER", "needsTechnicalQualification": False},
        ],
    )
    tiers = {t["tier"]: t for t in program["tiers"]}
    assert (tiers["PRESCRIBER"]["rate"], tiers["PRESCRIBER"]["fromSale"]) == ("0.20", 2)
    assert tiers["INDEPENDENT_INTEGRATOR"]["supportBy"] == "PARTNER"
    assert tiers["INDEPENDENT_INTEGRATOR"]["needsTechnicalQualification"] is False
    assert tiers["INDEPENDENT_INTEGRATOR"]["rate"] == "0.50"  # unchanged rules keep their defaults


def test_only_the_publishers_admin_creates_programs(world):
    flow = ProgramFlow(world)
    for who in (world.user_of(world.publisher, "partner-user"), world.user_of(world.reseller, "partner-admin")):
        result = world.run(
            who, ops.CREATE_PROGRAM, input={"publisherId": world.publisher, "name": "x", "entryFeeRate": "0.03"}
        )
        assert result.codes == ["FORBIDDEN"]
    bad = flow.mutate(
        flow.publisher_admin,
        ops.CREATE_PROGRAM,
        "createPartnerProgram",
        publisherId=world.publisher,
        name="x",
        entryFeeRate="1.5",
    )
    assert [e["code"] for e in bad["userErrors"]] == ["INVALID_RATE"]


def test_an_affiliates_entry_fee_is_its_segment_potential_times_the_rate(programs):
    enrollment = programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="200000.00")
    assert enrollment["entryFee"] == {"amount": "6000.00"}
    assert enrollment["rules"]["contractHeldBy"] == "PARTNER"
    missing = programs.mutate(
        programs.publisher_admin,
        ops.ENROLL,
        "enrollPartner",
        programId=programs.program,
        partnerId=enrollment["partner"]["id"],
        tier="AFFILIATE",
    )
    assert [e["code"] for e in missing["userErrors"]] == ["SEGMENT_POTENTIAL_REQUIRED"]


def test_a_prescribers_first_sale_earns_15_percent_of_the_first_annuity(programs):
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    contract = programs.sell("PRESCRIBER")
    [commission] = programs.payouts_of(contract, "COMMISSION")
    assert commission["amount"]["amount"] == "900.00" and commission["status"] == "SCHEDULED"
    assert commission["beneficiary"]["id"] == programs.partners["PRESCRIBER"]


def test_integrators_earn_from_their_second_sale(programs):
    programs.enroll("INTEGRATOR_AFFILIATE", "INTEGRATOR")
    programs.enroll("INDEPENDENT_INTEGRATOR", "INTEGRATOR", name="Intégrateur Indépendant")
    refused = programs.attributed_contract("INTEGRATOR_AFFILIATE")
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_TECHNICALLY_QUALIFIED"]
    programs.qualify("INTEGRATOR_AFFILIATE")
    programs.qualify("INDEPENDENT_INTEGRATOR")

    first = programs.sell("INTEGRATOR_AFFILIATE")
    second = programs.sell("INTEGRATOR_AFFILIATE")
    assert programs.payouts_of(first, "COMMISSION") == []
    assert amounts(programs.payouts_of(second, "COMMISSION")) == ["4200.00"]
    programs.sell("INDEPENDENT_INTEGRATOR")
    independent_second = programs.sell("INDEPENDENT_INTEGRATOR")
    assert amounts(programs.payouts_of(independent_second, "COMMISSION")) == ["3000.00"]


def test_an_affiliate_is_charged_half_of_each_annual_fee_and_earns_no_commission(programs):
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="200000.00")
    affiliate = programs.partners["AFFILIATE"]
    contract = programs.sell("AFFILIATE", owner=affiliate)
    assert programs.payouts_of(contract, "COMMISSION") == []
    charges = programs.payouts_of(contract, "PARTNER_CHARGE")
    assert [(c["installment"], c["amount"]["amount"]) for c in charges] == [
        (1, "3000.00"),
        (2, "3000.00"),
        (3, "3000.00"),
    ]


def test_a_contract_the_publisher_holds_is_not_attributed_to_an_affiliate(programs):
    # DESIGN 1.2: the affiliate is charged its share because it holds the contract and collects
    # from the end client. A contract the publisher holds would charge the affiliate for
    # revenue it never collects: the publisher may not attribute one to its enrolment.
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="200000.00")
    refused = programs.attributed_contract("AFFILIATE")  # the publisher's own contract
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("PARTNER_HOLDS_CONTRACT", ["input", "enrollmentId"])
    ]
    assert refused["contract"] is None


def test_nor_by_an_update_of_the_publishers_draft(programs):
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="200000.00")
    draft = programs.world.create_contract()["id"]  # the publisher's, attributed to no one
    attributed = programs.mutate(
        programs.world.user_of(programs.world.publisher, "partner-admin"),
        "mutation($input: UpdateContractInput!) { updateContract(input: $input) "
        "{ contract { id } userErrors { code field } } }",
        "updateContract",
        contractId=draft,
        enrollmentId=programs.enrollments["AFFILIATE"],
    )
    assert attributed == {
        "contract": None,
        "userErrors": [{"code": "PARTNER_HOLDS_CONTRACT", "field": ["input", "enrollmentId"]}],
    }


def test_a_six_month_contract_has_a_six_month_first_annuity(programs):
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    contract = programs.sell("PRESCRIBER", termMonths=6)
    assert amounts(programs.payouts_of(contract, "COMMISSION")) == ["450.00"]  # 15% of 6 × 500.00


def test_a_repeated_signature_event_creates_no_second_commission(programs):
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    contract = programs.sell("PRESCRIBER")
    again = programs.mutate(
        SIGNATURE_CONNECTOR,
        ops.RECORD_SIGNATURE,
        "recordSignature",
        contractId=contract,
        document="SALE_CONTRACT",
        signedBy="Marie Martin",
    )
    assert again["userErrors"] == []
    assert amounts(programs.payouts_of(contract, "COMMISSION")) == ["900.00"]
    enrollment = programs.world.run(
        LEASER_ADMIN, "query($id: ID!) { enrollment(id: $id) { salesCount } }", id=programs.enrollments["PRESCRIBER"]
    )
    assert enrollment.data == {"enrollment": {"salesCount": 1}}


def test_settlement_pays_due_commissions_once_and_statements_add_up(programs):
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    programs.sell("PRESCRIBER")
    programs.sell("PRESCRIBER")
    now = datetime.now(UTC).isoformat()
    first = programs.mutate(
        programs.publisher_admin, ops.SETTLE, "settleCommissions", programId=programs.program, upTo=now
    )
    assert first["userErrors"] == [] and first["total"] == {"amount": "1800.00"}
    assert {p["status"] for p in first["settled"]} == {"PAID"}
    second = programs.mutate(
        programs.publisher_admin, ops.SETTLE, "settleCommissions", programId=programs.program, upTo=now
    )
    assert second["settled"] == [] and second["total"] == {"amount": "0.00"}

    partner = programs.partners["PRESCRIBER"]
    who = programs.world.user_of(partner)
    statement = programs.world.run(who, ops.STATEMENT, partnerId=partner, **EVER).data["partnerStatement"]
    assert statement["earned"] == {"amount": "1800.00"} and statement["net"] == {"amount": "1800.00"}
    assert statement["earnedByKind"] == [{"kind": "COMMISSION", "amount": {"amount": "1800.00"}}]
    other = programs.world.user_of(programs.world.reseller)
    assert programs.world.run(other, ops.STATEMENT, partnerId=partner, **EVER).data == {"partnerStatement": None}


def test_cancelling_cancels_an_unpaid_commission_and_claws_a_paid_one_back(programs):
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    settled = programs.sell("PRESCRIBER")
    programs.mutate(
        programs.publisher_admin,
        ops.SETTLE,
        "settleCommissions",
        programId=programs.program,
        upTo=datetime.now(UTC).isoformat(),
    )
    unsettled = programs.sell("PRESCRIBER")
    for contract in (settled, unsettled):
        cancelled = programs.mutate(
            programs.publisher_admin,
            ops.CANCEL_CONTRACT,
            "cancelContract",
            contractId=contract,
            reason="client went bankrupt",
        )
        assert cancelled["contract"]["status"] == "CANCELLED"
    assert [p["status"] for p in programs.payouts_of(settled, "COMMISSION")] == ["PAID"]  # paid stays paid
    assert [p["status"] for p in programs.payouts_of(unsettled, "COMMISSION")] == ["CANCELLED"]
    # ...and what it paid is owed back by the partner (issue 16): a clawback, set off in the next run.
    (clawback,) = programs.payouts_of(settled, "CLAWBACK")
    assert (clawback["status"], clawback["amount"]) == ("SCHEDULED", {"amount": "900.00"})
    assert clawback["payer"]["id"] == programs.partners["PRESCRIBER"]
    assert clawback["beneficiary"]["id"] == programs.world.publisher
    partner = programs.partners["PRESCRIBER"]
    statement = programs.world.run(LEASER_ADMIN, ops.STATEMENT, partnerId=partner, **EVER).data["partnerStatement"]
    assert statement["earned"] == {"amount": "900.00"} and statement["net"] == {"amount": "0.00"}
    assert len(statement["lines"]) == 3


def _settle(programs) -> dict:
    """The publisher's settleCommissions of its program, up to now."""
    return programs.mutate(
        programs.publisher_admin,
        ops.SETTLE,
        "settleCommissions",
        programId=programs.program,
        upTo=datetime.now(UTC).isoformat(),
    )


def _cancel(programs, contract: str) -> None:
    cancelled = programs.mutate(
        programs.publisher_admin, ops.CANCEL_CONTRACT, "cancelContract", contractId=contract, reason="client left"
    )
    assert cancelled["contract"]["status"] == "CANCELLED"


def test_a_sale_cancelled_while_a_run_holds_its_commission_is_clawed_back_once_paid(programs):
    # The run holds the commission (planned, about to transfer): cancelling leaves it to the run,
    # which pays it, then finds the contract cancelled and claws the commission back.
    from channelfin.api.core.ids import from_global_id
    from channelfin.services import payment_runs

    programs.enroll("PRESCRIBER", "PRESCRIBER")
    contract = programs.sell("PRESCRIBER")
    ports = programs.world.ports
    publisher, partner = (from_global_id(g)[1] for g in (programs.world.publisher, programs.partners["PRESCRIBER"]))
    run, _ = payment_runs._start(ports, LEASER_ADMIN, publisher, ports.clock(), None, None)
    payment_runs.plan_run(ports, run.id)
    _cancel(programs, contract)
    assert [p["status"] for p in programs.payouts_of(contract, "COMMISSION")] == ["SCHEDULED"]  # the run's

    payment_runs.pay_counterparty(ports, run.id, partner)

    assert [p["status"] for p in programs.payouts_of(contract, "COMMISSION")] == ["PAID"]
    (clawback,) = programs.payouts_of(contract, "CLAWBACK")
    assert (clawback["status"], clawback["amount"]) == ("SCHEDULED", {"amount": "900.00"})
    assert clawback["payer"]["id"] == programs.partners["PRESCRIBER"]


def test_a_commission_whose_transfer_failed_goes_with_its_cancelled_sale(programs):
    # FAILED: the transfer was refused and the commission is still owed. Cancelled with the sale,
    # no later run pays it (one did, and nothing clawed it back).
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    contract = programs.sell("PRESCRIBER")
    ports = programs.world.ports
    from channelfin.api.core.ids import from_global_id

    local = from_global_id(contract)[1]
    owed = ports.payouts.get(f"commission-{local}")
    assert owed is not None
    ports.payouts.save(owed.failed("refused by the bank"), before=owed, at=ports.clock())
    _cancel(programs, contract)
    assert [p["status"] for p in programs.payouts_of(contract, "COMMISSION")] == ["CANCELLED"]
    settled = _settle(programs)
    assert settled["settled"] == [] and programs.payouts_of(contract, "CLAWBACK") == []


def _sent_for_signature(programs):
    """A prescriber's financed contract, its documents sent for signature: (the flow, the contract)."""
    from tests.financing_flow import FinancingFlow

    flow = FinancingFlow(programs.world)
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    contract = programs.attributed_contract("PRESCRIBER")["contract"]["id"]
    flow.request(contract)
    flow.step(steps.send_for_signature, contract, "t-sign")
    return flow, contract


@pytest.mark.parametrize("end", ["declined", "expired"])
def test_a_financed_sale_that_ends_without_a_lease_stops_counting_and_earns_nothing(programs, end):
    # The workflow's Cancel (a declined lease) and Expire steps ended the file but left its sale:
    # the commission was paid by the next settlement, and the partner's next sale was its second.
    flow, contract = _sent_for_signature(programs)
    assert flow.sign(contract, "SALE_CONTRACT")["userErrors"] == []
    assert [p["status"] for p in programs.payouts_of(contract, "COMMISSION")] == ["SCHEDULED"]
    if end == "declined":
        assert flow.decline(contract)["userErrors"] == []
        steps.cancel(programs.world.ports, flow.local(contract), "declined")
    else:
        steps.expire(programs.world.ports, flow.local(contract), "SIGNATURES")
    ended = flow.read(contract)
    assert ended["status"] == ("CANCELLED" if end == "declined" else "EXPIRED")
    assert [p["status"] for p in programs.payouts_of(contract, "COMMISSION")] == ["CANCELLED"]
    stored = programs.world.ports.contracts.get(flow.local(contract))
    assert stored is not None and not [d for d in stored.documents if d.status.value in ("SENT", "GENERATED")]
    settled = _settle(programs)
    assert settled["settled"] == []
    later = programs.sell("PRESCRIBER")
    sales = programs.world.ports.programs.sales_of(from_global_id(programs.enrollments["PRESCRIBER"])[1])
    numbers = {s.contract_id: (s.number, s.cancelled) for s in sales}
    assert numbers[flow.local(contract)][1] is True and numbers[flow.local(later)] == (1, False)


def test_an_expired_file_whose_commission_a_run_held_is_clawed_back_once_paid(programs):
    from channelfin.services import payment_runs

    flow, contract = _sent_for_signature(programs)
    assert flow.sign(contract, "SALE_CONTRACT")["userErrors"] == []
    ports = programs.world.ports
    publisher, partner = (from_global_id(g)[1] for g in (programs.world.publisher, programs.partners["PRESCRIBER"]))
    run, _ = payment_runs._start(ports, LEASER_ADMIN, publisher, ports.clock(), None, None)
    payment_runs.plan_run(ports, run.id)  # the run holds the commission: Expire's undo_sale leaves it
    steps.expire(ports, flow.local(contract), "SIGNATURES")
    payment_runs.pay_counterparty(ports, run.id, partner)
    (clawback,) = programs.payouts_of(contract, "CLAWBACK")
    assert (clawback["status"], clawback["amount"]) == ("SCHEDULED", {"amount": "900.00"})


def test_a_sale_signed_as_its_file_is_cancelled_does_not_count(programs, monkeypatch):
    # The signature is written, the Cancel step ends the file (its undo_sale finds no sale yet),
    # then the signature's register_sale runs on the contract it read: it checks again after writing.
    from channelfin.services import signatures

    flow, contract = _sent_for_signature(programs)
    assert flow.decline(contract)["userErrors"] == []
    register = signatures.register_sale

    def cancelled_meanwhile(ports, signed):
        steps.cancel(ports, signed.id, "declined")
        register(ports, signed)

    monkeypatch.setattr(signatures, "register_sale", cancelled_meanwhile)
    flow.sign(contract, "SALE_CONTRACT")
    assert flow.read(contract)["status"] == "CANCELLED"
    assert [p["status"] for p in programs.payouts_of(contract, "COMMISSION")] in ([], ["CANCELLED"])
    sales = programs.world.ports.programs.sales_of(from_global_id(programs.enrollments["PRESCRIBER"])[1])
    assert all(s.cancelled for s in sales)


def test_an_affiliate_with_one_sale_is_below_the_minimum(programs):
    programs.enroll("AFFILIATE", "AFFILIATE", "RESELLER", potential="200000.00")
    contract = programs.sell("AFFILIATE", owner=programs.partners["AFFILIATE"])
    signed_at = programs.world.run(
        LEASER_ADMIN, "query($id: ID!) { contract(id: $id) { documents { signedAt } } }", id=contract
    ).data["contract"]["documents"][0]["signedAt"]
    year = datetime.fromisoformat(signed_at).year
    rows = programs.world.run(programs.publisher_admin, ops.COMPLIANCE, programId=programs.program, year=year)
    assert rows.errors == []
    [row] = rows.data["affiliateCompliance"]
    assert (row["partner"]["id"], row["sales"], row["meetsMinimum"]) == (programs.partners["AFFILIATE"], 1, False)
    next_year = programs.world.run(programs.publisher_admin, ops.COMPLIANCE, programId=programs.program, year=year + 1)
    assert next_year.data["affiliateCompliance"][0]["sales"] == 0
    # The year before it joined, the affiliate had no minimum to meet: it is not listed as failing it.
    before = programs.world.run(programs.publisher_admin, ops.COMPLIANCE, programId=programs.program, year=year - 1)
    assert before.data["affiliateCompliance"] == []


def test_an_enrolment_of_another_publishers_program_cannot_be_used(programs):
    programs.enroll("PRESCRIBER", "PRESCRIBER")
    world = programs.world
    other_publisher = world.stranger  # a reseller and publisher of its own
    fields = world.contract_input(
        ownerId=other_publisher,
        publisherId=other_publisher,
        resellerId=None,
        enrollmentId=programs.enrollments["PRESCRIBER"],
    )
    result = programs.mutate(
        world.user_of(other_publisher, "partner-admin"), ops.CREATE_CONTRACT, "createContract", **fields
    )
    # Neither the enrolled partner nor its program's publisher: the enrolment is not theirs to know of.
    assert [e["code"] for e in result["userErrors"]] == ["NOT_FOUND"]
    # The enrolled partner itself, selling for another publisher, is told why.
    prescriber = programs.partners["PRESCRIBER"]
    own = world.contract_input(
        ownerId=prescriber,
        publisherId=other_publisher,
        resellerId=None,
        **{"enrollmentId": programs.enrollments["PRESCRIBER"]},
    )
    result = programs.mutate(world.user_of(prescriber, "partner-admin"), ops.CREATE_CONTRACT, "createContract", **own)
    assert [e["code"] for e in result["userErrors"]] == ["WRONG_PROGRAM"]


def test_a_financed_contract_counts_as_a_sale_when_its_sale_contract_is_signed(programs):
    from tests.financing_flow import FinancingFlow

    programs.enroll("PRESCRIBER", "PRESCRIBER")
    payload = programs.attributed_contract("PRESCRIBER")
    contract = payload["contract"]["id"]
    financing = FinancingFlow(programs.world)
    assert financing.request(contract)["decision"]["outcome"] == "APPROVED"
    assert programs.payouts_of(contract, "COMMISSION") == []
    financing.sign(contract, "SALE_CONTRACT")
    assert amounts(programs.payouts_of(contract, "COMMISSION")) == ["900.00"]
    assert financing.read(contract)["status"] == "APPROVED"  # the workflow goes on; the sale is counted
    financing.sign(contract, "LEASE_CONTRACT")
    assert amounts(programs.payouts_of(contract, "COMMISSION")) == ["900.00"]


def test_a_sale_signed_at_an_address_the_owner_typed_earns_its_commission_once_an_analyst_released_it(programs):
    """Issue 17, the commission route: whoever typed the end client's address may have signed the
    sale contract as the end client. The commission waits for the analyst, as the upfront payout."""
    from tests.financing_flow import ANALYST, FinancingFlow

    programs.enroll("PRESCRIBER", "PRESCRIBER")
    unknown = {"name": "Client Inconnu", "registrationNumber": "552 100 554", "email": "signe@prescripteur.example"}
    payload = programs.attributed_contract("PRESCRIBER", customer=unknown)
    assert payload["userErrors"] == [], payload["userErrors"]
    contract = payload["contract"]["id"]
    financing = FinancingFlow(programs.world)
    financing.transmit(contract)  # the requests went to the typed address: no signatory confirmed
    assert programs.payouts_of(contract, "COMMISSION") == []
    financing.hold(contract)
    assert programs.payouts_of(contract, "COMMISSION") == []

    released = programs.world.run(ANALYST, ops.RELEASE_HELD_PAYOUT, input={"contractId": contract})
    assert released.data["releaseHeldPayout"]["userErrors"] == []
    assert amounts(programs.payouts_of(contract, "COMMISSION")) == ["900.00"]
    again = programs.world.run(ANALYST, ops.RELEASE_HELD_PAYOUT, input={"contractId": contract})
    assert again.data["releaseHeldPayout"]["userErrors"] == []
    assert amounts(programs.payouts_of(contract, "COMMISSION")) == ["900.00"]  # scheduled once


def test_a_sale_signed_by_the_confirmed_signatory_earns_its_commission_at_once(programs):
    from tests.financing_flow import FinancingFlow

    programs.enroll("PRESCRIBER", "PRESCRIBER")
    contract = programs.attributed_contract("PRESCRIBER")["contract"]["id"]  # the world's known end client
    financing = FinancingFlow(programs.world)
    financing.request(contract)
    financing.step(steps.send_for_signature, contract, "t-sign")
    financing.sign(contract, "SALE_CONTRACT")
    assert amounts(programs.payouts_of(contract, "COMMISSION")) == ["900.00"]
