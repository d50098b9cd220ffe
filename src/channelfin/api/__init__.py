"""The GraphQL API (Strawberry): schema, context, loaders, permissions, errors, pagination."""
