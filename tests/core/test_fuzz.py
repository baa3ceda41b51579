"""Property-based fuzzing of every root Query and Mutation field with hostile but well-typed input.

Generic, like test_bad_input: the fields, their arguments and the input types come from the
schema the app serves (tests/introspect.py), so a new field is fuzzed without editing this file.
Each generated document calls one root field with its required arguments and a random choice of
its optional ones, all as variables of the argument's own type, so the document validates and the
values reach the resolvers. Values are drawn per GraphQL type:

- String: unicode, control characters and NUL bytes, very long strings (up to 100,000
  characters, around each column length), values shaped for the argument (emails, handles,
  slugs, https URLs, payment tokens, GraphQL documents, cursors);
- Int: the 32-bit edges and whatever lies between; Boolean, Float; DateTime from year 1 to
  9999 at offsets from -12:00 to +14:00;
- ID: global ids of every Node type (and of types that are no Node) with pks at 0, negative,
  2**31, 2**63 and beyond, real ids of the test world (most often of the type the argument
  names), garbage base64 and plain garbage;
- cursors: base64 of `c:<huge>` and of sort cursors holding values of the wrong type;
- enums, input objects (recursively), lists (empty, short, long).

Each document is sent through the real ASGI app as an anonymous caller, a signed-in admin and a
merchant (who owns the world's catalog). Whatever comes back, never: an HTTP 5xx, an error with
`extensions.code` INTERNAL_SERVER_ERROR, or a logged traceback.

CI runs about AGORA_FUZZ_EXAMPLES (default 400) documents in all, spread evenly over the fields
(one without arguments has fewer to try), derandomized so a run is reproducible and no example
database is written. For a big run:
`AGORA_FUZZ_EXAMPLES=5000 AGORA_FUZZ_RANDOM=1 .venv/bin/pytest tests/core/test_fuzz.py`;
with AGORA_FUZZ_STATS=FILE the run appends a line of figures (documents, requests, status
codes, error codes, payload types reached) to FILE.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
import re
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strawberry import relay

from models.accounts import Role, Session, User
from models.apps import AppToken
from models.carts import CartLine
from models.orders import LineStatus, OrderLine, OrderStatus
from models.reviews import Review
from tests.authz import BuildWorld, World
from tests.carts.shop import make_cart, make_coupon, make_order
from tests.core.test_bad_input import selection
from tests.introspect import SCHEMA, named, node_type_names
from tests.utils import GraphQLClient, gid

TOTAL_EXAMPLES = int(os.environ.get("AGORA_FUZZ_EXAMPLES", "400"))
RANDOM = os.environ.get("AGORA_FUZZ_RANDOM", "") not in ("", "0")
STATS_FILE = os.environ.get("AGORA_FUZZ_STATS")

ROOTS = {"query": SCHEMA.query_type, "mutation": SCHEMA.mutation_type}
FIELDS = [
    (operation, name)
    for operation, root in ROOTS.items()
    if root is not None
    for name in root.fields
]
PER_FIELD = max(1, math.ceil(TOTAL_EXAMPLES / len(FIELDS)))
NODE_TYPES = node_type_names()
NOT_NODES = ("Money", "Viewer", "")  # a type name that is no Node, and none at all

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# Around the lengths of the model columns and of the checks: one under, at, one over.
LENGTHS = sorted(
    {n + d for n in (3, 30, 40, 60, 64, 80, 100, 120, 128, 200, 254, 255, 500) for d in (0, 1)}
    | {1000, 2000, 2001, 5000, 5001, 50_000, 50_001, 100_000}
)
PKS: list[int | str] = [0, -1, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, 10**20, 10**40]
PKS += ["", "abc", "1.5", " 1", "1e3", "0x10", "\x00", "-0"]


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# ---- strategies -------------------------------------------------------------------------------

# No lone surrogates: the JSON parser refuses them (a 400) before GraphQL sees anything.
unicode_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
control_text = st.text(st.characters(max_codepoint=0x9F, categories=["Cc"]), min_size=1)
with_nul = st.builds(lambda a, b: f"{a}\x00{b}", unicode_text, unicode_text)
long_text = st.builds(
    lambda ch, n: (ch * n)[:n],
    st.sampled_from(["a", "é", "😀", "\x00", " ", "a ", "<p>", "-", "1"]),
    st.sampled_from(LENGTHS) | st.integers(0, 100_000),
)

huge_ints = st.sampled_from([2**63 - 1, 2**63, 10**20, 10**100, -(2**63) - 1, 0, -1])
sort_values = st.sampled_from(["x", "", "\x00", 1.5, None, True, [1], {"a": 1}]) | huge_ints
cursors = st.one_of(
    st.builds(lambda n: b64(f"c:{n}"), huge_ints | st.integers()),
    st.builds(lambda v, i: b64("k:" + json.dumps([v, i])), sort_values, huge_ints | sort_values),
    st.builds(lambda s: b64(f"k:{s}"), unicode_text),
    st.builds(lambda s: b64(s), unicode_text),
    st.binary(max_size=30).map(lambda raw: base64.b64encode(raw).decode()),
)


def shaped(name: str) -> st.SearchStrategy[str] | None:
    """Values of the shape the argument expects, so that some get past the first check."""
    lowered = name.lower()
    if lowered in ("after", "before"):
        return cursors
    if "email" in lowered:
        return st.builds(
            lambda local, domain: f"{local}@{domain}",
            st.sampled_from(["a", "ada", "a" * 64, "a" * 65, "a\x00b"]) | long_text,
            st.sampled_from(["example.com", "agora.test", "x.y"]) | long_text,
        )
    if lowered in ("handle", "slug", "code", "tag", "sku", "currency", "country"):
        return st.sampled_from(["ada_l", "lins-tea", "USD", "EUR", "SAVE10", "GB", "a" * 40])
    if "url" in lowered:
        return st.builds(lambda rest: f"https://cdn.example/{rest}", unicode_text | long_text)
    if "html" in lowered:
        return st.builds(lambda body: f"<p>{body}</p>", unicode_text | long_text)
    if "paymenttoken" in lowered:
        return st.sampled_from(["tok_ok", "tok_declined", "tok_unavailable", "tok_capture_fails"])
    if lowered == "documents":
        return st.builds(
            lambda s: f"query Q {{ user(handle: {json.dumps(s)}) {{ id }} }}", st.text()
        )
    if "password" in lowered:
        return st.sampled_from(["correct-horse-battery-9", "agora-demo-pass"]) | long_text
    return None


def strings(name: str, small: bool) -> st.SearchStrategy[str]:
    generic = [unicode_text, control_text, with_nul, cursors]
    if not small:
        generic.append(long_text)
    hint = shaped(name)
    return st.one_of(*([hint, hint] if hint is not None else []), *generic)


def ints() -> st.SearchStrategy[int]:
    edges = [INT_MIN, INT_MIN + 1, -1, 0, 1, 2, 5, 6, 20, 100, 101, 366, 367, INT_MAX - 1, INT_MAX]
    return st.sampled_from(edges) | st.integers(INT_MIN, INT_MAX)


def datetimes() -> st.SearchStrategy[str]:
    """Any instant from year 1 to 9999, in zones from -12:00 to +14:00: at the edges, the
    same instant in UTC is outside what Python and PostgreSQL can hold."""
    zones = st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])
    # hypothesis wants naive bounds, and puts the zone on itself.
    low, high = datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    stamps = st.datetimes(
        min_value=low.replace(tzinfo=None), max_value=high.replace(tzinfo=None), timezones=zones
    ).map(datetime.isoformat)
    edges = [
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59+00:00",
        "9999-12-31T23:59:59-12:00",
        "2026-01-01T00:00:00",
    ]
    return st.sampled_from(edges) | stamps


@dataclass(slots=True)
class Pool:
    """The global ids of real objects, so generated ids sometimes name something that exists."""

    ids: list[str] = field(default_factory=list)

    def of_type(self, type_name: str) -> list[str]:
        return [i for i in self.ids if relay.GlobalID.from_id(i).type_name == type_name]


ALIASES = {"creator": "User", "line": "OrderLine", "source": ""}


def id_type(name: str, home: str) -> str:
    """The Node type an ID argument probably names: `merchantId` a Merchant, `lineIds`
    OrderLines, `id` the root field's own type (`product(id:)`)."""
    stem = re.sub(r"Ids?$", "", name)
    if stem in ("id", "ids"):
        return home
    return ALIASES.get(stem, stem[:1].upper() + stem[1:])


