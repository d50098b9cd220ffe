"""Adapters: the ports of `services` on real things (e-signature, PDF, payments, notifications, Step Functions)."""
