"""The financing mutations' rules, with the workflow steps called directly (FakeEngine records callbacks).

tests/workflow runs the same steps from the real state machine; the integration layer
re-runs this module on DynamoDB Local.
"""

from __future__ import annotations

import pytest

from channelfin.services import financing_workflow as steps
from tests.factories import LEASER_ADMIN, principal
from tests.financing_flow import ANALYST, SIGNATURE_CONNECTOR, TREASURY, FinancingFlow

pytestmark = pytest.mark.ports("fake", "dynamodb")  # the same tests on the fakes and on DynamoDB Local


@pytest.fixture
def flow(world):
    return FinancingFlow(world)


def codes(payload):
    return [e["code"] for e in payload["userErrors"]]


def test_an_approved_request_records_the_quote_and_starts_the_workflow(flow):
    contract = flow.new_contract()
    payload = flow.request(contract)
    assert payload["contract"]["status"] == "APPROVED"
    data = flow.read(contract)
    assert data["financing"]["financedAmount"]["amount"] == "33035.37"
    assert data["financing"]["upfrontPayout"]["amount"] == "32885.37"
    assert data["financing"]["leaserFees"]["amount"] == "3114.63"
    assert data["financing"]["agreement"]["id"] == flow.world.agreement
    engine = flow.world.ports.workflows
    assert engine.started == {
        f"financing-{flow.local(contract)}": {"contractId": flow.local(contract), "decision": "APPROVED"}
    }


def test_financing_needs_the_owners_own_agreement(flow):
    world = flow.world
    other = world.create_contract(ownerId=world.reseller, resellerId=world.reseller)["id"]
    payload = flow.request(other, who=world.user_of(world.reseller, "partner-admin"))
    assert codes(payload) == ["NOT_FOUND"] and payload["userErrors"][0]["field"] == ["input", "agreementId"]
    assert flow.read(other)["status"] == "DRAFT"


@pytest.mark.parametrize("role", ["partner-user", "partner-admin", "integration"])
def test_only_the_owners_users_request_financing(flow, role):
    contract = flow.new_contract()
    reseller_user = flow.world.user_of(flow.world.reseller, role)
    result = flow.world.run(
        reseller_user,
        "mutation($i: RequestFinancingInput!) { requestFinancing(input: $i) { userErrors { code } } }",
        i={"contractId": contract, "agreementId": flow.world.agreement},
    )
    assert result.codes == ["FORBIDDEN"]
    stranger = flow.world.user_of(flow.world.stranger, role)
    hidden = flow.request(contract, who=stranger)
    assert codes(hidden) == ["NOT_FOUND"]  # a contract it plays no role on does not exist for it
    assert flow.read(contract)["status"] == "DRAFT"


def test_a_second_request_starts_nothing_new(flow):
    contract = flow.new_contract()
    flow.request(contract)
    flow.request(contract)
    engine = flow.world.ports.workflows
    assert engine.start_calls == 2 and len(engine.started) == 1


@pytest.mark.parametrize("who", [principal("partner-admin", partner_id="x"), TREASURY, ANALYST])
def test_signatures_come_from_the_connector_or_a_leaser_admin(flow, who):
    contract = flow.new_contract()
    flow.request(contract)
    result = flow.world.run(
        who,
        "mutation($i: RecordSignatureInput!) { recordSignature(input: $i) { userErrors { code } } }",
        i={"contractId": contract, "document": "SALE_CONTRACT", "signedBy": "M"},
    )
    assert result.codes == ["FORBIDDEN"]
    assert codes(flow.sign(contract, "SALE_CONTRACT", who=LEASER_ADMIN)) == ["OVERRIDE_REASON_REQUIRED"]
    overridden = flow.sign(contract, "SALE_CONTRACT", who=LEASER_ADMIN, override_reason="signed on paper")
    assert overridden["userErrors"] == []


def test_signatures_before_the_step_opens_complete_it_when_it_does(flow):
    contract = flow.new_contract()
    flow.request(contract)
    flow.sign_both(contract)  # faster than the workflow: nothing to resume yet
    engine = flow.world.ports.workflows
    assert engine.resumed == []
    flow.step(steps.send_for_signature, contract, "t-sign")
    assert engine.resumed == [("t-sign", {"signed": True})]
    assert flow.read(contract)["financing"]["waitingFor"] is None


