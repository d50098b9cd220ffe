"""Step Functions: the state machine step handlers and the execution port (see infra/*.asl.json)."""
