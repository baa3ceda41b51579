from tortoise import migrations
from tortoise.migrations import operations as ops
from models.notifications import NotificationKind, NotificationTargetKind
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0017_feeds')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('recipient', fields.ForeignKeyField('models.User', source_field='recipient_id', db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='NEW_FOLLOWER: new_follower\nCOMMENT: comment\nREPLY: reply\nMENTION: mention\nLIKE: like\nORDER_SHIPPED: order_shipped\nORDER_DELIVERED: order_delivered', enum_type=NotificationKind, max_length=20)),
                ('target_kind', fields.CharEnumField(description='POST: post\nTUTORIAL: tutorial\nCOMMENT: comment\nUSER: user\nORDER: order', enum_type=NotificationTargetKind, max_length=12)),
                ('target_id', fields.BigIntField()),
                ('group_key', fields.CharField(null=True, max_length=64)),
                ('actor_count', fields.IntField(default=0)),
                ('recent_actor_ids', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'notifications', 'app': 'models', 'indexes': [Index(fields=['recipient_id', 'id']), Index(fields=['recipient_id', 'read_at']), Index(fields=['recipient_id', 'group_key', 'read_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NotificationActor',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('notification', fields.ForeignKeyField('models.Notification', source_field='notification_id', db_constraint=True, to_field='id', related_name='actors', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='notified_acts', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'notification_actors', 'app': 'models', 'unique_together': (('notification', 'user'),), 'pk_attr': 'id', 'table_description': 'One person in a notification (who liked, who followed): counted once however often.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NotificationDelivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event_id', fields.BigIntField()),
                ('recipient_id', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'notification_deliveries', 'app': 'models', 'unique_together': (('event_id', 'recipient_id'),), 'pk_attr': 'id', 'table_description': 'An event already turned into a notification for this recipient (redelivery guard).'},
            bases=['Model'],
        ),
    ]