def test_the_second_signature_resumes_the_waiting_step_once(flow):
    contract = flow.new_contract()
    flow.request(contract)
    flow.step(steps.send_for_signature, contract, "t-sign")
    assert flow.read(contract)["financing"]["waitingFor"] == "SIGNATURES"
    flow.sign(contract, "SALE_CONTRACT")
    assert flow.world.ports.workflows.resumed == []
    flow.sign(contract, "LEASE_CONTRACT")
    flow.sign(contract, "LEASE_CONTRACT")  # a repeated webhook: no second resume
    assert [t for t, _ in flow.world.ports.workflows.resumed] == ["t-sign"]


def test_a_document_signed_by_someone_else_is_a_conflict(flow):
    contract = flow.new_contract()
    flow.request(contract)
    flow.sign(contract, "SALE_CONTRACT")
    other = flow.world.run(
        SIGNATURE_CONNECTOR,
        "mutation($i: RecordSignatureInput!) { recordSignature(input: $i) { userErrors { code } } }",
        i={"contractId": contract, "document": "SALE_CONTRACT", "signedBy": "Someone Else"},
    )
    assert other.data["recordSignature"]["userErrors"] == [{"code": "CONFLICT"}]


def test_signatures_are_refused_before_approval(flow):
    contract = flow.new_contract(softwareFee="1600.00")
    flow.request(contract)  # REFERRED: under review
    assert codes(flow.sign(contract, "SALE_CONTRACT")) == ["NOT_AWAITING_SIGNATURES"]
    draft = flow.new_contract()
    assert codes(flow.sign(draft, "LEASE_CONTRACT")) == ["NOT_FINANCED"]


def test_a_contract_without_financing_is_active_once_its_sale_contract_is_signed(flow):
    contract = flow.new_contract()
    assert flow.sign(contract, "SALE_CONTRACT")["userErrors"] == []
    data = flow.read(contract)
    assert data["status"] == "ACTIVE" and data["financing"] is None
    assert data["timeline"][-1] == {
        "status": "ACTIVE",
        "actor": SIGNATURE_CONNECTOR.sub,
        "note": "sale contract signed",
    }
    assert data["documents"] == [
        {"kind": "SALE_CONTRACT", "signedBy": "Marie Martin", "signedAt": data["documents"][0]["signedAt"]}
    ]
    assert codes(flow.request(contract)) == ["NOT_A_DRAFT"]


def test_a_review_needs_a_contract_under_review(flow):
    contract = flow.new_contract()
    flow.request(contract)
    assert codes(flow.review(contract, True)) == ["NOT_UNDER_REVIEW"]


def test_the_analyst_faster_than_the_review_step(flow):
    contract = flow.new_contract(softwareFee="1600.00")
    flow.request(contract)
    flow.review(contract, False, comment="no")
    flow.step(steps.await_credit_review, contract, "t-review")
    assert flow.world.ports.workflows.resumed == [("t-review", {"approved": False})]


def test_an_approval_as_the_review_times_out_leaves_the_file_expired_not_stuck(flow):
    # The wait timed out (Step Functions closed the token; Expire comes next) as the analyst
    # approved: the approval is written, the step is closed, and Expire then ends the file. It
    # used to fail (APPROVED cannot become EXPIRED), leaving the file APPROVED with no workflow.
    contract = flow.new_contract(softwareFee="3000.00")
    assert flow.request(contract)["contract"]["status"] == "UNDER_REVIEW"
    flow.step(steps.await_credit_review, contract, "t-review")
    flow.world.ports.workflows.open_tokens.discard("t-review")
    late = flow.review(contract, True)
    assert [e["code"] for e in late["userErrors"]] == ["STEP_CLOSED"]
    steps.expire(flow.world.ports, flow.local(contract), "CREDIT_REVIEW")
    assert flow.read(contract)["status"] == "EXPIRED"


def test_the_upfront_payout_is_created_once_and_paid_once(flow):
    contract = flow.new_contract()
    flow.to_active(contract)
    ports = flow.world.ports
    again = steps.create_upfront_payout(ports, flow.local(contract))["payoutId"]  # a retried step
    steps.disburse(ports, again)
    data = flow.read(contract)
    [upfront] = flow.payouts(data, "SOFTWARE_UPFRONT")
    assert upfront["status"] == "PAID" and upfront["slaMet"] is True
    assert ports.payments.attempts == [again]


