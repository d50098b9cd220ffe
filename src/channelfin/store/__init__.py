"""DynamoDB persistence: the ports of `services.ports` on three tables, one module per aggregate.

Three tables, each with a string partition key `pk`, sort key `sk` and generic global
secondary indexes `gsi1`..`gsi4` (keys `gsiNpk`/`gsiNsk`, projection ALL). Money is
stored as integer cents plus a currency code; rates as exact decimal strings. Nested data
(a contract's timeline and file, an escrow agreement's history, a credit line's changes, a
program's tier rules...) is stored one way: PynamoDB maps and lists of maps, read through
`reads.py` like every other attribute. Items written before that, with JSON strings, are
still read (`legacy_json.py`) and take the new form when next saved.

  partners    single-table: partners and financing agreements (`partners.py`), partner
              programs, enrolments and sales (`programs.py`), reseller links and the relations
              consent makes (`relations.py`), escrow agreements (`escrow.py`),
              incentive campaigns and credit lines (`incentives.py`), the audit trail and the
              e-signature events processed (`audit.py`)
  contracts   contracts and their copies per party (`contracts.py`)
  payouts     payouts (`payouts.py`)
  idempotency Powertools' idempotency records (written by Powertools only)
  persisted-queries  GraphQL documents by SHA-256, automatic (with a TTL) or trusted
              (`persisted_queries.py`; key `id` only)

Each aggregate's module holds its PynamoDB record (the one description of its items, and
every write), gives the items' keys and access patterns, maps records to domain objects, and
turns storage errors into typed exceptions (`Conflict` on a lost conditional write) so the
use cases never see botocore; `financing_file.py` holds the maps nested in a contract.
Beside them: `reads.py` (items read into light views), `dynamo.py` (the shared toolkit:
indexes, attribute types, paged queries, conditional writes), `cursors.py`, `tables.py`
(every record; binding and creating the tables) and `pdf_files.py` (the documents' PDFs
in S3).

No code path uses Scan.
"""
