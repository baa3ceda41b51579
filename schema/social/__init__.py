"""GraphQL shape of follows and share links: ShareLink, the target unions, the mutations.

The follow fields of User and Topic (counts, lists, viewerFollows) and User.shareLinks live on
those types, which call `schema.social.profile` lazily, as this package imports them. The
share links' own route, `/s/<code>`, is redirect.py.
"""

from __future__ import annotations

from schema.social.mutations import SocialMutation
from schema.social.redirect import share_redirect
from schema.social.types import FollowTarget, ShareChannel, ShareLink, ShareTarget

__all__ = [
    "FollowTarget",
    "ShareChannel",
    "ShareLink",
    "ShareTarget",
    "SocialMutation",
    "share_redirect",
]