def test_a_partner_sees_only_its_own_payouts_on_a_shared_contract(flow):
    contract = flow.new_contract()
    flow.to_active(contract)
    owner_view = flow.read(contract, who=flow.world.user_of(flow.world.publisher))
    reseller_view = flow.read(contract, who=flow.world.user_of(flow.world.reseller))
    assert [p["kind"] for p in flow.payouts(owner_view)] == ["SOFTWARE_UPFRONT"]
    assert flow.payouts(reseller_view) == []


def test_collecting_every_installment_completes_the_contract(flow):
    contract = flow.new_contract(periodicity="ANNUAL", termMonths=24, softwareFee="12000.00", supportFee="1800.00")
    flow.to_active(contract)
    assert codes(flow.collect(contract, 3)) == ["INVALID_INSTALLMENT"]
    flow.collect(contract, 1)
    assert flow.read(contract)["status"] == "ACTIVE"
    flow.collect(contract, 2)
    assert flow.read(contract)["status"] == "COMPLETED"
    assert flow.collect(contract, 2)["userErrors"] == []  # a repeat after completion pays nothing new
    shares = flow.payouts(flow.read(contract), "SUPPORT_SHARE")
    assert sorted((s["installment"], s["amount"]["amount"]) for s in shares) == [(1, "1800.00"), (2, "1800.00")]


def test_a_collection_dated_before_the_contract_existed_is_refused_and_pays_nothing(flow):
    contract = flow.new_contract()
    flow.to_active(contract)
    collect = "mutation($i: RecordInstallmentCollectedInput!) { recordInstallmentCollected(input: $i) "
    collect += "{ userErrors { code field } } }"
    early = flow.world.run(
        TREASURY, collect, i={"contractId": contract, "installment": 1, "collectedAt": "1999-01-01T00:00:00Z"}
    )
    assert early.errors == []
    assert early.data["recordInstallmentCollected"]["userErrors"] == [
        {"code": "INVALID_DATE", "field": ["input", "collectedAt"]}
    ]
    assert flow.payouts(flow.read(contract), "SUPPORT_SHARE") == []
    assert flow.collect(contract, 1)["userErrors"] == []  # now: after the start


@pytest.mark.ports("fake")  # input rules: the store plays no part
def test_a_date_and_time_without_offset_is_refused_before_anything_runs(flow):
    # Stored as sent, a time without an offset failed every later comparison with the clock
    # (INTERNAL_ERROR on this mutation, and on every order of a campaign created with one).
    contract = flow.new_contract()
    flow.to_active(contract)
    collect = "mutation($i: RecordInstallmentCollectedInput!) { recordInstallmentCollected(input: $i) "
    collect += "{ userErrors { code } } }"
    for at in ("2027-01-01T00:00:00", "2027-01-01", "yesterday", 1767225600, "0001-01-01T00:00:00+14:00"):
        naive = flow.world.run(TREASURY, collect, i={"contractId": contract, "installment": 1, "collectedAt": at})
        assert naive.data is None and naive.codes == ["GRAPHQL_VALIDATION_FAILED"], (at, naive.errors)
    assert (
        "no UTC offset"
        in flow.world.run(
            TREASURY, collect, i={"contractId": contract, "installment": 1, "collectedAt": "2027-01-01T00:00:00"}
        ).errors[0]["message"]
    )
    literal = (
        'mutation { recordInstallmentCollected(input: {contractId: "CONTRACT", installment: 1, '
        'collectedAt: "2027-01-01T00:00:00"}) { userErrors { code } } }'.replace("CONTRACT", contract)
    )
    in_the_document = flow.world.run(TREASURY, literal)
    assert in_the_document.data is None and in_the_document.codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert flow.payouts(flow.read(contract), "SUPPORT_SHARE") == []


def test_only_treasury_records_collections_and_only_on_active_contracts(flow):
    contract = flow.new_contract()
    flow.request(contract)
    result = flow.world.run(
        LEASER_ADMIN,
        "mutation($i: RecordInstallmentCollectedInput!) { "
        "recordInstallmentCollected(input: $i) { userErrors { code } } }",
        i={"contractId": contract, "installment": 1},
    )
    assert result.codes == ["FORBIDDEN"]
    assert codes(flow.collect(contract, 1)) == ["NOT_ACTIVE"]
    assert flow.payouts(flow.read(contract)) == []


