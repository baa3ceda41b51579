from tortoise import migrations
from tortoise.migrations import operations as ops
from models.media import MediaKind, MediaStatus
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    # Written on 0004; at merge it follows whatever 0005 main has (payment attempts).
    dependencies = [('models', '0005_payment_attempts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Media',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('owner', fields.ForeignKeyField('models.User', source_field='owner_id', db_constraint=True, to_field='id', related_name='media', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='IMAGE: image\nVIDEO: video', enum_type=MediaKind, max_length=10)),
                ('status', fields.CharEnumField(default=MediaStatus.PENDING, description='PENDING: pending\nPROCESSING: processing\nREADY: ready\nFAILED: failed', enum_type=MediaStatus, max_length=10)),
                ('key', fields.CharField(unique=True, max_length=200)),
                ('content_type', fields.CharField(max_length=100)),
                ('byte_size', fields.BigIntField()),
                ('filename', fields.CharField(default='', max_length=200)),
                ('width', fields.IntField(null=True)),
                ('height', fields.IntField(null=True)),
                ('variants', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('failure', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'media', 'app': 'models', 'indexes': [Index(fields=['status', 'created_at'])], 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
        ops.AddField(
            model_name='Product',
            name='media_ids',
            field=fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name='Review',
            name='media_ids',
            field=fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
        ),
    ]
