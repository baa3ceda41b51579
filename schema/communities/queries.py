"""The community root query fields: a community by id or slug, and the listing."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import communities
from resolvers.errors import InvalidInput
from schema.base import Info, decode_id
from schema.communities.types import Community, CommunitySort
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection


@strawberry.type
class CommunityQuery:
    @strawberry.field(
        description="A community by id or slug; null if missing or not visible to you (a "
        "PRIVATE one you are not in)."
    )
    async def community(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Its global id. Give this or `slug`."),
        ] = None,
        slug: Annotated[
            str | None,
            strawberry.argument(description="Its slug, e.g. `tea-lovers`. Give this or `id`."),
        ] = None,
    ) -> Community | None:
        if id is not None:
            return await Community.load_one(info, decode_id(id, "Community", field="id"))
        if slug is None:
            raise InvalidInput("id", "Give the community's `id` or its `slug`.")
        row = await communities.community_with_slug(info.context, slug)
        return Community.from_model(row) if row else None

    @strawberry.field(
        description="Communities you may see: every PUBLIC one, and the PRIVATE ones you are "
        "in or invited to."
    )
    async def communities(
        self,
        info: Info,
        sort: Annotated[
            CommunitySort | None,
            strawberry.argument(description="The order; null means NEWEST."),
        ] = CommunitySort.NEWEST,
        member_only: Annotated[
            bool,
            strawberry.argument(description="Only those you are a member of."),
        ] = False,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Community]:
        page = await communities.list_communities(
            info.context,
            order=(sort or CommunitySort.NEWEST).order,
            member_only=member_only,
            args=page_args(first, after, last, before),
        )
        return to_connection(page, Community.from_model)
