"""Secrets read at run time from Secrets Manager (Powertools Parameters), cached.

A function's environment names the secret, never holds its value (issue 17): the value is read
when first needed and cached for `MAX_AGE_SECONDS`, so a warm function does not call Secrets
Manager on every request and a rotated secret is picked up within that time.
"""

from __future__ import annotations

from typing import Any

MAX_AGE_SECONDS = 300


def secret_text(secret_id: str) -> str:
    """The secret's string ("" when it holds none)."""
    from aws_lambda_powertools.utilities import parameters

    value: Any = parameters.get_secret(secret_id, max_age=MAX_AGE_SECONDS)
    return value if isinstance(value, str) else ""


def secret_key(secret_id: str, key: str) -> str:
    """`key` of the JSON secret `secret_id` ("" when absent: the caller refuses to work without it)."""
    from aws_lambda_powertools.utilities import parameters

    value: Any = parameters.get_secret(secret_id, transform="json", max_age=MAX_AGE_SECONDS)
    found = value.get(key, "") if isinstance(value, dict) else ""
    return found if isinstance(found, str) else ""
