from tortoise import migrations
from tortoise.migrations import operations as ops
from models.content import PostStatus
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_media')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Post',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', db_constraint=True, to_field='id', related_name='posts', on_delete=OnDelete.CASCADE)),
                ('community_id', fields.BigIntField(null=True)),
                ('slug', fields.CharField(unique=True, max_length=100)),
                ('title', fields.CharField(max_length=150)),
                ('body', fields.TextField(default='', unique=False)),
                ('body_html', fields.TextField(default='', unique=False)),
                ('status', fields.CharEnumField(default=PostStatus.DRAFT, db_index=True, description='DRAFT: draft\nSCHEDULED: scheduled\nPUBLISHED: published\nARCHIVED: archived', enum_type=PostStatus, max_length=10)),
                ('publish_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revision_count', fields.IntField(default=0)),
            ],
            options={'table': 'posts', 'app': 'models', 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='PostRevision',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('post', fields.ForeignKeyField('models.Post', source_field='post_id', db_constraint=True, to_field='id', related_name='revisions', on_delete=OnDelete.CASCADE)),
                ('editor', fields.ForeignKeyField('models.User', source_field='editor_id', null=True, db_constraint=True, to_field='id', related_name='post_revisions', on_delete=OnDelete.SET_NULL)),
                ('number', fields.IntField()),
                ('title', fields.CharField(max_length=150)),
                ('body', fields.TextField(default='', unique=False)),
                ('topics', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('restored_from', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'post_revisions', 'app': 'models', 'unique_together': (('post', 'number'),), 'pk_attr': 'id', 'table_description': "The post's title, body and topics after one edit (number 1 is the post as created)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Topic',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=50)),
                ('name', fields.CharField(max_length=50)),
                ('post_count', fields.IntField(default=0, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'topics', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PostTopic',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('post', fields.ForeignKeyField('models.Post', source_field='post_id', db_constraint=True, to_field='id', related_name='post_topics', on_delete=OnDelete.CASCADE)),
                ('topic', fields.ForeignKeyField('models.Topic', source_field='topic_id', db_constraint=True, to_field='id', related_name='post_topics', on_delete=OnDelete.CASCADE)),
                ('position', fields.SmallIntField(default=0)),
            ],
            options={'table': 'post_topics', 'app': 'models', 'unique_together': (('post', 'topic'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
