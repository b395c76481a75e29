"""Argument types for the command line: a value out of range is refused by argparse with the
option's name (exit 2), before any work starts."""

from __future__ import annotations

import argparse
import math


def positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: '{text}'") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _number(text: str, ok, rule: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: '{text}'") from None
    if not (math.isfinite(x) and ok(x)):  # nan and inf are never meant
        raise argparse.ArgumentTypeError(f"{rule}, got '{text}'")
    return x


def positive_seconds(text: str) -> float:
    return _number(text, lambda x: x > 0, "must be a positive number of seconds")


def megabytes(text: str) -> float:
    return _number(text, lambda x: 0 < x <= 1024 * 1024, "must be a positive number of MB")


def confidence(text: str) -> float:
    return _number(text, lambda x: 0.0 <= x <= 1.0, "a confidence is from 0 to 1")


def port(text: str) -> int:
    n = positive_int(text)
    if n > 65535:
        raise argparse.ArgumentTypeError(f"a port is from 1 to 65535, got {n}")
    return n