def ids(name: str, pool: Pool, home: str) -> st.SearchStrategy[str]:
    type_names = st.sampled_from([*NODE_TYPES, *NOT_NODES])
    # Real ids of the type the argument takes get documents past "not found", to the checks
    # of the values that come with them.
    fitting = pool.of_type(id_type(name, home))
    return st.one_of(
        *([st.sampled_from(fitting)] * 3 if fitting else []),
        st.sampled_from(pool.ids),
        st.builds(gid, type_names, st.sampled_from(PKS) | st.integers()),
        st.builds(lambda t, s: b64(f"{t}:{s}"), type_names, unicode_text),
        st.binary(max_size=24).map(lambda raw: base64.b64encode(raw).decode()),
        unicode_text,
        cursors,
    )


def value_of(
    name: str, type_: GraphQLInputType, pool: Pool, home: str, *, small: bool = False
) -> st.SearchStrategy[Any]:
    """Any value of this GraphQL input type, as a JSON variable (null too where allowed)."""
    if not isinstance(type_, GraphQLNonNull):
        return st.none() | value_of(name, GraphQLNonNull(type_), pool, home, small=small)
    inner = type_.of_type
    if isinstance(inner, GraphQLList):
        item = inner.of_type
        short = st.lists(value_of(name, item, pool, home, small=small), max_size=4)
        # Long lists repeat one small value: a thousand 100k-character strings prove nothing
        # more than one does.
        long = st.builds(
            lambda one, n: [one] * n,
            value_of(name, item, pool, home, small=True),
            st.sampled_from([21, 101, 1000]),
        )
        return st.just([]) | short | long
    if isinstance(inner, GraphQLEnumType):
        return st.sampled_from(list(inner.values))
    if isinstance(inner, GraphQLInputObjectType):
        fields = inner.fields
        required = {
            key: value_of(key, f.type, pool, home, small=small)
            for key, f in fields.items()
            if isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined
        }
        optional = {
            key: value_of(key, f.type, pool, home, small=small)
            for key, f in fields.items()
            if key not in required
        }
        return st.fixed_dictionaries(required, optional=optional)
    assert isinstance(inner, GraphQLScalarType)
    scalars: dict[str, st.SearchStrategy[Any]] = {
        "String": strings(name, small),
        "ID": ids(name, pool, home),
        "Int": ints(),
        "Float": st.floats(allow_nan=False, allow_infinity=False),
        "Boolean": st.booleans(),
        "DateTime": datetimes(),
    }
    assert inner.name in scalars, f"add a strategy for the scalar {inner.name}"
    return scalars[inner.name]


