"""The project's own check of the packaged template's state machines (run by infra/validate).

For every AWS::StepFunctions::StateMachine in the template: each `${Name}` placeholder of
its definition has a DefinitionSubstitution; each substitution is the ARN of a Lambda
function of the template; the definition's shape holds (no dangling Next/Default/Catch,
no unreachable state, tokens passed). And every infra/*.asl.json is deployed.
Exit status 1 and one line per problem otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from channelfin.workflows.definitions import check, placeholders  # noqa: E402

TEMPLATE = ROOT / ".serverless" / "cloudformation-template-update-stack.json"


def problems(template: dict, definition_files: list[Path]) -> list[str]:
    resources = template.get("Resources", {})
    functions = {name for name, r in resources.items() if r.get("Type") == "AWS::Lambda::Function"}
    machines = {
        name: r["Properties"] for name, r in resources.items() if r.get("Type") == "AWS::StepFunctions::StateMachine"
    }
    found: list[str] = []
    deployed = []
    for name, props in machines.items():
        text = props.get("DefinitionString")
        if not isinstance(text, str):
            found.append(f"{name}: DefinitionString is not a plain string")
            continue
        deployed.append(text)
        substitutions = props.get("DefinitionSubstitutions", {})
        for step in placeholders(text):
            target = substitutions.get(step)
            if target is None:
                found.append(f"{name}: ${{{step}}} has no DefinitionSubstitution")
                continue
            get_att = target.get("Fn::GetAtt") if isinstance(target, dict) else None
            if not get_att or get_att[0] not in functions:
                found.append(f"{name}: ${{{step}}} is not the ARN of a Lambda function of this template")
        found += [f"{name}: {p}" for p in check(json.loads(text), set(substitutions))]
    for path in definition_files:
        if json.loads(path.read_text()) not in [json.loads(t) for t in deployed]:
            found.append(f"{path.relative_to(ROOT)} is not deployed by serverless.yml")
    return found


def main() -> int:
    if not TEMPLATE.exists():
        print(f"no {TEMPLATE.relative_to(ROOT)}: run `osls package` first", file=sys.stderr)
        return 1
    found = problems(json.loads(TEMPLATE.read_text()), sorted((ROOT / "infra").glob("*.asl.json")))
    for problem in found:
        print(f"state machines: {problem}", file=sys.stderr)
    if not found:
        print("state machines: every Task maps to a function of the template; definitions well formed")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
