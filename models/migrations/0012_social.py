from tortoise import migrations
from tortoise.migrations import operations as ops
from models.social import FollowTargetKind, ShareChannel, ShareTargetKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0011_tags')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Follow',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('follower', fields.ForeignKeyField('models.User', source_field='follower_id', db_constraint=True, to_field='id', related_name='follows', on_delete=OnDelete.CASCADE)),
                ('target_kind', fields.CharEnumField(description='USER: user\nTOPIC: topic', enum_type=FollowTargetKind, max_length=12)),
                ('target_id', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'follows', 'app': 'models', 'unique_together': (('follower', 'target_kind', 'target_id'),), 'indexes': [Index(fields=['target_kind', 'target_id', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ShareClickFlush',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('batch', fields.CharField(unique=True, max_length=36)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'share_click_flushes', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One batch of clicks moved from Redis into `share_links.clicks`: a batch applied once'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ShareLink',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=40)),
                ('sharer', fields.ForeignKeyField('models.User', source_field='sharer_id', db_constraint=True, to_field='id', related_name='share_links', on_delete=OnDelete.CASCADE)),
                ('target_kind', fields.CharEnumField(description='POST: post\nPRODUCT: product\nUSER: user\nTOPIC: topic', enum_type=ShareTargetKind, max_length=12)),
                ('target_id', fields.BigIntField()),
                ('channel', fields.CharEnumField(description='WECHAT: wechat\nWEIBO: weibo\nDOUYIN: douyin\nXIAOHONGSHU: xiaohongshu\nSMS: sms\nEMAIL: email\nCOPY: copy\nOTHER: other', enum_type=ShareChannel, max_length=12)),
                ('clicks', fields.BigIntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'share_links', 'app': 'models', 'unique_together': (('sharer', 'target_kind', 'target_id', 'channel'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
