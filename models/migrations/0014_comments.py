from tortoise import migrations
from tortoise.migrations import operations as ops
from models.comments import CommentTargetKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0013_events')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Comment',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('target_kind', fields.CharEnumField(description='POST: post\nTUTORIAL: tutorial\nREVIEW: review\nPRODUCT: product', enum_type=CommentTargetKind, max_length=12)),
                ('target_id', fields.BigIntField()),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.CASCADE)),
                ('parent', fields.ForeignKeyField('models.Comment', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='replies', on_delete=OnDelete.CASCADE)),
                ('depth', fields.SmallIntField(default=0)),
                ('body', fields.TextField(unique=False)),
                ('body_html', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('edited_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('deleted_by_id', fields.BigIntField(null=True)),
            ],
            options={'table': 'comments', 'app': 'models', 'indexes': [Index(fields=['target_kind', 'target_id', 'parent_id', 'id']), Index(fields=['parent_id', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CommentMention',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('comment', fields.ForeignKeyField('models.Comment', source_field='comment_id', db_constraint=True, to_field='id', related_name='mentions', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='comment_mentions', on_delete=OnDelete.CASCADE)),
                ('position', fields.SmallIntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'comment_mentions', 'app': 'models', 'unique_together': (('comment', 'user'),), 'indexes': [Index(fields=['user_id', 'id'])], 'pk_attr': 'id', 'table_description': "A user named by `@handle` in a comment's body: one row per (comment, user)."},
            bases=['Model'],
        ),
    ]
