"""An app holding write:content but not read:content finishes its own work: it finds the
drafts and uploads it made for its owner, though it may not read private content."""

from __future__ import annotations

from tests.content.support import create_post, publish
from tests.factories import MakeApp, MakeAppToken, SignIn
from tests.utils import GraphQLClient

REQUEST = """
mutation { requestUpload(kind: IMAGE, contentType: "image/png", byteSize: 100, filename: "a.png")
  { __typename ... on RequestUploadSuccess { media { id } } } }
"""
COMPLETE = "mutation($id: ID!) { completeUpload(mediaId: $id) { __typename } }"


async def test_a_write_only_app_publishes_its_owners_draft_and_completes_its_upload(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    author = await sign_in()
    app = await make_app_token(await make_app(author.user, scopes=["write:content"]))

    draft = await create_post(gql, app)
    published = await publish(gql, app, draft["id"])
    requested = (await gql.data(REQUEST, token=app))["requestUpload"]
    completed = await gql.data(COMPLETE, {"id": requested["media"]["id"]}, token=app)

    assert published["__typename"] == "PublishPostSuccess"
    # found (nothing was posted to storage), not a NotFoundError
    assert completed["completeUpload"]["__typename"] == "UploadNotFoundError"
