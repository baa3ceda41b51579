"""Tutorials: who sees drafts on every path, sanitised Markdown, validation, edits that replace
steps and parts, filters, and SQL counts that grow with neither the page nor the parts list."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from models.accounts import Role
from models.catalog import ProductStatus, Variant
from models.content import Tutorial, TutorialPart, TutorialProduct, TutorialStatus, TutorialStep
from models.media import MediaStatus
from tests.content.tutorial_support import (
    ARCHIVE_TUTORIAL,
    CREATE_TUTORIAL,
    PUBLISH_TUTORIAL,
    create_tutorial,
    part,
    published_tutorial,
    tutorial_variables,
)
from tests.factories import MakeProduct, MakeUser, SignIn
from tests.media.support import ready_media
from tests.utils import GraphQLClient, gid

BY_ID = "query($id: ID!) { tutorial(id: $id) { id } }"
BY_SLUG = "query($slug: String!) { tutorial(slug: $slug) { id } }"
NODE = "query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }"
USER_TUTORIALS = """
query($handle: String!) { user(handle: $handle) { tutorials { totalCount edges { node { id } } } } }
"""
LISTING = """
query($status: TutorialStatus) {
  tutorials(filter: {status: $status}) { totalCount edges { node { id } } }
}
"""
ATTRIBUTE = """
mutation($variant: ID!, $tutorial: ID!) {
  addCartLine(variantId: $variant, quantity: 1,
              attribution: {sourceType: TUTORIAL, sourceId: $tutorial}) {
    __typename
    ... on AddCartLineSuccess { cart { lines { attribution {
      sourceType sourceId creator { handle } tutorial { title } } } } }
    ... on ValidationError { field }
  }
}
"""
TO_CART = """
mutation($id: ID!) { addTutorialToCart(tutorialId: $id) {
  __typename ... on NotFoundError { message } } }