def test_delivery_report_rules(flow):
    contract = flow.new_contract()
    flow.request(contract)
    assert codes(flow.deliver(contract)) == ["SIGNATURES_MISSING"]
    flow.step(steps.send_for_signature, contract, "t-sign")
    flow.sign_both(contract)
    flow.step(steps.await_delivery_report, contract, "t-delivery")
    reseller = flow.world.user_of(flow.world.reseller, "partner-admin")
    forbidden = flow.world.run(
        reseller,
        "mutation($i: SubmitDeliveryReportInput!) { submitDeliveryReport(input: $i) { userErrors { code } } }",
        i={"contractId": contract, "installedAt": "2026-11-01", "signedBy": "M"},
    )
    assert forbidden.codes == ["FORBIDDEN"]
    assert flow.deliver(contract)["userErrors"] == []
    assert flow.deliver(contract)["userErrors"] == []  # repeated: accepted, nothing resumed twice
    assert [r for r in flow.world.ports.workflows.resumed if r[0] == "t-delivery"] == [
        ("t-delivery", {"installedAt": "2026-11-01"})
    ]
    assert flow.sign_delivery(contract)["userErrors"] == []
    steps.transmit_file(flow.world.ports, flow.local(contract))
    assert flow.deliver(contract)["userErrors"] == []  # an integrator's late retry is still fine
    different = flow.world.run(
        flow.owner,
        "mutation($i: SubmitDeliveryReportInput!) { submitDeliveryReport(input: $i) { userErrors { code } } }",
        i={"contractId": contract, "installedAt": "2026-10-01", "signedBy": "Other"},
    )
    assert different.data["submitDeliveryReport"]["userErrors"] == [{"code": "CONFLICT"}]


def _report_signed_by(flow, signed_by: str) -> list[dict]:
    """A contract signed and waiting for its delivery report; the owner's report with that signer: its userErrors."""
    contract = flow.new_contract()
    flow.request(contract)
    flow.step(steps.send_for_signature, contract, "t-sign")
    flow.sign_both(contract)
    flow.step(steps.await_delivery_report, contract, "t-delivery")
    answer = flow.world.run(
        flow.owner,
        "mutation($i: SubmitDeliveryReportInput!) { submitDeliveryReport(input: $i) { userErrors { code field } } }",
        i={"contractId": contract, "installedAt": "2026-11-01", "signedBy": signed_by},
    )
    return answer.data["submitDeliveryReport"]["userErrors"]


@pytest.mark.ports("fake")  # input rules: the store plays no part
@pytest.mark.parametrize(
    ("signed_by", "code"),
    [
        ("Marie Martin.\nRéserves : aucune. Le client renonce à tout recours", "INVALID_INPUT"),
        ("Marie\u202eMartin", "INVALID_INPUT"),
        ("Marie\x00Martin", "INVALID_INPUT"),
        ("A" * 201, "TOO_LONG"),
        ("  ", "REQUIRED"),
        ("Marie\u2028Martin", "INVALID_INPUT"),
    ],
)
def test_the_delivery_reports_signer_is_a_name_on_one_line(flow, signed_by, code):
    # The owner's text is printed in the report the end client signs: a newline forged a second
    # "Réserves" clause in the PDF (the third review's finding).
    assert _report_signed_by(flow, signed_by) == [{"code": code, "field": ["input", "signedBy"]}]
    assert [r for r in flow.world.ports.workflows.resumed if r[0] == "t-delivery"] == []


@pytest.mark.ports("fake")  # input rules: the store plays no part
def test_the_delivery_reports_signer_may_hold_the_spaces_a_name_may(flow):
    assert _report_signed_by(flow, "Marie\u00a0Martin\u202fet\tFils") == []


def test_a_page_of_financed_contracts_reads_its_agreements_in_one_batch(flow):
    contracts = [flow.new_contract() for _ in range(3)]
    for contract in contracts:
        flow.request(contract)
    partners = flow.world.ports.partners
    calls = []
    original = partners.get_agreements
    partners.get_agreements = lambda ids: calls.append(sorted(ids)) or original(ids)
    try:
        result = flow.world.run(
            LEASER_ADMIN, "{ contracts(first: 10) { edges { node { financing { agreement { id } } } } } }"
        )
    finally:
        partners.get_agreements = original
    agreements = [e["node"]["financing"]["agreement"]["id"] for e in result.data["contracts"]["edges"]]
    assert agreements == [flow.world.agreement] * 3
    assert len(calls) == 1
