from tortoise import migrations
from tortoise.migrations import operations as ops
from models.notifications import NotificationKind, NotificationTargetKind
from models.webhooks import WebhookDeliveryStatus
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class StateOnlyAlterField(ops.AlterField):
    """Only the enum (the column's description) gains a value; the VARCHAR stays as it is. A
    real AlterField rebuilds the table on SQLite and loses its indexes (as 0016_communities
    and 0021_socialfin note)."""

    async def database_forward(self, *args, **kwargs):
        return None

    async def database_backward(self, *args, **kwargs):
        return None


class Migration(migrations.Migration):
    dependencies = [('models', '0019_moderation')]

    initial = False

    operations = [
        ops.CreateModel(
            name='WebhookSubscription',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('app', fields.ForeignKeyField('models.App', source_field='app_id', db_constraint=True, to_field='id', related_name='webhook_subscriptions', on_delete=OnDelete.CASCADE)),
                ('url', fields.CharField(max_length=2000)),
                ('event_types', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('secret_encrypted', fields.CharField(max_length=200)),
                ('secret_hint', fields.CharField(max_length=16)),
                ('active', fields.BooleanField(default=True)),
                ('disabled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('disabled_reason', fields.CharField(default='', max_length=500)),
                ('consecutive_failures', fields.IntField(default=0)),
            ],
            options={'table': 'webhook_subscriptions', 'app': 'models', 'indexes': [Index(fields=['app_id', 'id']), Index(fields=['active'])], 'pk_attr': 'id', 'table_description': "An app's subscription to event types, delivered to one URL"},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('subscription', fields.ForeignKeyField('models.WebhookSubscription', source_field='subscription_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('event_id', fields.BigIntField()),
                ('event_type', fields.CharField(max_length=64)),
                ('body', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(description='PENDING: pending\nRETRYING: retrying\nSUCCEEDED: succeeded\nFAILED: failed', enum_type=WebhookDeliveryStatus, max_length=10)),
                ('attempts', fields.SmallIntField(default=0)),
                ('round_start', fields.SmallIntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_attempt_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_response_code', fields.SmallIntField(null=True)),
                ('last_duration_ms', fields.IntField(null=True)),
                ('last_response_snippet', fields.CharField(default='', max_length=500)),
                ('last_error', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'webhook_deliveries', 'app': 'models', 'unique_together': (('subscription', 'event_id'),), 'indexes': [Index(fields=['subscription_id', 'id']), Index(fields=['subscription_id', 'status', 'id']), Index(fields=['status', 'next_attempt_at'])], 'pk_attr': 'id', 'table_description': 'One event to deliver to one subscription, with its latest outcome'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookAttempt',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('delivery', fields.ForeignKeyField('models.WebhookDelivery', source_field='delivery_id', db_constraint=True, to_field='id', related_name='attempt_log', on_delete=OnDelete.CASCADE)),
                ('number', fields.SmallIntField()),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('duration_ms', fields.IntField()),
                ('succeeded', fields.BooleanField()),
                ('response_code', fields.SmallIntField(null=True)),
                ('response_snippet', fields.CharField(default='', max_length=500)),
                ('error', fields.CharField(default='', max_length=500)),
                ('next_attempt_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'webhook_attempts', 'app': 'models', 'unique_together': (('delivery', 'number'),), 'pk_attr': 'id', 'table_description': 'One HTTP request of a webhook delivery'},
            bases=['Model'],
        ),
        StateOnlyAlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='NEW_FOLLOWER: new_follower\nCOMMENT: comment\nREPLY: reply\nMENTION: mention\nLIKE: like\nORDER_SHIPPED: order_shipped\nORDER_DELIVERED: order_delivered\nWEBHOOK_DISABLED: webhook_disabled', enum_type=NotificationKind, max_length=20),
        ),
        StateOnlyAlterField(
            model_name='Notification',
            name='target_kind',
            field=fields.CharEnumField(description='POST: post\nTUTORIAL: tutorial\nCOMMENT: comment\nUSER: user\nORDER: order\nWEBHOOK_SUBSCRIPTION: webhook_sub', enum_type=NotificationTargetKind, max_length=12),
        ),
    ]