"""


async def _paths(
    gql: GraphQLClient, token: str | None, tutorial: dict[str, Any], handle: str
) -> Any:
    """Where a tutorial can turn up, and whether the caller finds it there."""
    by_id = await gql.data(BY_ID, {"id": tutorial["id"]}, token=token)
    by_slug = await gql.data(BY_SLUG, {"slug": tutorial["slug"]}, token=token)
    node = await gql.data(NODE, {"id": tutorial["id"]}, token=token)
    profile = await gql.data(USER_TUTORIALS, {"handle": handle}, token=token)
    listed = {
        status: await gql.data(LISTING, {"status": status}, token=token)
        for status in ("PUBLISHED", "DRAFT", "ARCHIVED")
    }
    to_cart = await gql.data(TO_CART, {"id": tutorial["id"]}, token=token) if token else None

    def found(connection: dict[str, Any]) -> bool:
        return tutorial["id"] in [edge["node"]["id"] for edge in connection["edges"]]

    return {
        "tutorial(id)": bool(by_id["tutorial"]),
        "tutorial(slug)": bool(by_slug["tutorial"]),
        "node": bool(node["node"]),
        "nodes": node["nodes"] != [None],
        "User.tutorials": found(profile["user"]["tutorials"]),
        "tutorials": any(found(data["tutorials"]) for data in listed.values()),
        "addTutorialToCart": None
        if to_cart is None
        else to_cart["addTutorialToCart"]["__typename"] != "NotFoundError",
    }


def _everywhere(seen: bool, signed_in: bool = True) -> dict[str, bool | None]:
    paths = ["tutorial(id)", "tutorial(slug)", "node", "nodes", "User.tutorials", "tutorials"]
    return dict.fromkeys(paths, seen) | {"addTutorialToCart": seen if signed_in else None}


@pytest.mark.parametrize("status", ["DRAFT", "ARCHIVED"])
async def test_unpublished_tutorials_are_the_authors_and_admins_on_every_path(
    gql: GraphQLClient, sign_in: SignIn, status: str
) -> None:
    author = await sign_in(role=Role.CREATOR)
    tutorial = await published_tutorial(gql, author.token)
    handle = author.user.handle
    assert await _paths(gql, None, tutorial, handle) == _everywhere(True, signed_in=False)
    if status == "ARCHIVED":
        await gql.data(ARCHIVE_TUTORIAL, {"id": tutorial["id"]}, token=author.token)
    else:
        tutorial = await create_tutorial(gql, author.token, title="Still a draft")

    admin, moderator, other = (
        await sign_in(role=Role.ADMIN),
        await sign_in(role=Role.MODERATOR),
        await sign_in(),
    )

    assert await _paths(gql, author.token, tutorial, handle) == _everywhere(True)
    assert await _paths(gql, admin.token, tutorial, handle) == _everywhere(True)
    assert await _paths(gql, moderator.token, tutorial, handle) == _everywhere(False)
    assert await _paths(gql, other.token, tutorial, handle) == _everywhere(False)
    assert await _paths(gql, None, tutorial, handle) == _everywhere(False, signed_in=False)


async def test_attribution_credits_only_a_visible_tutorial_and_its_author(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author = await sign_in(role=Role.CREATOR)
    draft = await create_tutorial(gql, author.token, title="Not yet")
    out = await published_tutorial(gql, author.token, title="Out now")
    buyer = await sign_in()
    product = await make_product(variants=[(1000, 5)])
    variant = gid("Variant", (await Variant.get(product_id=product.id)).id)

    refused = await gql.data(
        ATTRIBUTE, {"variant": variant, "tutorial": draft["id"]}, token=buyer.token
    )
    added = await gql.data(
        ATTRIBUTE, {"variant": variant, "tutorial": out["id"]}, token=buyer.token
    )

    assert refused["addCartLine"] == {
        "__typename": "ValidationError",
        "field": "attribution.sourceId",
    }
    [line] = added["addCartLine"]["cart"]["lines"]
    assert line["attribution"] == {
        "sourceType": "TUTORIAL",
        "sourceId": out["id"],
        "creator": {"handle": author.user.handle},  # filled from the tutorial's author
        "tutorial": {"title": "Out now"},
    }


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


async def test_summary_and_steps_are_rendered_and_sanitised(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author = await sign_in()
    hostile = (
        '**bold** <script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    )
    tutorial = await create_tutorial(
        gql, author.token, summary=hostile, steps=[{"title": "  One \n step ", "body": hostile}]
    )

    [step] = tutorial["steps"]
    for html in (tutorial["summaryHtml"], step["bodyHtml"]):
        parser = _Tags()
        parser.feed(html)
        assert "<strong>bold</strong>" in html
        assert "script" not in parser.tags
        assert "onerror" not in parser.attributes
        assert 'href="javascript' not in html
        assert "&lt;script&gt;" in html  # raw HTML is shown as text
    assert step["title"] == "One step"


async def _bad(gql: GraphQLClient, token: str, **overrides: Any) -> dict[str, Any]:
    data = await gql.data(CREATE_TUTORIAL, tutorial_variables(**overrides), token=token)
    result: dict[str, Any] = data["createTutorial"]
    return result


async def test_bad_input_is_a_validation_error_naming_the_field_and_changes_nothing(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, services: Any
) -> None:
    author = await sign_in()
    stranger = await sign_in()
    draft_product = await make_product(status=ProductStatus.DRAFT)
    several = await make_product(variants=[(1000, 5), (2000, 5)])
    other = await make_product()
    other_variant = (await Variant.get(product_id=other.id)).id
    theirs = await ready_media(services, stranger.user.id)
    mine_pending = await ready_media(services, author.user.id)
    await type(mine_pending).filter(id=mine_pending.id).update(status=MediaStatus.PROCESSING)
    step = {"body": "Do it."}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"title": "  "}, "title"),
        ({"minutes": 0}, "durationMinutes"),
        ({"minutes": 10_081}, "durationMinutes"),
        ({"summary": "x" * 5_001}, "summary"),
        ({"steps": [step] * 3 + [{"body": "   "}]}, "steps.3.body"),
        ({"steps": [step] * 51}, "steps"),
        ({"steps": [{"body": "x", "title": "t" * 151}]}, "steps.0.title"),
        ({"steps": [{"body": "x", "mediaIds": [gid("Media", theirs.id)]}]}, "steps.0.mediaIds"),
        (
            {"steps": [{"body": "x", "mediaIds": [gid("Media", mine_pending.id)]}]},
            "steps.0.mediaIds",
        ),
        ({"cover": gid("Media", theirs.id)}, "coverMediaId"),
        ({"parts": [part(several, quantity=0)]}, "parts.0.quantity"),
        ({"parts": [part(several, quantity=100)]}, "parts.0.quantity"),
        ({"parts": [part(several), part(draft_product)]}, "parts.1.productId"),
        ({"parts": [part(987_654)]}, "parts.0.productId"),
        ({"parts": [part(several, variant=other_variant)]}, "parts.0.variantId"),
        ({"parts": [part(several), part(several)]}, "parts.1.productId"),
        (
            {
                "steps": [
                    {"body": "x", "products": [{"productId": gid("Product", draft_product.id)}]}
                ]
            },
            "steps.0.products.0.productId",
        ),
    ]
    for overrides, field in cases:
        result = await _bad(gql, author.token, **overrides)
        assert result.get("field") == field, (overrides, result)
        assert result["__typename"] == "ValidationError"
    assert await Tutorial.all().count() == 0

    empty = await create_tutorial(gql, author.token, steps=[])
    refused = await gql.data(PUBLISH_TUTORIAL, {"id": empty["id"]}, token=author.token)
    assert refused["publishTutorial"]["__typename"] == "ValidationError"
    assert refused["publishTutorial"]["field"] == "steps"
    assert (await Tutorial.get(slug=empty["slug"])).status is TutorialStatus.DRAFT


UPDATE = """
mutation($id: ID!, $steps: [TutorialStepInput!], $parts: [TutorialPartInput!], $title: String) {
  updateTutorial(tutorialId: $id, steps: $steps, parts: $parts, title: $title) {
    __typename
    ... on UpdateTutorialSuccess { tutorial { title slug stepCount steps { title }
      parts { quantity product { id } } } }
    ... on ValidationError { field }
  }
}
"""


async def test_update_replaces_steps_and_parts_wholesale_or_not_at_all(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author = await sign_in()
    kettle, whisk, new_bowl = [await make_product() for _ in range(3)]
    tutorial = await published_tutorial(
        gql,
        author.token,
        steps=[{"title": "A", "body": "a"}, {"title": "B", "body": "b"}],
        parts=[part(kettle), part(whisk, quantity=2)],
    )
    tid = (await Tutorial.get(slug=tutorial["slug"])).id

    changed = await gql.data(
        UPDATE,
        {"id": tutorial["id"], "steps": [{"title": "C", "body": "c"}], "parts": [part(new_bowl)]},
        token=author.token,
    )
    refused = await gql.data(  # a bad part: nothing of the edit is kept, the title neither
        UPDATE,
        {"id": tutorial["id"], "title": "Renamed", "parts": [part(new_bowl, quantity=0)]},
        token=author.token,
    )
    emptied = await gql.data(UPDATE, {"id": tutorial["id"], "steps": []}, token=author.token)

    assert changed["updateTutorial"]["tutorial"] == {
        "title": "Brew green tea",
        "slug": tutorial["slug"],
        "stepCount": 1,
        "steps": [{"title": "C"}],
        "parts": [{"quantity": 1, "product": {"id": gid("Product", new_bowl.id)}}],
    }
    assert refused["updateTutorial"] == {
        "__typename": "ValidationError",
        "field": "parts.0.quantity",
    }
    assert emptied["updateTutorial"] == {"__typename": "ValidationError", "field": "steps"}
    assert (await Tutorial.get(id=tid)).title == "Brew green tea"
    assert await TutorialStep.filter(tutorial_id=tid).count() == 1
    assert await TutorialPart.filter(tutorial_id=tid).values_list("product_id", flat=True) == [
        new_bowl.id
    ]
    assert await TutorialProduct.filter(tutorial_id=tid).values_list("product_id", flat=True) == [
        new_bowl.id
    ]


FILTERED = """
query($product: ID, $difficulty: Difficulty, $sort: TutorialSort) {
  tutorials(filter: {productId: $product, difficulty: $difficulty}, sort: $sort) {
    totalCount edges { node { title } } } }
