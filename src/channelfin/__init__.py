"""channelfin: the GraphQL API of a software-channel financing platform."""
