"""Use cases: one function each, working on domain objects through ports."""
