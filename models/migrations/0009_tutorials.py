from tortoise import migrations
from tortoise.migrations import operations as ops
from models.content import Difficulty, TutorialStatus
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0008_creators')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Tutorial',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', db_constraint=True, to_field='id', related_name='tutorials', on_delete=OnDelete.CASCADE)),
                ('slug', fields.CharField(unique=True, max_length=100)),
                ('title', fields.CharField(max_length=150)),
                ('summary', fields.TextField(default='', unique=False)),
                ('summary_html', fields.TextField(default='', unique=False)),
                ('cover_media_id', fields.BigIntField(null=True)),
                ('difficulty', fields.CharEnumField(default=Difficulty.EASY, description='EASY: easy\nMEDIUM: medium\nHARD: hard', enum_type=Difficulty, max_length=6)),
                ('duration_minutes', fields.IntField(default=1)),
                ('status', fields.CharEnumField(default=TutorialStatus.DRAFT, db_index=True, description='DRAFT: draft\nPUBLISHED: published\nARCHIVED: archived', enum_type=TutorialStatus, max_length=10)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('step_count', fields.IntField(default=0)),
            ],
            options={'table': 'tutorials', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A how-to: a Markdown summary, ordered steps and a parts list that can go into a cart.'},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='TutorialPart',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tutorial', fields.ForeignKeyField('models.Tutorial', source_field='tutorial_id', db_constraint=True, to_field='id', related_name='parts', on_delete=OnDelete.CASCADE)),
                ('position', fields.SmallIntField()),
                ('product_id', fields.BigIntField()),
                ('variant_id', fields.BigIntField(null=True)),
                ('quantity', fields.SmallIntField(default=1)),
                ('note', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'tutorial_parts', 'app': 'models', 'unique_together': (('tutorial', 'position'),), 'pk_attr': 'id', 'table_description': "One line of a tutorial's parts list. Product and variant are ids, not foreign keys: the"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TutorialProduct',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tutorial', fields.ForeignKeyField('models.Tutorial', source_field='tutorial_id', db_constraint=True, to_field='id', related_name='used_products', on_delete=OnDelete.CASCADE)),
                ('product_id', fields.BigIntField(db_index=True)),
            ],
            options={'table': 'tutorial_products', 'app': 'models', 'unique_together': (('tutorial', 'product_id'),), 'pk_attr': 'id', 'table_description': 'Every product a tutorial uses (parts and steps), once: what `tutorials(filter:'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TutorialStep',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tutorial', fields.ForeignKeyField('models.Tutorial', source_field='tutorial_id', db_constraint=True, to_field='id', related_name='steps', on_delete=OnDelete.CASCADE)),
                ('position', fields.SmallIntField()),
                ('title', fields.CharField(default='', max_length=150)),
                ('body', fields.TextField(default='', unique=False)),
                ('body_html', fields.TextField(default='', unique=False)),
                ('media_ids', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('products', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'tutorial_steps', 'app': 'models', 'unique_together': (('tutorial', 'position'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
