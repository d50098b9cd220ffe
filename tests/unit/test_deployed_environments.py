"""Each deployed function's environment, as the packaged template gives it, is one its code can run with."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.unit.test_deployment import PACKAGED, ROOT, of_type, packaged

# Each function's ports built from the variables the packaged template gives it (a reference
# stands for a name or an ARN: a placeholder here), in a process of its own: building the ports
# names the tables process-wide. Reading a secret answers a placeholder key.
BUILD_EACH_FUNCTIONS_PORTS = r"""
import json, sys
from channelfin.adapters import secrets
secrets.secret_text = lambda secret_id: "placeholder-key"
from channelfin.bootstrap import Settings, build_ports
built = {}
for name, variables in json.load(sys.stdin).items():
    try:
        built[name] = {"needs_signer_email": build_ports(Settings.from_env(variables)).signatures.needs_signer_email}
    except Exception as error:
        built[name] = {"error": f"{type(error).__name__}: {error}"}
print(json.dumps(built))
"""


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate packages the template")
def test_every_function_builds_its_ports_from_the_environment_it_is_deployed_with():
    """The API builds them at init, the steps on their first call. Yousign, the stack's provider, used
    to need its key in every function: the API and 29 others failed there, and only three have it."""

    def value(name: str, given: object) -> str:
        return given if isinstance(given, str) else f"arn:aws:states:eu-west-3:123456789012:stateMachine:{name}"

    environments = {
        name: {k: value(k, v) for k, v in function["Properties"].get("Environment", {}).get("Variables", {}).items()}
        for name, function in of_type(packaged(), "AWS::Lambda::Function").items()
    }
    aws = {"AWS_REGION": "eu-west-3", "AWS_ACCESS_KEY_ID": "deploy", "AWS_SECRET_ACCESS_KEY": "deploy"}
    done = subprocess.run(
        [sys.executable, "-c", BUILD_EACH_FUNCTIONS_PORTS],
        input=json.dumps(environments),
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT / "src"), **aws},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    built = json.loads(done.stdout.splitlines()[-1])
    assert len(built) == len(environments) > 20
    assert {name: b for name, b in built.items() if "error" in b} == {}
    # the provider mails its requests: the API refuses a file whose end client it could not reach
    assert built["GraphqlLambdaFunction"] == {"needs_signer_email": True}


def _allowed(resources: dict, role: str) -> set[tuple[str, str]]:
    """(action, resource) pairs a role's own policies and the managed policies naming it allow."""
    documents = [p["PolicyDocument"] for p in resources[role]["Properties"].get("Policies", [])]
    documents += [
        r["Properties"]["PolicyDocument"]
        for r in of_type(resources, "AWS::IAM::ManagedPolicy").values()
        if {"Ref": role} in r["Properties"].get("Roles", [])
    ]
    pairs = set()
    for document in documents:
        for statement in document["Statement"]:
            targets = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            pairs |= {(a, json.dumps(t, sort_keys=True)) for a in actions for t in targets}
    return pairs


def _table(name: str) -> str:
    return json.dumps({"Fn::GetAtt": [name, "Arn"]}, sort_keys=True)


def _index(name: str, index: str) -> str:
    return json.dumps({"Fn::Sub": f"${{{name}.Arn}}/index/{index}"}, sort_keys=True)


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate packages the template")
def test_the_calls_a_first_deploy_was_denied_are_allowed():
    """Found on 2026-12-03 by invoking each function once with its template environment under moto,
    every AWS call checked against its role: three functions would have been denied in AWS."""
    resources = packaged()
    role_of = {n: f["Properties"]["Role"] for n, f in of_type(resources, "AWS::Lambda::Function").items()}
    ending = {role_of["ExpireLambdaFunction"]["Fn::GetAtt"][0], role_of["CancelLambdaFunction"]["Fn::GetAtt"][0]}
    assert len(ending) == 1
    (ending_role,) = ending
    # Expire and Cancel undo the sale: the enrolment's sale cancelled, the contract's payouts found and
    # cancelled or clawed back, each change with its event.
    assert {
        ("dynamodb:UpdateItem", _table("PartnersTable")),
        ("dynamodb:Query", _index("PayoutsTable", "gsi2")),
        ("dynamodb:GetItem", _table("PayoutsTable")),
        ("dynamodb:PutItem", _table("PayoutsTable")),
        ("dynamodb:PutItem", _table("EventsTable")),
    } <= _allowed(resources, ending_role)
    # A payment run reads the contracts of the commissions it paid (a sale cancelled meanwhile).
    assert ("dynamodb:BatchGetItem", _table("ContractsTable")) in _allowed(resources, "PaymentStepRole")
    # updateContract: a party no longer named loses its copy of the contract.
    assert ("dynamodb:DeleteItem", _table("ContractsTable")) in _allowed(resources, "GraphqlFunctionRole")