"""


async def test_listing_filters_by_product_in_parts_or_steps_and_by_difficulty(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author = await sign_in()
    kettle, whisk = await make_product(), await make_product()
    await published_tutorial(gql, author.token, title="Parts", parts=[part(kettle)])
    await published_tutorial(
        gql,
        author.token,
        title="Steps",
        difficulty="HARD",
        steps=[{"body": "x", "products": [{"productId": gid("Product", kettle.id)}]}],
        parts=[part(whisk)],
    )
    await create_tutorial(gql, author.token, title="Draft", parts=[part(kettle)])

    async def titles(**variables: Any) -> list[str]:
        data = await gql.data(FILTERED, variables)
        return [edge["node"]["title"] for edge in data["tutorials"]["edges"]]

    assert await titles(product=gid("Product", kettle.id)) == ["Steps", "Parts"]
    assert await titles(product=gid("Product", kettle.id), sort="OLDEST") == ["Parts", "Steps"]
    assert await titles(product=gid("Product", whisk.id)) == ["Steps"]
    assert await titles(difficulty="HARD") == ["Steps"]
    assert await titles(product=gid("Product", 987_654)) == []


DELETE = "mutation($id: ID!) { deleteTutorial(tutorialId: $id) { __typename } }"


async def test_moderators_delete_what_they_can_see_and_steps_go_with_it(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author = await sign_in()
    moderator = await sign_in(role=Role.MODERATOR)
    out = await published_tutorial(gql, author.token)
    draft = await create_tutorial(gql, author.token, title="Draft")

    hidden = await gql.data(DELETE, {"id": draft["id"]}, token=moderator.token)
    deleted = await gql.data(DELETE, {"id": out["id"]}, token=moderator.token)

    assert hidden["deleteTutorial"]["__typename"] == "NotFoundError"
    assert deleted["deleteTutorial"]["__typename"] == "DeleteTutorialSuccess"
    assert await Tutorial.filter(slug=out["slug"]).count() == 0
    assert await TutorialStep.all().count() == 1  # the draft's


PAGE = """
query($n: Int!) { tutorials(first: $n) { edges { node { title summaryHtml stepCount
  author { handle } cover { id }
  steps { title bodyHtml media { id } products { product { title } } }
  parts { quantity available unavailableReason
    product { title inStock priceRange { min { amount } } }
    variant { price { amount } quantityAvailable } }
} } } }
"""


async def _rows(author_ids: list[int], count: int, products: list[Any], parts: int) -> None:
    """Tutorials written straight to the database (the API path is tested above)."""
    for n in range(count):
        tutorial = await Tutorial.create(
            author_id=author_ids[n % len(author_ids)],
            slug=f"tutorial-{n}",
            title=f"Tutorial {n}",
            summary="x",
            summary_html="<p>x</p>",
            status=TutorialStatus.PUBLISHED,
            step_count=2,
        )
        for position in range(2):
            await TutorialStep.create(
                tutorial_id=tutorial.id,
                position=position,
                body="x",
                body_html="<p>x</p>",
                products=[{"product": products[position].id, "variant": None}],
            )
        for position in range(parts):
            product = products[position % len(products)]
            await TutorialPart.create(
                tutorial_id=tutorial.id, position=position, product_id=product.id, quantity=1
            )


async def test_listing_costs_the_same_sql_for_5_and_50_tutorials(
    gql: GraphQLClient, make_user: MakeUser, make_product: MakeProduct
) -> None:
    authors = [(await make_user()).id for _ in range(5)]
    products = [await make_product(variants=[(100 * n + 100, n)]) for n in range(4)]
    await _rows(authors, 55, products, parts=3)

    small = await gql.post(PAGE, {"n": 5})
    large = await gql.post(PAGE, {"n": 50})

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert len(large.data["tutorials"]["edges"]) == 50
    first_parts = large.data["tutorials"]["edges"][0]["node"]["parts"]
    assert [p["unavailableReason"] for p in first_parts] == ["OUT_OF_STOCK", None, None]
    assert first_parts[1]["variant"] == {"price": {"amount": 200}, "quantityAvailable": 1}
    assert small.sql == large.sql


ONE = """
query($slug: String!) { tutorial(slug: $slug) { title author { handle }
  steps { bodyHtml products { product { title } variant { sku } } }
  parts { available product { title priceRange { min { amount } } }
          variant { price { amount } } } } }
