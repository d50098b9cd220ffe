"""The outbox: every fact a mutation or a workflow step writes carries its events, for the parties only."""

from __future__ import annotations

import json

import pytest

from channelfin.api.core.ids import from_global_id
from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.errors import Conflict
from channelfin.services import outbox
from channelfin.services.paging import all_items
from tests.financing_flow import FinancingFlow


@pytest.fixture
def flow(world):
    return FinancingFlow(world)


def _events(ports, partner_gid):
    """The partner's feed, through the store's port (tests/integration runs this on DynamoDB Local)."""
    partner = from_global_id(partner_gid)[1]
    return list(all_items(lambda page: ports.webhooks.feed(partner, since="evt_", types=None, page=page)))


def test_a_contract_driven_to_active_records_each_status_change_in_order(flow):
    contract = flow.new_contract()
    flow.to_active(contract)
    ports, world = flow.world.ports, flow.world
    mine = _events(ports, world.publisher)
    changes = [e.data for e in mine if e.type.value == "contract.status_changed"]
    timeline = flow.read(contract)["timeline"]
    assert [(c["from"], c["to"]) for c in changes] == [
        (timeline[i - 1]["status"] if i else None, t["status"]) for i, t in enumerate(timeline)
    ]
    assert changes[-1]["to"] == "ACTIVE" and changes[-1]["contract"]["status"] == "ACTIVE"
    assert all(c["contract"]["id"] == contract for c in changes)
    kinds = [e.type.value for e in mine]
    assert kinds.index("financing.decided") < kinds.index("document.signed") < kinds.index("payout.scheduled")
    signed = [e.data["document"] for e in mine if e.type.value == "document.signed"]
    assert sorted(signed) == ["DELIVERY_REPORT", "LEASE_CONTRACT", "SALE_CONTRACT"]
    assert "payout.paid" in kinds
    assert [e.id for e in mine] == sorted(e.id for e in mine), "ids sort in the order the facts were written"


def test_each_party_gets_its_own_copy_and_a_stranger_none(flow):
    contract = flow.new_contract()
    flow.to_active(contract)
    ports, world = flow.world.ports, flow.world
    publisher, reseller = _events(ports, world.publisher), _events(ports, world.reseller)
    assert _events(ports, world.stranger) == []
    changes = [e for e in reseller if e.type.value == "contract.status_changed"]
    assert len(changes) == len([e for e in publisher if e.type.value == "contract.status_changed"])
    body = json.loads(changes[0].body)
    assert set(body) == {"id", "type", "timestamp", "data"}
    # The agreement's terms are the owner's: the reseller's copy of the decision does not carry them.
    decided = [e.data for e in reseller if e.type.value == "financing.decided"]
    assert decided and all(d["contract"]["financing"]["agreement"] is None for d in decided)
    owners = [e.data for e in publisher if e.type.value == "financing.decided"]
    assert owners[0]["contract"]["financing"]["agreement"] is not None


def test_a_write_that_loses_its_race_records_no_event(flow):
    contract = flow.new_contract()
    ports = flow.world.ports
    before = _events(ports, flow.world.publisher)
    current = ports.contracts.get(flow.local(contract))
    assert current is not None
    moved = current.moved_to(ContractStatus.CANCELLED, at=ports.clock(), actor="someone")
    events = outbox.of_contract(ports, current, moved)
    assert events
    with pytest.raises(Conflict):
        ports.contracts.save(moved, expected_version=current.version + 7, events=events)
    assert _events(ports, flow.world.publisher) == before


def test_a_refused_mutation_records_no_event(flow):
    contract = flow.new_contract()
    ports = flow.world.ports
    before = _events(ports, flow.world.publisher)
    payload = flow.world.run(
        flow.owner,
        "mutation($i: SubmitDeliveryReportInput!) { submitDeliveryReport(input: $i) { userErrors { code } } }",
        i={"contractId": contract, "installedAt": "2026-11-01", "signedBy": "x"},
    )
    assert payload.data["submitDeliveryReport"]["userErrors"]
    assert _events(ports, flow.world.publisher) == before
