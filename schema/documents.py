"""GraphQL shape of trusted documents: registering operations to be run by id."""

from __future__ import annotations

from typing import Annotated

import strawberry
from graphql import GraphQLError, GraphQLSchema, parse, validate

from resolvers import documents
from schema.base import Info
from schema.errors import ValidationError


@strawberry.type(description="The documents are registered; run each by its id.")
class RegisterTrustedDocumentsSuccess:
    document_ids: list[str] = strawberry.field(
        description="`sha256:<hex>` of each document's exact text, in the order given. Send "
        'it as `{"documentId": …}` instead of `query`.'
    )


RegisterTrustedDocumentsPayload = Annotated[
    RegisterTrustedDocumentsSuccess | ValidationError,
    strawberry.union(
        "RegisterTrustedDocumentsPayload",
        description="The ids to run the documents by, or the first invalid one (then "
        "nothing is registered).",
    ),
]


def document_checker(schema: GraphQLSchema) -> documents.Validator:
    """Whether a document is valid against this schema (suggestions hidden, as in requests)."""

    def problem(body: str) -> str | None:
        try:
            errors = validate(schema, parse(body), hide_suggestions=True)
        except GraphQLError as syntax:
            return syntax.message
        return errors[0].message if errors else None

    return problem


@strawberry.type
class DocumentMutation:
    @strawberry.mutation(
        description="Admins: register operations (e.g. every query of a storefront build) so "
        "clients run them by id. Each must be valid against this schema; all or nothing."
    )
    async def register_trusted_documents(
        self,
        info: Info,
        documents: Annotated[
            list[str],
            strawberry.argument(
                description="1-100 operation texts, each at most 100,000 characters; ids are "
                "computed over the exact text, so register what the client sends byte "
                "for byte."
            ),
        ],
    ) -> RegisterTrustedDocumentsPayload | None:
        ids = await _register(info, documents)
        return RegisterTrustedDocumentsSuccess(document_ids=ids)


# Outside the mutation, whose `documents` argument (the GraphQL name) shadows the module.
async def _register(info: Info, bodies: list[str]) -> list[str]:
    return await documents.register_documents(
        info.context, bodies, document_checker(info.schema._schema)
    )
