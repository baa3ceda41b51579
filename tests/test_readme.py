"""Every GraphQL example in README.md and in the guides (DOCUMENTS) runs, in document order,
against the demo data.

The notes that say who runs a block and with which variables are HTML comments right above it
(`<!-- as: chef_ana -->`, `<!-- variables: {...} -->`, `<!-- expect: ... -->`), described in the
README's Tests section. A block with several operations runs each in turn; `curl` examples run
the query in their `-d` body the same way.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse, validate
from strawberry import relay

from main import limits_of
from models.accounts import User
from resolvers.seed import DEMO_PASSWORD, seed_demo
from schema import build_schema
from settings import Settings
from tests.utils import GraphQLClient, Response

pytestmark = pytest.mark.smoke

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# Each runs on a fresh demo, its examples in order, like README.md.
DOCUMENTS = [README, ROOT / "docs" / "apps.md"]
FENCE = re.compile(r"^(\s*)```(\w*)\s*$")
COMMENT = re.compile(r"^\s*<!--\s*([\w-]+):\s*(.*?)\s*-->\s*$", re.DOTALL)
ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class Example:
    line: int  # where the block starts in its file, for failure messages
    language: str
    text: str
    notes: dict[str, str] = field(default_factory=dict)
    file: str = "README.md"

    def operations(self) -> list[str]:
        """The block's operations, each as its exact text."""
        sources = self._curl_queries() if self.language == "bash" else [self.text]
        found = []
        for source in sources:
            for node in parse(source).definitions:
                assert isinstance(node, OperationDefinitionNode), f"{self.file}:{self.line}"
                assert node.loc is not None
                found.append(source[node.loc.start : node.loc.end])
        return found

    def _curl_queries(self) -> list[str]:
        words = shlex.split(self.text.replace("\\\n", " "), comments=True)
        return [json.loads(words[i + 1])["query"] for i, w in enumerate(words) if w == "-d"]

    def per_operation(self, key: str, count: int, default: Any) -> list[Any]:
        """The note's value for each of `count` operations: one for all, or a list of them."""
        raw = self.notes.get(key)
        if raw is None:
            return [default] * count
        if key == "variables":
            value = json.loads(raw)
            values = value if isinstance(value, list) else [value]
        else:
            values = [part.strip() for part in raw.split(",")]
        assert len(values) <= count, f"{self.file}:{self.line}: more {key} than operations"
        return values + [values[-1]] * (count - len(values))


def examples(text: str, file: str = "README.md") -> Iterator[Example]:
    """The ```graphql blocks and the ```bash blocks that call curl, with their notes."""
    lines = text.splitlines()
    notes: dict[str, str] = {}
    index = 0
    while index < len(lines):
        if lines[index].lstrip().startswith("<!--"):  # a note may span lines
            end = next(i for i in range(index, len(lines)) if "-->" in lines[i])
            comment = COMMENT.match("\n".join(lines[index : end + 1]))
            assert comment, f"{file}:{index + 1}: a note is <!-- name: value -->"
            notes[comment.group(1)] = comment.group(2)
            index = end + 1
            continue
        fence = FENCE.match(lines[index])
        if fence:  # skip to its end, so nothing inside a block is taken for a note
            end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == "```")
            body = "\n".join(line.removeprefix(fence.group(1)) for line in lines[index + 1 : end])
            language = fence.group(2)
            if language == "graphql" or (language == "bash" and "curl " in body):
                yield Example(index + 1, language, body, notes, file)
            notes, index = {}, end
        else:
            notes = {}  # a note belongs to the block right below it, with no line between
        index += 1