"""


async def test_a_tutorial_page_costs_the_same_sql_for_2_and_20_parts(
    gql: GraphQLClient, make_user: MakeUser, make_product: MakeProduct
) -> None:
    author = (await make_user()).id
    products = [await make_product(variants=[(500, 5)]) for _ in range(20)]
    await _rows([author], 1, products[:2], parts=2)
    await Tutorial.filter(slug="tutorial-0").update(slug="small")
    await _rows([author], 1, products, parts=20)

    small = await gql.post(ONE, {"slug": "small"})
    large = await gql.post(ONE, {"slug": "tutorial-0"})

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert len(large.data["tutorial"]["parts"]) == 20
    assert all(p["available"] for p in large.data["tutorial"]["parts"])
    assert small.sql == large.sql


async def test_an_edit_of_the_parts_alone_keeps_the_steps_and_indexes_both(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author = await sign_in()
    kettle, whisk = await make_product(), await make_product()
    tutorial = await published_tutorial(
        gql,
        author.token,
        steps=[{"body": "x", "products": [{"productId": gid("Product", kettle.id)}]}],
        parts=[part(kettle)],
    )

    changed = await gql.data(
        UPDATE, {"id": tutorial["id"], "parts": [part(whisk, quantity=3)]}, token=author.token
    )

    assert changed["updateTutorial"]["tutorial"]["stepCount"] == 1
    assert changed["updateTutorial"]["tutorial"]["parts"] == [
        {"quantity": 3, "product": {"id": gid("Product", whisk.id)}}
    ]
    tid = (await Tutorial.get(slug=tutorial["slug"])).id
    indexed = await TutorialProduct.filter(tutorial_id=tid).values_list("product_id", flat=True)
    assert sorted(indexed) == sorted([kettle.id, whisk.id])
