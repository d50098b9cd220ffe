"""The reseller-support plan of seed 002 through GraphQL (the integration layer re-runs it on DynamoDB Local)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from channelfin.api.core.ids import from_global_id, to_global_id
from channelfin.domain.incentives.rewards import legacy_rebate_id
from channelfin.domain.money import Money
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus
from tests import operations as ops
from tests.incentive_flow import LEASER_ADMIN, Who, credit_line_acceptance, figures, rebate_acceptance

pytestmark = pytest.mark.ports("fake", "dynamodb")  # the same tests on the fakes and on DynamoDB Local


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


# ---------------------------------------------------------------- acceptance


def test_credit_line_acceptance_guarantee_order_extras_held_cut_and_raise(channel):
    credit_line_acceptance(channel)


def test_rebate_acceptance_doubled_margin_and_a_family_counting_double_in_march(channel):
    rebate_acceptance(channel)


# ---------------------------------------------------------------- credit lines


def test_a_cut_to_exactly_half_applies_and_a_deeper_cut_is_held(channel):
    channel.set_line("10000.00")
    half = channel.set_line("5000.00")
    assert half["creditLine"]["insuredLimit"]["amount"] == "5000.00" and half["creditLine"]["pendingChange"] is None
    deeper = channel.set_line("2499.99")
    assert deeper["creditLine"]["insuredLimit"]["amount"] == "5000.00"
    assert deeper["creditLine"]["pendingChange"]["toLimit"]["amount"] == "2499.99"


def test_while_a_cut_is_held_another_change_is_refused_and_withdrawing_keeps_the_old_limit(channel):
    line_id = channel.set_line("20000.00")["creditLine"]["id"]
    channel.set_line("1000.00")
    again = channel.set_line("25000.00", who=channel.distributor_user("carol"))
    assert codes(again) == ["CHANGE_PENDING"]
    withdrawn = channel.mutate(
        channel.distributor_user("alice"),
        ops.WITHDRAW_CREDIT_LINE_CHANGE,
        "withdrawCreditLineChange",
        creditLineId=line_id,
    )
    assert withdrawn["creditLine"]["insuredLimit"]["amount"] == "20000.00"
    assert withdrawn["creditLine"]["pendingChange"] is None
    assert [e["action"] for e in withdrawn["creditLine"]["history"]] == ["OPENED", "HELD", "WITHDRAWN"]
    nothing = channel.mutate(
        channel.distributor_user("carol"),
        ops.CONFIRM_CREDIT_LINE_CHANGE,
        "confirmCreditLineChange",
        creditLineId=line_id,
    )
    assert codes(nothing) == ["NO_PENDING_CHANGE"]


def test_reseller_payments_reduce_the_outstanding_but_never_below_zero(channel):
    line_id = channel.set_line("5000.00")["creditLine"]["id"]
    channel.order("3000.00")
    paid = channel.mutate(
        channel.distributor_user("bob", "partner-user"),
        ops.RECORD_RESELLER_PAYMENT,
        "recordResellerPayment",
        creditLineId=line_id,
        amount="1000.00",
    )
    assert figures(paid["creditLine"])["outstanding"] == "2000.00"
    assert figures(paid["creditLine"])["available"] == "3000.00"
    too_much = channel.mutate(
        channel.distributor_user(),
        ops.RECORD_RESELLER_PAYMENT,
        "recordResellerPayment",
        creditLineId=line_id,
        amount="2000.01",
    )
    assert codes(too_much) == ["PAYMENT_EXCEEDS_OUTSTANDING"]
    kinds = [e["node"]["kind"] for e in channel.line()["movements"]["edges"]]
    assert kinds == ["RESELLER_PAYMENT", "FIRM_ORDER"]


def test_order_credit_counts_only_its_licence_program_and_only_full_steps(channel):
    channel.set_line("1000.00")
    channel.campaign(
        "ORDER_CREDIT",
        distributorId=channel.distributor,
        amount="5000.00",
        perOrderAmount="1000.00",
        licenceProgram="OEM",
    )
    channel.order("999.99", "OEM")
    channel.order("900.00", "Open")
    assert figures(channel.line())["orderExtras"] == "0.00"
    channel.order("0.01", "oem")  # programs compare without case
    assert figures(channel.line())["orderExtras"] == "5000.00"


def test_a_guarantee_at_another_distributor_or_out_of_its_period_adds_nothing(channel):
    channel.set_line("1000.00")
    channel.campaign("CREDIT_GUARANTEE", distributorId=channel.other_distributor, amount="5000.00")
    channel.campaign(
        "CREDIT_GUARANTEE",
        distributorId=channel.distributor,
        amount="5000.00",
        startsAt="2020-01-01T00:00:00Z",
        endsAt="2021-01-01T00:00:00Z",
    )
    channel.campaign("CREDIT_GUARANTEE", distributorId=channel.distributor, amount="2000.00")
    channel.campaign("CREDIT_GUARANTEE", distributorId=channel.distributor, amount="500.00")
    assert figures(channel.line())["guarantees"] == "2500.00"  # guarantees in force add up


def test_who_may_see_and_change_a_credit_line(channel):
    channel.set_line("1000.00")
    reseller_user = Who("partner-user", channel.reseller, "reseller-user")
    assert channel.line(reseller_user)["insuredLimit"]["amount"] == "1000.00"
    assert channel.line(Who("partner-admin", channel.outsider, "outsider")) is None
    assert channel.line(Who("partner-admin", channel.other_distributor, "other")) is None

    by_user = channel.response(
        channel.distributor_user("bob", "partner-user"),
        ops.SET_CREDIT_LINE,
        input={"distributorId": channel.distributor, "resellerId": channel.reseller, "insuredLimit": "9.00"},
    )
    assert [e["extensions"]["code"] for e in by_user["errors"]] == ["FORBIDDEN"]
    by_reseller = channel.response(
        Who("partner-admin", channel.reseller, "r"),
        ops.RECORD_FIRM_ORDER,
        input={
            "resellerId": channel.reseller,
            "distributorId": channel.distributor,
            "amount": "1.00",
            "licenceProgram": "OEM",
        },
    )
    assert [e["extensions"]["code"] for e in by_reseller["errors"]] == ["FORBIDDEN"]
    lines = channel.data(LEASER_ADMIN, ops.CREDIT_LINES, partnerId=channel.distributor)["creditLines"]["edges"]
    assert len(lines) == 1
    mine = channel.data(reseller_user, ops.CREDIT_LINES, partnerId=channel.reseller, asReseller=True)
    assert len(mine["creditLines"]["edges"]) == 1
    theirs = channel.data(reseller_user, ops.CREDIT_LINES, partnerId=channel.distributor)
    assert theirs["creditLines"]["edges"] == []


def test_bad_credit_inputs_are_user_errors(channel):
    assert codes(channel.set_line("-1.00")) == ["INVALID_AMOUNT"]
    assert codes(channel.set_line("100.00", reseller=channel.vendor)) == ["NOT_A_RESELLER"]
    assert codes(channel.order("10.00")) == ["NOT_FOUND"]  # no line yet
    channel.set_line("100.00")
    assert codes(channel.order("0.00")) == ["INVALID_AMOUNT"]
    assert codes(channel.order("10.001")) == ["INVALID_AMOUNT"]
    assert codes(channel.order("10.00", programme="  ")) == ["REQUIRED"]
    assert figures(channel.line())["outstanding"] == "0.00"


# ---------------------------------------------------------------- campaigns and quotes


def test_a_campaign_refuses_figures_that_do_not_fit_its_kind(channel):
    def create(**fields: Any) -> list[str]:
        values = {"vendorId": channel.vendor, "name": "x", "startsAt": "2027-01-01T00:00:00Z", **fields}
        values.setdefault("endsAt", "2027-02-01T00:00:00Z")
        return codes(channel.mutate(channel.vendor_admin, ops.CREATE_CAMPAIGN, "createIncentiveCampaign", **values))

    assert create(kind="CREDIT_GUARANTEE", amount="5000.00") == ["REQUIRED"]  # no distributor
    assert create(kind="REBATE", rate="0.03", amount="10.00") == ["NOT_FOR_THIS_KIND"]
    assert create(kind="DISCOUNT", rate="10") == ["INVALID_RATE"]
    assert create(kind="REBATE", rate="0.03", endsAt="2026-12-01T00:00:00Z") == ["INVALID_PERIOD"]
    assert create(kind="CREDIT_GUARANTEE", amount="5000.00", distributorId=channel.reseller) == ["NOT_A_DISTRIBUTOR"]
    referral = channel.campaign("FINANCING_REFERRAL", rate="0.01")
    assert referral["payoutSlaHours"] == 48
    other_vendor = channel.response(
        Who("partner-admin", channel.reseller, "r"),
        ops.CREATE_CAMPAIGN,
        input={
            "vendorId": channel.vendor,
            "name": "x",
            "kind": "REBATE",
            "rate": "0.5",
            **{"startsAt": "2027-01-01T00:00:00Z", "endsAt": "2027-02-01T00:00:00Z"},
        },
    )
    assert [e["extensions"]["code"] for e in other_vendor["errors"]] == ["FORBIDDEN"]
    listed = channel.data(Who("partner-user", channel.reseller, "r"), ops.INCENTIVE_CAMPAIGNS, vendorId=channel.vendor)
    assert [e["node"]["kind"] for e in listed["incentiveCampaigns"]["edges"]] == ["FINANCING_REFERRAL"]


def test_price_quote_applies_the_best_discount_in_force_to_covered_lines(channel):
    channel.campaign(
        "DISCOUNT",
        "Open -10%",
        rate="0.10",
        productReferences=["W11-PRO", "OFF-STD"],
        licenceProgram="Open",
        startsAt="2027-01-01T00:00:00Z",
        endsAt="2027-07-01T00:00:00Z",
    )
    channel.campaign(
        "DISCOUNT",
        "Office -15%",
        rate="0.15",
        productReferences=["OFF-STD"],
        startsAt="2027-03-01T00:00:00Z",
        endsAt="2027-04-01T00:00:00Z",
    )
    lines = [
        {"reference": "W11-PRO", "licenceProgram": "Open", "quantity": 3, "unitPrice": "199.99"},
        {"reference": "W11-PRO", "licenceProgram": "OEM", "quantity": 1, "unitPrice": "150.00"},
        {"reference": "OFF-STD", "licenceProgram": "Open", "quantity": 2, "unitPrice": "100.00"},
    ]
    quote = channel.data(
        Who("partner-user", channel.reseller, "r"),
        ops.PRICE_QUOTE,
        input={"vendorId": channel.vendor, "at": "2027-03-15T12:00:00Z", "lines": lines},
    )["priceQuote"]
    got = [(q["discountRate"], q["discount"]["amount"], q["netAmount"]["amount"]) for q in quote["lines"]]
    assert got == [("0.10", "60.00", "539.97"), ("0", "0.00", "150.00"), ("0.15", "30.00", "170.00")]
    assert (quote["listTotal"]["amount"], quote["discountTotal"]["amount"], quote["netTotal"]["amount"]) == (
        "949.97",
        "90.00",
        "859.97",
    )
    after = channel.data(
        LEASER_ADMIN, ops.PRICE_QUOTE, input={"vendorId": channel.vendor, "at": "2027-07-01T00:00:00Z", "lines": lines}
    )["priceQuote"]
    assert after["discountTotal"]["amount"] == "0.00"


def test_a_sale_without_a_rebate_in_force_is_refused_and_a_repeated_sale_pays_once(channel):
    refused = channel.sale(channel.reseller, "Windows Server", "1000.00", "2027-03-01T00:00:00Z")
    assert codes(refused) == ["NO_REBATE_IN_FORCE"] and refused["payout"] is None
    channel.campaign("REBATE", rate="0.03")
    first = channel.sale(channel.reseller, "Windows Server", "1000.00", "2027-03-01T00:00:00Z", saleReference="F-1")
    again = channel.sale(channel.reseller, "Windows Server", "1000.00", "2027-03-01T00:00:00Z", saleReference="F-1")
    assert first["payout"]["id"] == again["payout"]["id"] and first["payout"]["amount"]["amount"] == "30.00"
    seller = Who("partner-user", channel.reseller, "r")
    payouts = channel.data(seller, "{ payouts { edges { node { kind amount { amount } } } } }")["payouts"]["edges"]
    assert [p["node"]["kind"] for p in payouts] == ["REBATE"]


def test_a_vendors_credit_campaign_adds_credit_only_once_the_distributor_accepts_it(channel):
    channel.set_line("1000.00")
    offer = channel.campaign("CREDIT_GUARANTEE", distributorId=channel.distributor, amount="5000.00", accept=False)
    assert offer["distributor"]["id"] == channel.distributor
    assert figures(channel.line())["guarantees"] == "0.00"
    assert codes(channel.order("1500.00")) == ["CREDIT_LIMIT_EXCEEDED"]

    by_other = channel.response(
        channel.distributor_user("eve", distributor=channel.other_distributor),
        ops.ACCEPT_CAMPAIGN,
        input={"campaignId": offer["id"]},
    )
    assert [e["extensions"]["code"] for e in by_other["errors"]] == ["FORBIDDEN"]
    by_vendor = channel.response(channel.vendor_admin, ops.ACCEPT_CAMPAIGN, input={"campaignId": offer["id"]})
    assert [e["extensions"]["code"] for e in by_vendor["errors"]] == ["FORBIDDEN"]

    accepted = channel.mutate(
        channel.distributor_user("alice"), ops.ACCEPT_CAMPAIGN, "acceptIncentiveCampaign", campaignId=offer["id"]
    )
    assert accepted["campaign"]["acceptedBy"] == "alice" and accepted["campaign"]["acceptedAt"]
    assert figures(channel.line())["guarantees"] == "5000.00"
    assert channel.order("1500.00")["userErrors"] == []


# ---------------------------------------------------------------- retries and references (issue 17, low findings)


def test_a_firm_order_or_a_payment_sent_again_with_its_reference_moves_the_line_once(channel):
    channel.set_line("20000.00")
    first = channel.order("2500.00", reference="CMD-1")
    again = channel.order("2500.00", reference="CMD-1")  # the distributor's retry
    assert first["userErrors"] == again["userErrors"] == []
    assert again["movement"] == first["movement"]
    assert figures(channel.line())["outstanding"] == "2500.00"
    other = channel.order("999.00", reference="CMD-1")  # not a retry: the reference is taken
    assert [(e["code"], e["field"]) for e in other["userErrors"]] == [("REFERENCE_USED", ["input", "reference"])]
    assert figures(channel.line())["outstanding"] == "2500.00"
    assert channel.order("100.00", reference="CMD-2")["userErrors"] == []  # another order
    line = channel.line()
    assert figures(line)["outstanding"] == "2600.00" and len(line["movements"]["edges"]) == 2

    clerk = channel.distributor_user("bob", "partner-user")
    paid = {"creditLineId": line["id"], "amount": "600.00", "reference": "VIR-1"}
    for _ in range(2):
        repaid = channel.mutate(clerk, ops.RECORD_RESELLER_PAYMENT, "recordResellerPayment", **paid)
        assert repaid["userErrors"] == []
    assert figures(channel.line())["outstanding"] == "2000.00"  # repaid once
    assert len(channel.line()["movements"]["edges"]) == 3


def test_a_licence_sale_reported_again_without_reference_pays_once(channel):
    channel.campaign("REBATE", rate="0.03")
    first = channel.sale(channel.reseller, "Windows Server", "1000.00", "2027-03-01T10:00:00Z")
    again = channel.sale(channel.reseller, "Windows Server", "1000.00", "2027-03-01T11:00:00+01:00")  # same instant
    assert first["userErrors"] == again["userErrors"] == []
    assert again["payout"]["id"] == first["payout"]["id"]
    later = channel.sale(channel.reseller, "Windows Server", "1000.00", "2027-03-01T10:00:01Z")  # another sale
    assert later["payout"]["id"] != first["payout"]["id"]
    seller = Who("partner-user", channel.reseller, "r")
    payouts = channel.data(seller, "{ payouts { edges { node { kind amount { amount } } } } }")["payouts"]["edges"]
    assert [p["node"]["amount"]["amount"] for p in payouts] == ["30.00", "30.00"]


def test_two_sellers_may_report_sales_under_the_same_invoice_number(channel):
    channel.campaign("REBATE", rate="0.03")
    reseller = channel.sale(channel.reseller, "Windows Server", "1000.00", "2027-03-01T10:00:00Z", saleReference="F-1")
    firm = channel.sale(channel.services_firm, "SQL Server", "2000.00", "2027-03-02T10:00:00Z", saleReference="F-1")
    assert reseller["userErrors"] == firm["userErrors"] == []
    assert firm["payout"]["id"] != reseller["payout"]["id"]
    assert (firm["payout"]["beneficiary"]["id"], firm["payout"]["amount"]["amount"]) == (channel.services_firm, "60.00")
    assert (reseller["payout"]["beneficiary"]["id"], reseller["payout"]["amount"]["amount"]) == (
        channel.reseller,
        "30.00",
    )


def test_a_sale_reported_before_references_were_per_seller_is_not_paid_again(channel, ports):
    channel.campaign("REBATE", rate="0.03")
    vendor, seller = from_global_id(channel.vendor)[1], from_global_id(channel.reseller)[1]
    at = datetime(2027, 3, 1, 10, tzinfo=UTC)
    # Paid as the store kept it until references were per seller: under the vendor and the reference only.
    before = Payout(
        id=legacy_rebate_id(vendor, "F-OLD"),
        kind=PayoutKind.REBATE,
        status=PayoutStatus.SCHEDULED,
        amount=Money.of("30.00"),
        beneficiary_id=seller,
        payer_id=vendor,
        created_at=at,
        due_by=at,
    )
    ports.payouts.add(before)
    again = channel.sale(channel.reseller, "Windows Server", "1000.00", "2027-03-01T10:00:00Z", saleReference="F-OLD")
    assert again["userErrors"] == [] and again["payout"]["id"] == to_global_id("Payout", before.id)
    other_seller = channel.sale(
        channel.services_firm, "SQL Server", "1000.00", "2027-03-01T10:00:00Z", saleReference="F-OLD"
    )
    assert other_seller["payout"]["id"] != again["payout"]["id"]  # that old reference was the reseller's
    firm = Who("partner-user", channel.services_firm, "f")
    payouts = channel.data(firm, "{ payouts { edges { node { amount { amount } } } } }")["payouts"]["edges"]
    assert [p["node"]["amount"]["amount"] for p in payouts] == ["30.00"]