@st.composite
def documents(draw: st.DrawFn, operation: str, name: str, pool: Pool) -> dict[str, Any]:
    """A document calling root field `name` with its arguments as variables, and their values."""
    root = ROOTS[operation]
    assert root is not None
    root_field: GraphQLField = root.fields[name]
    home = named(root_field.type).name
    variables: dict[str, Any] = {}
    definitions: list[str] = []
    for arg, argument in root_field.args.items():
        must = isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
        if must or draw(st.booleans()):
            definitions.append(f"${arg}: {argument.type}")
            variables[arg] = draw(value_of(arg, argument.type, pool, home))
    header = f"({', '.join(definitions)})" if definitions else ""
    arguments = ", ".join(f"{arg}: ${arg}" for arg in variables)
    call = f"{name}({arguments})" if arguments else name
    query = f"{operation} Fuzz{header} {{ {call} {selection(root_field.type)} }}"
    return {"query": query, "operationName": "Fuzz", "variables": variables}


# ---- the world the callers act in ---------------------------------------------------------------


@dataclass(slots=True, repr=False)  # hypothesis prints the arguments of a failing example
class Fuzz:
    gql: GraphQLClient
    world: World
    pool: Pool
    callers: dict[str, str | None]
    sessions: list[int]

    def __repr__(self) -> str:
        return f"Fuzz(callers={sorted(self.callers)}, pool={len(self.pool.ids)} ids)"

    async def repair(self) -> None:
        """Undo what a generated mutation may have done to the callers themselves (signed out,
        demoted, deactivated), so that later documents still run as each of them."""
        await Session.filter(id__in=self.sessions).update(revoked_at=None)
        for signed_in, role in ((self.world.admin, Role.ADMIN), (self.world.seller, Role.MERCHANT)):
            await User.filter(id=signed_in.user.id).update(role=role, is_active=True)


@pytest.fixture
async def generous_limits(running: Any, services: Any) -> AsyncIterator[None]:
    """Budgets off and abuse limits out of reach: thousands of documents from three callers
    would otherwise end as RATE_LIMITED, which is correct and tests nothing."""
    settings_ = services.settings.replace(
        cost_budget=0,
        signups_per_hour=10**9,
        anonymous_carts_per_hour=10**9,
        login_max_failures=10**8,
    )
    running.state["services"] = replace(services, settings=settings_)
    try:
        yield
    finally:
        running.state["services"] = services


