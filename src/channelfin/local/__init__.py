"""Workstation-only wiring: DynamoDB Local, dev tokens, the dev server. Never imported by Lambda code."""
