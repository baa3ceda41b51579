"""Writing tutorials through the API, for the tutorial tests and the visibility registry."""

from __future__ import annotations

from typing import Any

from models.catalog import Product
from tests.utils import GraphQLClient, gid

CREATE_TUTORIAL = """
mutation($title: String!, $summary: String!, $minutes: Int!, $difficulty: Difficulty!,
         $steps: [TutorialStepInput!], $parts: [TutorialPartInput!], $cover: ID) {
  createTutorial(title: $title, summary: $summary, durationMinutes: $minutes,
                 difficulty: $difficulty, steps: $steps, parts: $parts, coverMediaId: $cover) {
    __typename
    ... on CreateTutorialSuccess { tutorial { id slug status summaryHtml stepCount
      steps { position title bodyHtml } } }
    ... on ValidationError { field message }
  }
}
"""
PUBLISH_TUTORIAL = """
mutation($id: ID!) { publishTutorial(tutorialId: $id) {
  __typename ... on PublishTutorialSuccess { tutorial { status publishedAt } }
  ... on ValidationError { field message } } }
"""
ARCHIVE_TUTORIAL = """
mutation($id: ID!) { archiveTutorial(tutorialId: $id) { __typename } }
"""


def part(product: Product | int, variant: int | None = None, quantity: int = 1) -> dict[str, Any]:
    """A TutorialPartInput for a product (and variant) row id."""
    pk = product if isinstance(product, int) else product.id
    found: dict[str, Any] = {"productId": gid("Product", pk), "quantity": quantity}
    if variant is not None:
        found["variantId"] = gid("Variant", variant)
    return found


def tutorial_variables(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Brew green tea",
        "summary": "Good **tea** in three steps.",
        "minutes": 15,
        "difficulty": "EASY",
        "steps": [{"title": "Heat", "body": "Heat water to 80 °C."}],
        "parts": [],
        "cover": None,
    } | overrides


async def create_tutorial(gql: GraphQLClient, token: str, **overrides: Any) -> dict[str, Any]:
    """The created draft (asserting success): id, slug, status, summaryHtml, steps."""
    data = await gql.data(CREATE_TUTORIAL, tutorial_variables(**overrides), token=token)
    result = data["createTutorial"]
    assert result["__typename"] == "CreateTutorialSuccess", result
    tutorial: dict[str, Any] = result["tutorial"]
    return tutorial


async def published_tutorial(gql: GraphQLClient, token: str, **overrides: Any) -> dict[str, Any]:
    tutorial = await create_tutorial(gql, token, **overrides)
    published = await gql.data(PUBLISH_TUTORIAL, {"id": tutorial["id"]}, token=token)
    assert published["publishTutorial"]["__typename"] == "PublishTutorialSuccess", published
    return tutorial
