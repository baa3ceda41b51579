from tortoise import migrations
from tortoise.migrations import operations as ops
from models.notifications import NotificationKind, NotificationTargetKind
from models.reactions import ReactionTargetKind
from tortoise import fields

class StateOnlyAlterField(ops.AlterField):
    """A change the database does not see: each column keeps its VARCHAR and only its enum
    (the description) gains values (reactions on comments; community invites and approvals).
    A real AlterField rebuilds the table on SQLite and loses its unique constraint and
    indexes (reactions' unique (user, kind, target) is what makes react idempotent)."""

    async def database_forward(self, *args, **kwargs):
        return None

    async def database_backward(self, *args, **kwargs):
        return None


class Migration(migrations.Migration):
    dependencies = [('models', '0020_webhooks')]

    initial = False

    operations = [
        StateOnlyAlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='NEW_FOLLOWER: new_follower\nCOMMENT: comment\nREPLY: reply\nMENTION: mention\nLIKE: like\nORDER_SHIPPED: order_shipped\nORDER_DELIVERED: order_delivered\nWEBHOOK_DISABLED: webhook_disabled\nCOMMUNITY_INVITE: community_invite\nCOMMUNITY_APPROVED: community_approved', enum_type=NotificationKind, max_length=20),
        ),
        StateOnlyAlterField(
            model_name='Notification',
            name='target_kind',
            field=fields.CharEnumField(description='POST: post\nTUTORIAL: tutorial\nCOMMENT: comment\nUSER: user\nORDER: order\nWEBHOOK_SUBSCRIPTION: webhook_sub\nCOMMUNITY: community', enum_type=NotificationTargetKind, max_length=12),
        ),
        StateOnlyAlterField(
            model_name='Reaction',
            name='target_kind',
            field=fields.CharEnumField(description='POST: post\nTUTORIAL: tutorial\nCOMMENT: comment', enum_type=ReactionTargetKind, max_length=12),
        ),
    ]
