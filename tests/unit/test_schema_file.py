from pathlib import Path

from channelfin.api.schema import schema
from channelfin.cli import main

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_committed_schema_is_the_one_the_code_exports():
    assert SCHEMA_FILE.read_text() == schema.as_str() + "\n", (
        "schema.graphql is out of step with the code: run `channelfin export-schema` and commit it"
    )


def test_export_schema_writes_the_file(tmp_path, capsys):
    target = tmp_path / "schema.graphql"
    assert main(["export-schema", "--output", str(target)]) == 0
    assert target.read_text() == SCHEMA_FILE.read_text()


def _signatures() -> str:
    """Every root field as `name(arg: Type): Type`, one a line: the SDL without descriptions, which
    print an argument that has one on lines of its own."""
    lines = []
    for root in (schema._schema.query_type, schema._schema.mutation_type):
        assert root is not None
        for name, field in root.fields.items():
            arguments = ", ".join(f"{a}: {arg.type}" for a, arg in field.args.items())
            lines.append(f"{name}({arguments}): {field.type}" if arguments else f"{name}: {field.type}")
    return "\n".join(lines)


def test_binding_names_of_design_section_4_are_there():
    sdl = schema.as_str() + "\n" + _signatures()
    for fragment in (
        "leaseQuote(input: LeaseQuoteInput!): LeaseQuote!",
        "registerPartner(input: RegisterPartnerInput!): RegisterPartnerPayload!",
        "signFinancingAgreement(input: SignFinancingAgreementInput!): SignFinancingAgreementPayload!",
        "createContract(input: CreateContractInput!): CreateContractPayload!",
        "contract(id: ID!): Contract",
        "node(id: ID!): Node",
        "viewer: Viewer!",
        "scalar Decimal",
    ):
        assert fragment in sdl
