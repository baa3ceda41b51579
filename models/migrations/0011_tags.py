from tortoise import migrations
from tortoise.migrations import operations as ops
from models.content import TagTarget
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_media_private')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ShoppableTag',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('target_kind', fields.CharEnumField(description='POST: post\nREVIEW: review\nTUTORIAL: tutorial', enum_type=TagTarget, max_length=20)),
                ('target_id', fields.BigIntField()),
                ('media', fields.ForeignKeyField('models.Media', source_field='media_id', db_constraint=True, to_field='id', related_name='shoppable_tags', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('models.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='shoppable_tags', on_delete=OnDelete.CASCADE)),
                ('variant', fields.ForeignKeyField('models.Variant', source_field='variant_id', null=True, db_constraint=True, to_field='id', related_name='shoppable_tags', on_delete=OnDelete.SET_NULL)),
                ('x', fields.FloatField(null=True)),
                ('y', fields.FloatField(null=True)),
                ('at_seconds', fields.FloatField(null=True)),
                ('position', fields.SmallIntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'shoppable_tags', 'app': 'models', 'indexes': [Index(fields=['target_kind', 'target_id', 'media_id']), Index(fields=['product_id', 'target_kind'])], 'pk_attr': 'id', 'table_description': 'A product (or one variant) tagged on one media item as shown in one post, review or'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Post',
            name='cover_media_id',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='Post',
            name='media_ids',
            field=fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name='PostRevision',
            name='cover_media_id',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='PostRevision',
            name='media_ids',
            field=fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
        ),
    ]
