"""The API behaviour tests of the unit layer, run again on DynamoDB Local.

Same assertions, real engine: GSIs, conditional transactions, pagination cursors.

The older way of running a unit module again on DynamoDB Local: star-import it here. The newer
one marks the unit module `pytestmark = pytest.mark.ports("fake", "dynamodb")` (tests/unit/conftest.py
then runs each test as test_x[fake] and test_x[dynamodb]); a marked module's tests imported here
are dropped at the end of this file, so nothing runs twice on DynamoDB Local.
"""

import pytest

from tests.parametrised_ports import runs_on_dynamodb_in_place
from tests.unit.test_api import *  # noqa: F403 — the same tests, with this layer's `ports` fixture

pytestmark = pytest.mark.integration
from tests.unit.test_audit_api import *  # noqa: E402, F403 — the audit trail, on DynamoDB Local
from tests.unit.test_consent_api import *  # noqa: E402, F403 — consent: enrolments, links, relations, on DynamoDB Local
from tests.unit.test_contract_updates import *  # noqa: E402, F403 — updateContract, a dropped party's copy deleted
from tests.unit.test_credit_risk_api import *  # noqa: E402, F403 — credit risk (issue 17), on DynamoDB Local
from tests.unit.test_escrow_api import *  # noqa: E402, F403 — escrow agreements, on DynamoDB Local
from tests.unit.test_esign_flow import *  # noqa: E402, F403 — documents and the e-signature webhook, on DynamoDB Local
from tests.unit.test_financing_api import *  # noqa: E402, F403 — the financing rules, on DynamoDB Local
from tests.unit.test_incentives_api import *  # noqa: E402, F403 — campaigns and credit lines, on DynamoDB Local
from tests.unit.test_paging_api import *  # noqa: E402, F403 — signed cursors and backward pages, on DynamoDB Local
from tests.unit.test_partner_profiles import *  # noqa: E402, F403 — public profiles, "shares a contract" as a Query
from tests.unit.test_payments_api import *  # noqa: E402, F403 — payers, runs, set-off and the ledger, on DynamoDB Local
from tests.unit.test_programs_api import *  # noqa: E402, F403 — partner programs, on DynamoDB Local
from tests.unit.test_signature_control import *  # noqa: E402, F403 — who vouches for signatures (issue 17), on DynamoDB Local

# Star imports bring each module's own pytestmark along: this module's is set again after them.
pytestmark = pytest.mark.integration  # noqa: F811
for _name, _test in list(globals().items()):
    if _name.startswith("test") and runs_on_dynamodb_in_place(_test):
        del globals()[_name]
