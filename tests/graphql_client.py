"""Run GraphQL operations in-process through the API's executor, as a given caller."""

from __future__ import annotations

import asyncio
from typing import Any

from channelfin.api.core.context import Context
from channelfin.api.http.execution import executor
from channelfin.domain.access import Principal
from channelfin.services.ports import Ports


class Result:
    def __init__(self, data: dict[str, Any] | None, errors: list[dict[str, Any]]) -> None:
        self.data = data
        self.errors = errors

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]


def execute(ports: Ports, principal: Principal | None, query: str, **variables: Any) -> Result:
    async def run() -> Any:
        return await executor().execute(query, variables=variables, context=Context.build(ports, principal))

    result = asyncio.run(run())
    errors = [e.formatted for e in result.errors or []]
    return Result(result.data, errors)
