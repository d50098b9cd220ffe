"""The state machine definitions under infra/, loaded for the local engine and checked for shape.

Each Task names its Lambda function as a `${StepName}` placeholder: CloudFormation's
`DefinitionSubstitutions` fills in the deployed ARNs, the local stack fills in local
function names. The same file runs everywhere.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

PLACEHOLDER = re.compile(r"\$\{([A-Za-z][A-Za-z0-9]*)\}")
INFRA_DIR_NAME = "infra"


def infra_dir(start: Path | None = None) -> Path:
    """The project's infra/ folder, found above `start` (default: the working directory) or this file."""
    for origin in (Path(start or Path.cwd()).resolve(), Path(__file__).resolve().parent):
        for folder in (origin, *origin.parents):
            candidate = folder / INFRA_DIR_NAME
            if (candidate / "financing.asl.json").is_file():
                return candidate
    raise FileNotFoundError("infra/financing.asl.json not found above the working directory")


def definition_path(name: str) -> Path:
    return infra_dir() / f"{name}.asl.json"


def placeholders(text: str) -> list[str]:
    return sorted(set(PLACEHOLDER.findall(text)))


def substitute(text: str, values: dict[str, str]) -> str:
    missing = [p for p in placeholders(text) if p not in values]
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def _targets(state: dict[str, Any]) -> list[str]:
    found = [state[k] for k in ("Next", "Default") if k in state]
    found += [c["Next"] for c in state.get("Choices", []) if "Next" in c]
    found += [c["Next"] for c in state.get("Catch", [])]
    return found


def check(definition: dict[str, Any], known_steps: set[str]) -> list[str]:
    """Problems with a definition's shape (empty when fine): dangling targets, unknown steps, dead states.

    Parallel branches and Map iterators are checked the same way, as state machines of their own.
    """
    problems: list[str] = []
    for state in definition.get("States", {}).values():
        for nested in [
            *state.get("Branches", []),
            *(s for s in (state.get("Iterator"), state.get("ItemProcessor")) if s),
        ]:
            problems += check(nested, known_steps)
    states: dict[str, Any] = definition.get("States", {})
    if definition.get("StartAt") not in states:
        problems.append(f"StartAt {definition.get('StartAt')!r} is not a state")
    for name, state in states.items():
        for target in _targets(state):
            if target not in states:
                problems.append(f"{name} goes to {target!r}, which is not a state")
        if state.get("Type") not in ("Succeed", "Fail", "Choice") and "Next" not in state and not state.get("End"):
            problems.append(f"{name} has neither Next nor End")
        if state.get("Type") == "Task":
            function = state.get("Parameters", {}).get("FunctionName", state.get("Resource", ""))
            for step in placeholders(json.dumps(function)) or [function]:
                if step not in known_steps:
                    problems.append(f"{name} calls {step!r}, which is not a declared step")
            if state.get("Resource", "").endswith(".waitForTaskToken") and "$$.Task.Token" not in json.dumps(
                state.get("Parameters", {})
            ):
                problems.append(f"{name} waits for a task token but does not pass $$.Task.Token")
    reachable: set[str] = set()
    todo: list[str] = [str(definition.get("StartAt"))]
    while todo:
        name = todo.pop()
        if name in reachable or name not in states:
            continue
        reachable.add(name)
        todo.extend(_targets(states[name]))
    problems += [f"{name} is unreachable" for name in states if name not in reachable]
    return problems
