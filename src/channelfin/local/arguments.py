"""Argument types of the `channelfin` command: a bad value is argparse's one-line error, not a
traceback after the stack has started."""

from __future__ import annotations

import argparse


def port(text: str) -> int:
    port = positive(text)
    if port > 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a TCP port (1 to 65535)")
    return port


def ttl(text: str) -> int:
    """Seconds; negative on purpose mints a token already expired (how a client's expiry path is tested)."""
    seconds = whole(text)
    if abs(seconds) > 30 * 24 * 3600:
        raise argparse.ArgumentTypeError(f"{seconds} s is more than 30 days")
    return seconds


def positive(text: str) -> int:
    value = whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not positive")
    return value


def whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