@pytest.fixture
async def fuzz(gql: GraphQLClient, build_world: BuildWorld, generous_limits: None) -> Fuzz:
    w = await build_world()
    admin, product = w.admin.user, w.product
    paid = await make_order(admin, [(w.variant, 1)])
    pending = await make_order(admin, [(w.variant, 1)], status=OrderStatus.PENDING_PAYMENT)
    delivered = await make_order(
        admin, [(w.variant, 1)], status=OrderStatus.DELIVERED, line_status=LineStatus.DELIVERED
    )
    lines = await OrderLine.filter(order_id__in=[paid.id, pending.id, delivered.id])
    review = await Review.create(product_id=product.id, author_id=w.buyer.user.id, rating=4)
    coupon = await make_coupon(w.merchant, "FUZZ10")
    cart = await make_cart(admin, [(w.variant, 1)])
    cart_line = await CartLine.get(cart_id=cart.id)
    app = await w.make_app(admin)
    await w.make_app_token(app)
    app_token = await AppToken.get(app_id=app.id)
    sessions = await Session.filter(user_id__in=[admin.id, w.seller.user.id])
    pool = Pool(
        [
            gid("User", admin.id),
            gid("User", w.seller.user.id),
            gid("User", w.buyer.user.id),
            gid("Merchant", w.merchant.id),
            gid("Merchant", w.rival.id),
            gid("Product", product.id),
            gid("Variant", w.variant.id),
            *(gid("Order", order.id) for order in (paid, pending, delivered)),
            *(gid("OrderLine", line.id) for line in lines),
            gid("Review", review.id),
            gid("Coupon", coupon.id),
            gid("Cart", cart.id),
            gid("CartLine", cart_line.id),
            gid("App", app.id),
            gid("AppToken", app_token.id),
            *(gid("Session", session.id) for session in sessions),
        ]
    )
    callers = {"anonymous": None, "admin": w.admin.token, "merchant": w.seller.token}
    return Fuzz(gql, w, pool, callers, [session.id for session in sessions])


# ---- the property -------------------------------------------------------------------------------


def describe(body: Mapping[str, Any]) -> str:
    """The request, with long strings cut so a failure report stays readable."""

    def cut(value: Any) -> Any:
        if isinstance(value, str) and len(value) > 80:
            return f"{value[:40]!r}...({len(value)} chars)"
        if isinstance(value, list):
            return [cut(item) for item in value[:5]] + (
                [f"...{len(value)} items"] * (len(value) > 5)
            )
        if isinstance(value, dict):
            return {key: cut(item) for key, item in value.items()}
        return value

    return f"{body['query']} {json.dumps(cut(body['variables']), ensure_ascii=True)}"


@pytest.fixture(scope="module", autouse=True)
def _write_stats() -> Any:
    yield
    if STATS_FILE and _STATS:
        with open(STATS_FILE, "a", encoding="utf-8") as out:
            out.write(json.dumps(dict(sorted(_STATS.items()))) + "\n")


_STATS: Counter[str] = Counter()


@pytest.mark.parametrize(("operation", "name"), [pytest.param(*f, id="-".join(f)) for f in FIELDS])
@settings(
    max_examples=PER_FIELD,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one world for all examples of a field, on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(data=st.data())
async def test_hostile_input_is_never_a_server_error(
    fuzz: Fuzz, caplog: pytest.LogCaptureFixture, operation: str, name: str, data: st.DataObject
) -> None:
    body = data.draw(documents(operation, name, fuzz.pool), label="request")
    caplog.clear()
    failures: list[str] = []
    with caplog.at_level(logging.ERROR):
        for caller, token in fuzz.callers.items():
            headers = {"authorization": f"Bearer {token}"} if token else {}
            reply = await fuzz.gql.http.post("/graphql", json=body, headers=headers)
            _STATS["requests"] += 1
            _STATS[f"http {reply.status_code}"] += 1
            if reply.status_code >= 500:
                failures.append(f"as {caller}: HTTP {reply.status_code} {reply.text[:200]}")
                continue
            answer = reply.json()
            result = (answer.get("data") or {}).get(name)
            if isinstance(result, dict) and "__typename" in result:  # how deep documents got
                _STATS[f"payload {result['__typename']}"] += 1
            for error in answer.get("errors") or []:
                code = (error.get("extensions") or {}).get("code")
                _STATS[f"code {code}"] += 1
                if code == "INTERNAL_SERVER_ERROR":
                    failures.append(f"as {caller}: INTERNAL_SERVER_ERROR at {error.get('path')}")
            await fuzz.repair()  # before the next caller, who may be the one signed out
    _STATS["documents"] += 1
    tracebacks = [
        f"{record.name}: {record.getMessage()[:200]}"
        for record in caplog.records
        if record.levelno >= logging.ERROR and (record.exc_info or record.name == "agora.errors")
    ]
    problems = failures + [f"logged {t}" for t in tracebacks]
    assert not problems, f"{describe(body)}\n" + "\n".join(problems)


async def test_every_root_field_is_fuzzed(gql: GraphQLClient) -> None:
    """The fields fuzzed are those the running app serves, queries and mutations alike."""
    # Deprecated fields (reportReview, ...) still run, so they are fuzzed too.
    served = await gql.data(
        "{ __schema { queryType { fields(includeDeprecated: true) { name } } "
        "mutationType { fields(includeDeprecated: true) { name } } } }"
    )
    names = {("query", f["name"]) for f in served["__schema"]["queryType"]["fields"]} | {
        ("mutation", f["name"]) for f in served["__schema"]["mutationType"]["fields"]
    }
    assert names == set(FIELDS)
