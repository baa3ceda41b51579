"""GraphQL shape of third-party apps, their scopes and their API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.apps import App as AppModel
from models.apps import AppToken as AppTokenModel
from resolvers import apps
from resolvers.apps import tokens_by_app
from resolvers.pagination import paginate_list
from resolvers.principal import SCOPE_DESCRIPTIONS
from resolvers.principal import Scope as ScopeModel
from schema.accounts import User
from schema.base import Info, decode_id, describe_values
from schema.errors import ConflictError, NotFoundError, ValidationError
from schema.nodes import VisibleNode, build_each
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection

if TYPE_CHECKING:
    from schema.webhooks import WebhookSubscription

Scope = strawberry.enum(
    ScopeModel,
    name="Scope",
    description="A permission an app can hold. Apps never exceed what their owner's role allows.",
)
describe_values(Scope, {scope.name: SCOPE_DESCRIPTIONS[scope] for scope in ScopeModel})


@strawberry.type(description="A permission an app can request, with what it allows.")
class ScopeInfo:
    scope: Scope = strawberry.field(  # type: ignore[valid-type]
        description="The scope as `createApp(scopes:)` and `updateApp(scopes:)` take it."
    )
    name: str = strawberry.field(
        description="The same scope as a string, e.g. `READ_CONTENT`: exactly what "
        "`createApp(scopes:)` accepts."
    )
    label: str = strawberry.field(
        description="The scope as FORBIDDEN errors name it in `extensions.scope` and as "
        "`main.py token create --scope` takes it, e.g. `read:content`."
    )
    description: str = strawberry.field(description="What an app holding this scope may do.")


@strawberry.type(
    description="A third-party app that calls the API for its owner with scoped "
    "tokens. Visible to its owner and admins."
)
class App(VisibleNode):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Unique per owner.")
    description: str = strawberry.field(description="What the app is for, in its owner's words.")
    scopes: list[Scope] = strawberry.field(  # type: ignore[valid-type]
        description="What the app may do, cut down to the owner's role on every request."
    )
    created_at: datetime = strawberry.field(description="When the app was created (UTC).")
    row: strawberry.Private[AppModel]

    @classmethod
    def from_model(cls, row: AppModel) -> Self:
        return cls(
            id=row.id,
            name=row.name,
            description=row.description,
            scopes=[ScopeModel(scope) for scope in row.scopes],
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await apps.visible_apps(info.context, ids), cls.from_model)

    @strawberry.field(description="The user who created the app.")
    async def owner(self, info: Info) -> User:
        # Non-null stays true: an app is seen only by its owner in person (signed in, so
        # active) and by admins, who see deactivated accounts.
        return await User.required(info, self.row.owner_id)

    @strawberry.field(description="API tokens issued for the app, newest first, revoked included.")
    async def tokens(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AppToken]:
        rows = await info.context.loaders[tokens_by_app].load(self.row.id)
        return to_connection(
            paginate_list(rows, page_args(first, after, last, before)), AppToken.from_model
        )

    @strawberry.field(description="The app's webhook subscriptions, newest first.")
    async def webhook_subscriptions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[WebhookSubscription, strawberry.lazy("schema.webhooks")]]:
        from schema.webhooks import fields as webhook_fields

        return await webhook_fields.subscriptions(info, self.row.id, (first, after, last, before))


@strawberry.type(description="An API token of an app. The secret is shown once, at creation.")
class AppToken(VisibleNode):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The label given at creation, e.g. `nightly job`.")
    hint: str = strawberry.field(description="The token's first characters, to tell it apart.")
    created_at: datetime = strawberry.field(description="When the token was issued (UTC).")
    expires_at: datetime | None = strawberry.field(description="When it stops working (UTC).")
    revoked_at: datetime | None = strawberry.field(
        description="When it was revoked; null while it works."
    )
    last_used_at: datetime | None = strawberry.field(description="Last request, to the minute.")
    row: strawberry.Private[AppTokenModel]

    @classmethod
    def from_model(cls, row: AppTokenModel) -> Self:
        return cls(
            id=row.id,
            name=row.name,
            hint=row.hint,
            created_at=row.created_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            last_used_at=row.last_used_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await apps.visible_app_tokens(info.context, ids), cls.from_model)


@strawberry.type(description="The app as created.")
class CreateAppSuccess:
    app: App = strawberry.field(description="The new app, with the scopes it was granted.")


@strawberry.type(description="The app after the change.")
class UpdateAppSuccess:
    app: App = strawberry.field(description="The app as it is now.")


@strawberry.type(description="The app and all its tokens are gone.")
class DeleteAppSuccess:
    deleted_app_id: strawberry.ID = strawberry.field(
        description="The id the deleted app had, to drop it from client caches."
    )


@strawberry.type(description="A new token. `token` is shown only this once: store it now.")
class CreateAppTokenSuccess:
    app_token: AppToken = strawberry.field(description="The new token's record (no secret).")
    token: str = strawberry.field(description="Send as `Authorization: Bearer <token>`.")


@strawberry.type(description="The token no longer works.")
class RevokeAppTokenSuccess:
    app_token: AppToken = strawberry.field(description="The token's record, with `revokedAt` set.")


CreateAppPayload = Annotated[
    CreateAppSuccess | ValidationError | ConflictError,
    strawberry.union(
        "CreateAppPayload", description="The new app, or why it could not be created."
    ),
]
UpdateAppPayload = Annotated[
    UpdateAppSuccess | ValidationError | ConflictError | NotFoundError,
    strawberry.union(
        "UpdateAppPayload", description="The app after the change, or why it was refused."
    ),
]
DeleteAppPayload = Annotated[
    DeleteAppSuccess | ValidationError | NotFoundError,
    strawberry.union(
        "DeleteAppPayload", description="The deleted app's id, or why it was not deleted."
    ),
]
CreateAppTokenPayload = Annotated[
    CreateAppTokenSuccess | ValidationError | ConflictError | NotFoundError,
    strawberry.union(
        "CreateAppTokenPayload",
        description="The new token (shown once), or why it could not be issued.",
    ),
]
RevokeAppTokenPayload = Annotated[
    RevokeAppTokenSuccess | ValidationError | NotFoundError,
    strawberry.union(
        "RevokeAppTokenPayload",
        description="The revoked token's record, or why it was not revoked.",
    ),
]


@strawberry.type
class AppQuery:
    @strawberry.field(description="Every scope an app can hold.")
    def scopes(self) -> list[ScopeInfo]:
        return [
            ScopeInfo(
                scope=scope,
                name=scope.name,
                label=scope.value,
                description=SCOPE_DESCRIPTIONS[scope],
            )
            for scope in ScopeModel
        ]


@strawberry.type
class AppMutation:
    @strawberry.mutation(
        description="Create an app. Needs the user's own session; the scopes "
        "must be within what the user's role allows."
    )
    async def create_app(
        self,
        info: Info,
        name: Annotated[
            str,
            strawberry.argument(description="1-80 characters, unique among your apps."),
        ],
        scopes: Annotated[
            list[Scope],  # type: ignore[valid-type]
            strawberry.argument(
                description="What the app may do, e.g. [READ_CONTENT]; at most what your role "
                "allows (see `scopes`)."
            ),
        ],
        description: Annotated[
            str,
            strawberry.argument(
                description="What the app is for, shown to you and admins; at most 500 characters."
            ),
        ] = "",
    ) -> CreateAppPayload | None:
        row = await apps.create_app(
            info.context,
            name=name,
            description=description,
            scopes=[ScopeModel(scope).value for scope in scopes],
        )
        return CreateAppSuccess(app=App.from_model(row))

    @strawberry.mutation(description="Rename an app or change its scopes; tokens follow at once.")
    async def update_app(
        self,
        info: Info,
        app_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The app to change (an App id); yours, or any for admins."
            ),
        ],
        name: Annotated[
            str | None,
            strawberry.argument(description="A new name, 1-80 characters, unique among your apps."),
        ] = None,
        description: Annotated[
            str | None,
            strawberry.argument(description="A new description, at most 500 characters."),
        ] = None,
        scopes: Annotated[
            list[Scope] | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="The app's new full set of scopes (replaces the old one); at most what "
                "your role allows."
            ),
        ] = None,
    ) -> UpdateAppPayload | None:
        row = await apps.update_app(
            info.context,
            app_id=decode_id(app_id, "App", field="appId"),
            name=name,
            description=description,
            scopes=None if scopes is None else [ScopeModel(scope).value for scope in scopes],
        )
        return UpdateAppSuccess(app=App.from_model(row))

    @strawberry.mutation(description="Delete an app and every token it has.")
    async def delete_app(
        self,
        info: Info,
        app_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The app to delete (an App id); its tokens stop working at once."
            ),
        ],
    ) -> DeleteAppPayload | None:
        await apps.delete_app(info.context, app_id=decode_id(app_id, "App", field="appId"))
        return DeleteAppSuccess(deleted_app_id=app_id)

    @strawberry.mutation(
        description="Issue a token for an app. It expires after "
        "`expiresInDays` (default 90, at most 366)."
    )
    async def create_app_token(
        self,
        info: Info,
        app_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The app the token acts for (an App id)."),
        ],
        name: Annotated[
            str,
            strawberry.argument(
                description="A label to tell the token apart, e.g. `nightly job`. An app holds "
                "at most 20 active tokens."
            ),
        ],
        expires_in_days: Annotated[
            int | None,
            strawberry.argument(
                description="Days until the token stops working, 1 to 366; 90 if omitted."
            ),
        ] = None,
    ) -> CreateAppTokenPayload | None:
        issued = await apps.create_app_token(
            info.context,
            app_id=decode_id(app_id, "App", field="appId"),
            name=name,
            expires_in_days=expires_in_days,
        )
        return CreateAppTokenSuccess(
            app_token=AppToken.from_model(issued.record), token=issued.token
        )

    @strawberry.mutation(description="Revoke an app token; it stops working at once.")
    async def revoke_app_token(
        self,
        info: Info,
        app_token_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The token to revoke (an AppToken id, as `appToken.id` shows it)."
            ),
        ],
    ) -> RevokeAppTokenPayload | None:
        row = await apps.revoke_app_token(
            info.context, token_id=decode_id(app_token_id, "AppToken", field="appTokenId")
        )
        return RevokeAppTokenSuccess(app_token=AppToken.from_model(row))
