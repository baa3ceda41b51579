"""One authorization harness: the actors, the one world they act in, and the matrix runner.

Every domain's authorization matrix is a `Matrix` of `Row`s. A row is one mutation: its
document, how to build its variables from the `World`, whose thing it acts on (`owner`), which
actors are allowed and what they get, and what a refusal looks like for everyone else (a
top-level error code such as FORBIDDEN, or a typed error in the payload such as
PermissionDeniedError). `Matrix.test()` makes one pytest case per (mutation, actor) and checks
that a refused call leaves the domain's snapshot exactly as it was.

The actors are the same everywhere (`ACTORS`):

- anonymous: no token;
- other_user: a signed-in shopper with nothing of their own;
- other_merchant: the owner of another merchant (`World.rival`);
- app_without_scope: an app token of the owner holding every scope the owner's role allows
  except the one the row needs (`Row.scope`); a row with `scope=None` is one apps may never
  do, and the app then holds every scope the owner's role allows;
- owner: the row's `owner` in person: the `buyer` (carts, orders, reviews, apps) or the
  `seller` (the merchant's owner: catalog, coupons, fulfilment, replies);
- moderator, admin: staff, signed in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
from _pytest.mark.structures import ParameterSet
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from models.accounts import Role
from models.catalog import Merchant, Product, Variant
from resolvers.principal import ROLE_SCOPES, Scope
from tests.factories import MakeApp, MakeAppToken, MakeMerchant, MakeProduct, SignedInUser, SignIn
from tests.utils import GraphQLClient

Actor = Literal[
    "anonymous",
    "other_user",
    "other_merchant",
    "app_without_scope",
    "owner",
    "moderator",
    "admin",
]
ACTORS: tuple[Actor, ...] = (
    "anonymous",
    "other_user",
    "other_merchant",
    "app_without_scope",
    "owner",
    "moderator",
    "admin",
)
Owner = Literal["buyer", "seller"]

UNAUTHENTICATED, FORBIDDEN = "UNAUTHENTICATED", "FORBIDDEN"
NOT_FOUND, PERMISSION_DENIED = "NotFoundError", "PermissionDeniedError"


@dataclass(slots=True)
class World:
    """Who acts, and the common things they act on; a domain's `scene` adds its own."""

    gql: GraphQLClient
    buyer: SignedInUser  # a shopper
    seller: SignedInUser  # a merchant-role user, owner of `merchant`
    merchant: Merchant
    product: Product  # the merchant's, ACTIVE, two variants
    variant: Variant  # its first variant
    other_user: SignedInUser
    other_merchant: SignedInUser  # owner of `rival`
    rival: Merchant
    moderator: SignedInUser
    admin: SignedInUser
    sign_in: SignIn
    make_merchant: MakeMerchant
    make_product: MakeProduct
    make_app: MakeApp
    make_app_token: MakeAppToken
    scene: dict[str, Any] = field(default_factory=dict)  # what the domain's scene adds

    def person(self, owner: Owner) -> SignedInUser:
        return self.buyer if owner == "buyer" else self.seller

    async def app_token(self, owner: Owner, lacking: Scope | None) -> str:
        """A token of an app of `owner` holding all its role allows but `lacking`."""
        person = self.person(owner)
        scopes = sorted(scope.value for scope in ROLE_SCOPES[person.user.role] if scope != lacking)
        return await self.make_app_token(await self.make_app(person.user, scopes=scopes))

    async def token(self, actor: Actor, owner: Owner, scope: Scope | None) -> str | None:
        if actor == "anonymous":
            return None
        if actor == "app_without_scope":
            return await self.app_token(owner, scope)
        if actor == "owner":
            return self.person(owner).token
        signed_in: SignedInUser = getattr(self, actor)
        return signed_in.token


BuildWorld = Callable[[], Awaitable[World]]


