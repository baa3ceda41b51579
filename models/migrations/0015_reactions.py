from tortoise import migrations
from tortoise.migrations import operations as ops
from models.reactions import ReactionKind, ReactionTargetKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0014_comments')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Reaction',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='reactions', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='LIKE: like\nSAVE: save', enum_type=ReactionKind, max_length=8)),
                ('target_kind', fields.CharEnumField(description='POST: post\nTUTORIAL: tutorial', enum_type=ReactionTargetKind, max_length=12)),
                ('target_id', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'reactions', 'app': 'models', 'unique_together': (('user', 'kind', 'target_kind', 'target_id'),), 'indexes': [Index(fields=['target_kind', 'target_id', 'kind']), Index(fields=['user_id', 'kind', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
