"""The embedded defaults (SQLite, fakeredis, the worker in the process): one process relays
and serves subscribers, through the same hub on the in-process Redis."""

from __future__ import annotations

from pathlib import Path

from resolvers.seed import DEMO_PASSWORD
from tests.served import served
from tests.subscriptions.support import api_client, node_subscriber

LOGIN = """
mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { ... on AuthSuccess { token } }
}
"""
POSTS = "{ posts(first: 1) { edges { node { id } } } }"
COMMENTS = "subscription C($id: ID!) { commentAdded(targetId: $id) { body author { handle } } }"
ADD = 'mutation($id: ID!) { addComment(targetId: $id, body: "From one process") { __typename } }'


async def test_one_embedded_process_relays_to_its_own_subscribers(tmp_path: Path) -> None:
    with served(
        tmp_path,
        DATABASE_URL=f"sqlite://{tmp_path}/agora.sqlite3",
        REDIS_URL="memory://",
        MEDIA_URL=f"file://{tmp_path}/media",
        LOG_LEVEL="WARNING",
    ) as base:
        async with api_client(base) as api:
            login = {"email": "chef_ana@agora.test", "password": DEMO_PASSWORD}
            token = (await api.data(LOGIN, login))["login"]["token"]
            post = (await api.data(POSTS))["posts"]["edges"][0]["node"]["id"]
            async with node_subscriber(base, COMMENTS, {"id": post}) as node:
                await node.ready()
                added = await api.data(ADD, {"id": post}, token=token)
                assert added["addComment"]["__typename"] == "AddCommentSuccess"
                # No relay run by the test: the in-process worker, kicked by the request.
                line = await node.expect("next")
                assert line["payload"]["data"]["commentAdded"] == {
                    "body": "From one process",
                    "author": {"handle": "chef_ana"},
                }