@pytest.fixture
def build_world(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> BuildWorld:
    """The one world builder every authorization test starts from."""

    async def build() -> World:
        seller = await sign_in(role=Role.MERCHANT)
        merchant = await make_merchant(owner=seller.user)
        product = await make_product(merchant=merchant, variants=[(1000, 20), (2000, 5)])
        variant = await Variant.filter(product_id=product.id).order_by("position").first()
        assert variant is not None
        other_merchant = await sign_in(role=Role.MERCHANT)
        rival = await make_merchant(owner=other_merchant.user)
        return World(
            gql=gql,
            buyer=await sign_in(role=Role.SHOPPER),
            seller=seller,
            merchant=merchant,
            product=product,
            variant=variant,
            other_user=await sign_in(role=Role.SHOPPER),
            other_merchant=other_merchant,
            rival=rival,
            moderator=await sign_in(role=Role.MODERATOR),
            admin=await sign_in(role=Role.ADMIN),
            sign_in=sign_in,
            make_merchant=make_merchant,
            make_product=make_product,
            make_app=make_app,
            make_app_token=make_app_token,
        )

    return build


Variables = Callable[[World], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Row:
    """One mutation of a matrix.

    `allowed` actors get `success` (a payload __typename; it may be an error type when the
    allowed call gets past authorization and fails on purpose, e.g. an unknown handle). Every
    other actor gets its entry in `refusals`, else UNAUTHENTICATED (anonymous), FORBIDDEN
    (app_without_scope), or `refusal`. Upper-case outcomes are top-level `extensions.code`s.
    """

    mutation: str
    document: str
    variables: Variables
    allowed: frozenset[Actor]
    success: str
    refusal: str = PERMISSION_DENIED
    refusals: Mapping[Actor, str] = field(default_factory=dict)
    owner: Owner = "buyer"
    scope: Scope | None = None  # what an app needs; None: apps may never do this
    changes: bool = True  # False: even an allowed call changes nothing of the snapshot
    own_only: bool = False  # allowed actors other than the owner act on their own things

    def outcome(self, actor: Actor) -> str:
        if actor in self.allowed:
            return self.success
        if actor in self.refusals:
            return self.refusals[actor]
        if actor == "anonymous":
            return UNAUTHENTICATED
        if actor == "app_without_scope":
            return FORBIDDEN
        return self.refusal

    def leaves_unchanged(self, actor: Actor) -> bool:
        if actor not in self.allowed or not self.changes:
            return True
        return self.own_only and actor != "owner"


def row(
    mutation: str,
    document: str,
    variables: Variables | dict[str, Any] | None = None,
    *,
    allowed: Iterable[Actor],
    success: str,
    **options: Any,
) -> Row:
    """A Row, with `variables` optionally a constant and `allowed` any iterable."""
    build: Variables
    if callable(variables):
        build = variables
    else:
        constant = dict(variables or {})

        def build(world: World) -> dict[str, Any]:
            return dict(constant)

    return Row(mutation, document, build, frozenset(allowed), success, **options)


Scene = Callable[[World], Awaitable[None]]
Snapshot = Callable[[World], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Matrix:
    """A domain's rows, the scene they need on top of the world, and what refusals keep."""

    rows: Sequence[Row]
    snapshot: Snapshot
    scene: Scene | None = None
    domain: Sequence[type] = ()  # the strawberry Mutation types whose every field is a row
    exempt: Mapping[str, str] = field(default_factory=dict)  # mutation -> why it is no row

    def __post_init__(self) -> None:
        names = [r.mutation for r in self.rows]
        assert len(names) == len(set(names)), f"a mutation is in the matrix twice: {names}"
        for r in self.rows:  # an app without the scope a row needs is never allowed to do it
            assert "app_without_scope" not in r.allowed, f"{r.mutation}: name no scope instead"

    def cases(self) -> list[ParameterSet]:
        return [
            pytest.param(r.mutation, actor, id=f"{r.mutation}-{actor}")
            for r in self.rows
            for actor in ACTORS
        ]

    def by_name(self, mutation: str) -> Row:
        return next(r for r in self.rows if r.mutation == mutation)

    async def check(self, world: World, mutation: str, actor: Actor) -> None:
        r = self.by_name(mutation)
        if self.scene is not None:
            await self.scene(world)
        before = await self.snapshot(world)
        token = await world.token(actor, r.owner, r.scope)

        response = await world.gql.post(r.document, r.variables(world), token=token)

        expected = r.outcome(actor)
        if expected.isupper():
            assert response.codes == [expected], response.body
            assert response.data == {mutation: None}, response.body
        else:
            assert not response.errors, response.errors
            assert response.data[mutation]["__typename"] == expected, response.body
        if r.leaves_unchanged(actor):
            assert await self.snapshot(world) == before, f"{actor} changed the world"

    def coverage_test(self) -> Callable[[], None]:
        """A test that every mutation of `domain` is a row (or exempt, with a reason)."""

        def test_every_mutation_of_the_domain_is_in_the_matrix() -> None:
            assert self.domain, "name the strawberry Mutation types this matrix covers"
            names = {
                f.graphql_name or to_camel_case(f.python_name)
                for mutation_type in self.domain
                for f in get_object_definition(mutation_type, strict=True).fields
            }
            rows = {r.mutation for r in self.rows}
            assert names - set(self.exempt) == rows, (
                f"not in the matrix: {sorted(names - rows - set(self.exempt))}; "
                f"not in the domain: {sorted(rows - names)}"
            )

        return test_every_mutation_of_the_domain_is_in_the_matrix

    def test(self) -> Callable[[BuildWorld, str, Actor], Awaitable[None]]:
        """The parametrised test: assign it to `test_authorization_matrix` in a test module."""

        @pytest.mark.parametrize(("mutation", "actor"), self.cases())
        async def test_authorization_matrix(
            build_world: BuildWorld, mutation: str, actor: Actor
        ) -> None:
            await self.check(await build_world(), mutation, actor)

        return test_authorization_matrix
