"""Business rules and formulas in pure Python: no AWS, no GraphQL, no I/O."""
