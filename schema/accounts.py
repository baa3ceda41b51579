"""GraphQL shape of accounts: User, Session, viewer, and the sign-up/sign-in mutations."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.accounts import Role as RoleModel
from models.accounts import Session as SessionModel
from models.accounts import User as UserModel
from resolvers import accounts, catalog
from resolvers.apps import apps_by_owner
from resolvers.auth import can_see_private
from resolvers.pagination import paginate_list
from schema.base import Info, decode_id, describe_values
from schema.errors import ConflictError, InvalidCredentialsError, NotFoundError, ValidationError
from schema.nodes import VisibleNode, build_each
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection

if TYPE_CHECKING:
    from schema.apps import App
    from schema.catalog import Merchant
    from schema.content import Post, PostStatus, Topic, Tutorial, TutorialStatus
    from schema.creators import CreatorProfile, VerificationApplication
    from schema.notifications import Notification
    from schema.reactions import SavedItemConnection
    from schema.social import ShareLink

Role = strawberry.enum(
    RoleModel,
    name="Role",
    description="What a user may do. Shoppers buy and review; creators publish content; "
    "merchants sell; moderators and admins run the community and the platform.",
)
describe_values(
    Role,
    {
        "SHOPPER": "Buys, reviews what they received, votes and reports.",
        "CREATOR": "A shopper who also publishes content and earns attribution "
        "(read:analytics, webhooks).",
        "MERCHANT": "A creator who also opens storefronts and sells (write:commerce).",
        "MODERATOR": "Staff: sees private data, moderates reviews and reports; holds every scope.",
        "ADMIN": "Runs the platform: roles, categories, refunds, trusted documents; holds "
        "every scope.",
    },
)


@strawberry.type(description="A person with an Agora account. Email and apps are private.")
class User(VisibleNode):
    id: relay.NodeID[int]
    handle: str = strawberry.field(description="Unique public name, e.g. `ada_l`.")
    display_name: str = strawberry.field(description="Name shown next to the user's content.")
    bio: str = strawberry.field(description="Short public self-description.")
    role: Role = strawberry.field(  # type: ignore[valid-type]
        description="What the user may do; it also bounds what their apps' scopes can allow."
    )
    created_at: datetime = strawberry.field(description="When the account was created (UTC).")
    row: strawberry.Private[UserModel]

    @classmethod
    def from_model(cls, row: UserModel) -> Self:
        return cls(
            id=row.id,
            handle=row.handle,
            display_name=row.display_name,
            bio=row.bio,
            role=row.role,
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await accounts.visible_users(info.context, ids), cls.from_model)

    @classmethod
    async def related(cls, info: Info, pk: int | None) -> Self | None:
        """The user another object points at (owner, author, buyer, editor, ...), through the
        request's loader (one query for a whole page of them) and the same visibility rule as
        `node`: a deactivated account is null here too, except for staff."""
        if pk is None:
            return None
        [row] = await accounts.visible_users(info.context, [pk])
        return cls.from_model(row) if row else None

    @classmethod
    async def required(cls, info: Info, pk: int) -> Self:
        """`related` where the caller can only be someone who sees the user whatever their
        state: the user in person (so active) or staff. Everywhere else, use `related`."""
        user = await cls.related(info, pk)
        assert user is not None
        return user

    @strawberry.field(
        description="The sign-in email. Null unless you are this user (apps need "
        "the read:account scope) or staff."
    )
    def email(self, info: Info) -> str | None:
        return self.row.email if can_see_private(info.context, self.row.id) else None

    @strawberry.field(description="Apps this user created. Null unless you may see private data.")
    async def apps(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[App, strawberry.lazy("schema.apps")]] | None:
        from schema.apps import App

        if not can_see_private(info.context, self.row.id):
            return None
        rows = await info.context.loaders[apps_by_owner].load(self.row.id)
        return to_connection(
            paginate_list(rows, page_args(first, after, last, before)), App.from_model
        )

    @strawberry.field(
        description="This user's posts, newest first: published ones for everyone; every "
        "status for the user themself (apps need read:content) and admins."
    )
    async def posts(
        self,
        info: Info,
        status: Annotated[
            Annotated[PostStatus, strawberry.lazy("schema.content")] | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="Only posts in this status; other users' posts are only ever "
                "PUBLISHED for you."
            ),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Post, strawberry.lazy("schema.content")]]:
        from schema.content import user_posts

        return await user_posts(
            self.row.id,
            info,
            status=status,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="The user's creator page (headline, categories, tier, verified badge, "
        "counts); null until they create it with `updateCreatorProfile`."
    )
    async def creator_profile(
        self, info: Info
    ) -> Annotated[CreatorProfile, strawberry.lazy("schema.creators")] | None:
        from schema.creators import user_creator_profile

        return await user_creator_profile(self.row.id, info)

    @strawberry.field(
        description="The user's verification applications, newest first. Null unless you are "
        "this user (apps need read:content) or an admin."
    )
    async def verification_applications(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[VerificationApplication, strawberry.lazy("schema.creators")]] | None:
        from schema.creators import user_verification_applications

        return await user_verification_applications(
            self.row.id, info, first=first, after=after, last=last, before=before
        )

    @strawberry.field(
        description="This user's tutorials, newest first: published ones for everyone; every "
        "status for the user themself (apps need read:content) and admins."
    )
    async def tutorials(
        self,
        info: Info,
        status: Annotated[
            Annotated[TutorialStatus, strawberry.lazy("schema.content")] | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="Only tutorials in this status; other users' are only ever "
                "PUBLISHED for you."
            ),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Tutorial, strawberry.lazy("schema.content")]]:
        from schema.content import user_tutorials

        return await user_tutorials(
            self.row.id,
            info,
            status=status,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="The storefronts this user owns or staffs, oldest first: use their `id` "
        "as `merchantId` in catalog, coupon and order calls. Null unless you are this user "
        "(apps need read:commerce) or an admin."
    )
    async def merchants(
        self, info: Info
    ) -> list[Annotated[Merchant, strawberry.lazy("schema.catalog")]] | None:
        from schema.catalog import Merchant

        rows = await catalog.visible_merchant_team(info.context, self.row)
        return None if rows is None else [Merchant.from_model(row) for row in rows]

    # ---- social (schema/social/profile.py): follows and share links ----

    @strawberry.field(description="How many users follow this user; exact.")
    async def follower_count(self, info: Info) -> int:
        from schema.social import profile

        return await profile.count_followers(info, profile.USER, self.row.id)

    @strawberry.field(description="How many users this user follows; exact.")
    async def following_count(self, info: Info) -> int:
        from schema.social import profile

        return await profile.count_following(info, self.row.id)

    @strawberry.field(
        description="Whether you follow this user; false when signed out, and for yourself."
    )
    async def viewer_follows(self, info: Info) -> bool:
        from schema.social import profile

        return await profile.viewer_follows_target(info, profile.USER, self.row.id)

    @strawberry.field(description="Who follows this user, most recent follow first.")
    async def followers(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User]:
        from schema.social import profile

        return await profile.followers(
            info, profile.USER, self.row.id, (first, after, last, before)
        )

    @strawberry.field(description="The users this user follows, most recent follow first.")
    async def following(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User]:
        from schema.social import profile

        return await profile.following(info, self.row.id, (first, after, last, before))

    @strawberry.field(description="The topics this user follows, most recent follow first.")
    async def followed_topics(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Topic, strawberry.lazy("schema.content")]]:
        from schema.social import profile

        return await profile.followed_topics(info, self.row.id, (first, after, last, before))

    @strawberry.field(
        description="This user's share links, newest first, with their clicks, orders and "
        "GMV. Null unless you are this user (apps need read:content) or an admin."
    )
    async def share_links(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[ShareLink, strawberry.lazy("schema.social")]] | None:
        from schema.social import profile

        return await profile.share_links(info, self.row.id, (first, after, last, before))

    # ---- reactions (schema/reactions/fields.py): saved items ----

    @strawberry.field(
        description="The posts, tutorials and comments this user saved, newest save first. "
        "Null unless you are this user (apps need read:content): saves are private."
    )
    async def saved(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Annotated[SavedItemConnection, strawberry.lazy("schema.reactions")] | None:
        from schema.reactions import fields

        return await fields.saved(info, self.row.id, (first, after, last, before))

    # ---- notifications (schema/notifications/fields.py) ----

    @strawberry.field(
        description="This user's notifications, newest first. Null unless you are this user "
        "(apps need read:content): use `viewer { notifications }`."
    )
    async def notifications(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        unread_only: Annotated[
            bool, strawberry.argument(description="Only the unread ones.")
        ] = False,
    ) -> Connection[Annotated[Notification, strawberry.lazy("schema.notifications")]] | None:
        from schema.notifications import fields as notification_fields

        paging = (first, after, last, before)
        return await notification_fields.page(info, self.row.id, paging, unread_only)

    @strawberry.field(
        description="How many of this user's notifications are unread. Null unless you are "
        "this user (apps need read:content)."
    )
    async def unread_notification_count(self, info: Info) -> int | None:
        from schema.notifications import fields as notification_fields

        return await notification_fields.unread(info, self.row.id)


@strawberry.type(
    description="A signed-in session of the viewer (one per device or browser). Only its own "
    "user sees it, in person (not through an app)."
)
class Session(VisibleNode):
    id: relay.NodeID[int]
    created_at: datetime = strawberry.field(description="When the session was opened.")
    expires_at: datetime = strawberry.field(description="When it stops working.")
    last_used_at: datetime | None = strawberry.field(description="Last request, to the minute.")
    user_agent: str = strawberry.field(description="The client that opened it.")
    is_current: bool = strawberry.field(description="Whether this request uses this session.")

    @classmethod
    def from_model(cls, row: SessionModel, current_id: int | None) -> Self:
        return cls(
            id=row.id,
            created_at=row.created_at,
            expires_at=row.expires_at,
            last_used_at=row.last_used_at,
            user_agent=row.user_agent,
            is_current=row.id == current_id,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        current = info.context.principal.session_id
        rows = await accounts.visible_sessions(info.context, ids)
        return build_each(rows, lambda row: cls.from_model(row, current))


@strawberry.type(
    description="Signed in. Send `token` as `Authorization: Bearer <token>`; "
    "it is shown only this once."
)
class AuthSuccess:
    user: User = strawberry.field(description="The signed-in user.")
    token: str = strawberry.field(description="The session token. Store it securely.")
    expires_at: datetime = strawberry.field(description="When the token stops working.")

    @classmethod
    def from_signed_in(cls, signed_in: accounts.SignedIn) -> Self:
        return cls(
            user=User.from_model(signed_in.user),
            token=signed_in.token,
            expires_at=signed_in.expires_at,
        )


@strawberry.type(description="The profile after the change.")
class UpdateProfileSuccess:
    user: User = strawberry.field(description="The user with the new profile.")


@strawberry.type(description="The password was changed; every other session was signed out.")
class ChangePasswordSuccess:
    user: User = strawberry.field(description="The user whose password changed.")


@strawberry.type(description="The user's role after the change.")
class UpdateUserRoleSuccess:
    user: User = strawberry.field(description="The user with the new role.")


@strawberry.type(description="Sessions were signed out.")
class LogoutPayload:
    revoked_sessions: int = strawberry.field(description="How many sessions were revoked.")


RegisterPayload = Annotated[
    AuthSuccess | ValidationError | ConflictError,
    strawberry.union(
        "RegisterPayload", description="The new account, signed in, or why it could not be created."
    ),
]
LoginPayload = Annotated[
    AuthSuccess | InvalidCredentialsError,
    strawberry.union(
        "LoginPayload",
        description="A new session, or InvalidCredentialsError (never saying which part "
        "was wrong).",
    ),
]
UpdateProfilePayload = Annotated[
    UpdateProfileSuccess | ValidationError | ConflictError,
    strawberry.union(
        "UpdateProfilePayload",
        description="The changed profile, or why it was refused (e.g. a taken handle).",
    ),
]
ChangePasswordPayload = Annotated[
    ChangePasswordSuccess | ValidationError,
    strawberry.union(
        "ChangePasswordPayload",
        description="The user after the change, or why the new password was refused.",
    ),
]
UpdateUserRolePayload = Annotated[
    UpdateUserRoleSuccess | ValidationError | NotFoundError,
    strawberry.union(
        "UpdateUserRolePayload", description="The user with the new role, or why it was refused."
    ),
]


@strawberry.type
class AccountQuery:
    @strawberry.field(description="The signed-in user (the owner, for app tokens), or null.")
    def viewer(self, info: Info) -> User | None:
        user = info.context.principal.user
        return User.from_model(user) if user else None

    @strawberry.field(description="A user by handle, or null.")
    async def user(
        self,
        info: Info,
        handle: Annotated[
            str,
            strawberry.argument(
                description="The user's handle, e.g. `ada_l`; case and surrounding spaces are "
                "ignored."
            ),
        ],
    ) -> User | None:
        row = await accounts.user_by_handle(info.context, handle)
        return User.from_model(row) if row else None

    @strawberry.field(description="All users, newest first. Admins and moderators only.")
    async def users(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User]:
        page = await accounts.list_users(info.context, page_args(first, after, last, before))
        return to_connection(page, User.from_model)

    @strawberry.field(description="The viewer's active sessions. Needs the user's own session.")
    async def sessions(self, info: Info) -> list[Session]:
        rows = await accounts.list_sessions(info.context)
        return [Session.from_model(row, info.context.principal.session_id) for row in rows]


@strawberry.type
class AccountMutation:
    @strawberry.mutation(
        description="Create an account and sign in. Roles open to sign-up: "
        "SHOPPER (default), CREATOR, MERCHANT."
    )
    async def register(
        self,
        info: Info,
        email: Annotated[
            str,
            strawberry.argument(
                description="The sign-in email; must not belong to another account."
            ),
        ],
        password: Annotated[
            str,
            strawberry.argument(
                description="The new account's password: 10-128 characters, not a common password, "
                "and not containing the email or handle."
            ),
        ],
        handle: Annotated[
            str,
            strawberry.argument(
                description="The public name, unique: 3-30 lowercase letters, digits and "
                "underscores, starting with a letter; stored lower-cased."
            ),
        ],
        display_name: Annotated[
            str | None,
            strawberry.argument(
                description="The name shown next to the user's content, 1-80 characters; the "
                "handle if omitted."
            ),
        ] = None,
        role: Annotated[
            Role | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="SHOPPER, CREATOR or MERCHANT (other roles are given by admins); null "
                "means SHOPPER."
            ),
        ] = RoleModel.SHOPPER,
    ) -> RegisterPayload | None:
        signed_in = await accounts.register(
            info.context,
            email=email,
            password=password,
            handle=handle,
            display_name=display_name,
            role=role or RoleModel.SHOPPER,
        )
        return AuthSuccess.from_signed_in(signed_in)

    @strawberry.mutation(
        description="Sign in with email and password. Repeated failures for an "
        "email or address are refused with extensions.code RATE_LIMITED. With `cartToken`, "
        "that anonymous cart is merged into the user's cart."
    )
    async def login(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The account's email, in any case.")],
        password: Annotated[str, strawberry.argument(description="The account's password.")],
        cart_token: Annotated[
            str | None,
            strawberry.argument(
                description="An anonymous cart's token (from createCart) to merge into the user's "
                "cart."
            ),
        ] = None,
    ) -> LoginPayload | None:
        signed_in = await accounts.login(
            info.context, email=email, password=password, cart_token=cart_token
        )
        if signed_in is None:
            return InvalidCredentialsError(message="The email or password is incorrect.")
        return AuthSuccess.from_signed_in(signed_in)

    @strawberry.mutation(
        description="Sign out this session, or every session with `everywhere: true`."
    )
    async def logout(
        self,
        info: Info,
        everywhere: Annotated[
            bool,
            strawberry.argument(
                description="True signs out every session of the account, not just this one."
            ),
        ] = False,
    ) -> LogoutPayload | None:
        revoked = await accounts.logout(info.context, everywhere=everywhere)
        return LogoutPayload(revoked_sessions=revoked)

    @strawberry.mutation(description="Change the viewer's public profile. Omitted fields stay.")
    async def update_profile(
        self,
        info: Info,
        display_name: Annotated[
            str | None,
            strawberry.argument(description="The new display name, 1-80 characters."),
        ] = None,
        bio: Annotated[
            str | None,
            strawberry.argument(
                description="The new bio, at most 500 characters; an empty string clears it."
            ),
        ] = None,
        handle: Annotated[
            str | None,
            strawberry.argument(
                description="A new handle, unique: 3-30 lowercase letters, digits and underscores, "
                "starting with a letter; stored lower-cased."
            ),
        ] = None,
    ) -> UpdateProfilePayload | None:
        user = await accounts.update_profile(
            info.context, display_name=display_name, bio=bio, handle=handle
        )
        return UpdateProfileSuccess(user=User.from_model(user))

    @strawberry.mutation(description="Change the viewer's password; signs out other sessions.")
    async def change_password(
        self,
        info: Info,
        current_password: Annotated[
            str,
            strawberry.argument(
                description="The password in use now, to prove it is really the user."
            ),
        ],
        new_password: Annotated[
            str,
            strawberry.argument(
                description="The new password, different from the current one: 10-128 characters, "
                "not a common password, and not containing the email or handle."
            ),
        ],
    ) -> ChangePasswordPayload | None:
        user = await accounts.change_password(
            info.context, current_password=current_password, new_password=new_password
        )
        return ChangePasswordSuccess(user=User.from_model(user))

    @strawberry.mutation(description="Give a user another role. Admins only.")
    async def update_user_role(
        self,
        info: Info,
        user_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The user to change (a User id); not yourself."),
        ],
        role: Annotated[
            Role,  # type: ignore[valid-type]
            strawberry.argument(
                description="The role the user gets; their apps' scopes shrink to it at once."
            ),
        ],
    ) -> UpdateUserRolePayload | None:
        user = await accounts.set_user_role(
            info.context, user_id=decode_id(user_id, "User", field="userId"), role=role
        )
        return UpdateUserRoleSuccess(user=User.from_model(user))
