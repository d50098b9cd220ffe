"""Every userError code comes from the catalogue, and README's table is the catalogue's."""

from __future__ import annotations

import ast
from pathlib import Path

from channelfin.domain.error_codes import CATALOGUE, markdown_table

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "channelfin"


def test_no_code_is_written_as_a_bare_string():
    bare = []
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "code"
                and isinstance(node.value, ast.Constant | ast.JoinedStr)
            ):
                bare.append(f"{path.relative_to(ROOT)}:{node.value.lineno} {ast.unparse(node.value)}")
    assert bare == [], "codes come from channelfin.domain.error_codes:\n" + "\n".join(bare)


def test_each_code_belongs_to_one_area():
    codes = [code.value for enum in CATALOGUE for code in enum]
    assert len(codes) == len(set(codes))
    assert all(code.isupper() and " " not in code for code in codes)


def test_the_readme_lists_the_catalogue():
    readme = (ROOT / "README.md").read_text()
    listed = readme.split("<!-- error-codes:start -->\n", 1)[1].split("<!-- error-codes:end -->", 1)[0]
    assert listed == markdown_table(), "run: python -m channelfin.domain.error_codes, and paste it into README.md"