class Runner:
    """Runs examples in order, keeping each root field's latest result for later references."""

    def __init__(self, gql: GraphQLClient) -> None:
        self.gql = gql
        self.results: dict[str, Any] = {}

    async def run(self, example: Example) -> None:
        operations = example.operations()
        callers = example.per_operation("as", len(operations), ANONYMOUS)
        variables = example.per_operation("variables", len(operations), {})
        expected = {n.strip() for n in example.notes.get("expect", "").split(",") if n.strip()}
        seen: set[str] = set()
        tokens: dict[str, str | None] = {}
        for operation, caller, values in zip(operations, callers, variables, strict=True):
            where = f"{example.file}:{example.line}: {operation[:60]!r}"
            if caller not in tokens:
                tokens[caller] = await self.token_of(caller)
            response = await self.gql.post(
                operation, self.resolve(values, operation, where), token=tokens[caller]
            )
            problems = set(failures(response))
            assert response.status == 200, f"{where}: HTTP {response.status} {response.body}"
            assert problems <= expected, f"{where}: {sorted(problems - expected)} {response.body}"
            seen |= problems
            self.results.update(response.data or {})
        missing = sorted(expected - seen)
        assert not missing, f"{example.file}:{example.line}: expected {missing}"

    async def token_of(self, caller: str) -> str | None:
        if caller == ANONYMOUS:
            return None
        if caller.startswith("$"):
            return str(self.lookup(caller, caller))
        response = await self.gql.post(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
            "{ ... on AuthSuccess { token } } }",
            {"e": f"{caller}@agora.test", "p": DEMO_PASSWORD},
        )
        token = (response.data or {}).get("login", {}).get("token")
        assert token, f"cannot sign in as {caller!r}: {response.body}"
        return str(token)

    def resolve(self, values: dict[str, Any], operation: str, where: str) -> dict[str, Any]:
        # Only the variables this operation declares: a block's operations share one object.
        declared = set(re.findall(r"\$(\w+)\s*:", operation.split("{", 1)[0]))
        return {name: self.value(v, where) for name, v in values.items() if name in declared}

    def value(self, value: Any, where: str) -> Any:
        if isinstance(value, list):
            return [self.value(item, where) for item in value]
        if isinstance(value, str) and value.startswith("$"):
            return self.lookup(value, where)
        return value

    def lookup(self, reference: str, where: str) -> Any:
        found: Any = self.results
        for step in reference[1:].split("."):
            if isinstance(found, list) and step.isdigit() and int(step) < len(found):
                found = found[int(step)]
            elif isinstance(found, dict) and found.get(step) is not None:
                found = found[step]
            else:
                raise AssertionError(f"{where}: {reference} is not in the earlier results")
        return found


def failures(response: Response) -> Iterator[str]:
    """The error codes and typed error results (`__typename` ending in Error) of a response."""
    for error in response.errors:
        yield str(error.get("extensions", {}).get("code") or error.get("message"))
    yield from typed_errors(response.data)


def typed_errors(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        typename = data.get("__typename")
        if isinstance(typename, str) and typename.endswith("Error"):
            yield typename
        for value in data.values():
            yield from typed_errors(value)
    elif isinstance(data, list):
        for item in data:
            yield from typed_errors(item)


async def demo_ids(text: str) -> str:
    """The README with every `"@handle"` in its notes replaced by that demo user's global id."""
    for handle in set(re.findall(r'"@(\w+)"', text)):
        user = await User.get(handle=handle)
        text = text.replace(f'"@{handle}"', json.dumps(relay.to_base64("User", user.id)))
    return text


SAMPLE = """
<!-- as: teahouse, shopper_1 -->
<!-- variables: [{"m": "$createMerchant.merchant.id"},
                 {"u": "@chef_ana"}] -->
```graphql
mutation($m: ID!) { a: deleteMerchant(merchantId: $m) { __typename } }   # a comment
query($u: ID!) { node(id: $u) { id } }
```

Prose in between drops a note that is not right above its block:
<!-- expect: ConflictError -->

```bash
curl -s http://127.0.0.1:8000/graphql -d '{"query":"{ viewer { id } }"}'
```
"""


def test_examples_carry_the_notes_right_above_them() -> None:
    first, second = examples(SAMPLE)

    assert first.operations() == [
        "mutation($m: ID!) { a: deleteMerchant(merchantId: $m) { __typename } }",
        "query($u: ID!) { node(id: $u) { id } }",
    ]
    assert first.per_operation("as", 2, ANONYMOUS) == ["teahouse", "shopper_1"]
    assert first.per_operation("variables", 2, {})[1] == {"u": "@chef_ana"}
    assert second.notes == {}
    assert second.operations() == ["{ viewer { id } }"]
    assert second.per_operation("as", 1, ANONYMOUS) == [ANONYMOUS]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_example_parses_and_validates(document: Path) -> None:
    schema = build_schema(limits_of(Settings()))._schema
    text = document.read_text(encoding="utf-8")
    found = list(examples(text, document.name))
    # The extraction itself works: every graphql block, and README's curl example, are there.
    assert sum(e.language == "graphql" for e in found) == text.count("```graphql")
    assert document != README or any(e.language == "bash" for e in found)
    for example in found:
        for operation in example.operations():
            errors = validate(schema, parse(operation))
            assert not errors, f"{document.name}:{example.line}: {errors}"


def _read(document: Path) -> str:
    return document.read_text(encoding="utf-8")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
async def test_every_example_runs_on_the_demo_data(
    services: Any, gql: GraphQLClient, document: Path
) -> None:
    assert await seed_demo(storage=services.storage)  # demo posts' images are real objects
    runner = Runner(gql)
    text = await demo_ids(_read(document))
    for example in examples(text, document.name):
        await runner.run(example)
