"""checkov's baseline (infra/checkov-baseline.yaml) and how infra/check_template.py judges findings.

infra/validate runs checkov itself on the packaged template (about 15 s, in .venv-checkov);
these tests hold the baseline to its rules without running checkov: every accepted finding has
its resources and its reason, an unlisted finding fails, a listed one that went away fails too.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_template", ROOT / "infra" / "check_template.py")
assert spec and spec.loader
check_template = importlib.util.module_from_spec(spec)
sys.modules["check_template"] = check_template  # its dataclass looks its module up
spec.loader.exec_module(check_template)
Finding = check_template.Finding

REASON = "The functions reach only AWS APIs over TLS, so a VPC would add cost and nothing else."


def report(*failed: tuple[str, str]) -> dict:
    """checkov's JSON report for the cloudformation framework."""
    return {
        "check_type": "cloudformation",
        "results": {
            "failed_checks": [
                {"check_id": check_id, "check_name": "a check", "resource": f"AWS::Lambda::Function.{logical_id}"}
                for check_id, logical_id in failed
            ]
        },
    }


def test_the_committed_baseline_gives_every_accepted_check_its_resources_and_reason():
    baseline = check_template.load_baseline()
    assert baseline, "infra/checkov-baseline.yaml is empty"
    assert check_template.baseline_problems(baseline) == []
    assert all(check_id.startswith("CKV_") for check_id in baseline)


def test_a_finding_the_baseline_does_not_list_fails():
    findings = check_template.parse(report(("CKV_AWS_117", "GraphqlLambdaFunction"), ("CKV_AWS_45", "Graphql")))
    baseline = {"CKV_AWS_117": {"resources": ["*LambdaFunction"], "reason": REASON}}
    assert check_template.problems(findings, baseline) == [
        "CKV_AWS_45 on Graphql: a check (fix it, or baseline it with a reason)"
    ]


def test_a_check_is_accepted_only_on_the_resources_it_names():
    findings = [Finding("CKV_AWS_18", "DocumentsBucket", "access logging"), Finding("CKV_AWS_18", "Other", "x")]
    baseline = {"CKV_AWS_18": {"resources": ["DocumentsBucket"], "reason": REASON}}
    assert check_template.problems(findings, baseline) == [
        "CKV_AWS_18 on Other: x (fix it, or baseline it with a reason)"
    ]


def test_an_entry_that_matches_nothing_any_more_must_be_removed():
    findings = [Finding("CKV_AWS_117", "GraphqlLambdaFunction", "VPC")]
    baseline = {
        "CKV_AWS_117": {"resources": ["*LambdaFunction"], "reason": REASON},
        "CKV_AWS_21": {"resources": ["DocumentsBucket"], "reason": REASON},
    }
    assert check_template.problems(findings, baseline) == [
        "CKV_AWS_21 on DocumentsBucket: baselined but no longer found; remove it from checkov-baseline.yaml"
    ]


def test_an_entry_without_a_reason_or_resources_fails():
    baseline = {
        "CKV_AWS_117": {"resources": ["*LambdaFunction"], "reason": "TODO"},
        "CKV_AWS_116": {"reason": REASON},
    }
    assert check_template.baseline_problems(baseline) == [
        "CKV_AWS_117: no reason (a sentence saying why the finding is accepted)",
        "CKV_AWS_116: no resources (logical ids or patterns)",
    ]


def test_checkovs_report_as_a_list_of_frameworks_is_read_whole():
    findings = check_template.parse([report(("CKV_AWS_117", "A")), report(("CKV_AWS_116", "B"))])
    assert findings == [Finding("CKV_AWS_117", "A", "a check"), Finding("CKV_AWS_116", "B", "a check")]
