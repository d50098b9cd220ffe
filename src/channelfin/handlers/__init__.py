"""Lambda entry points: thin wiring around the API and the use cases."""
