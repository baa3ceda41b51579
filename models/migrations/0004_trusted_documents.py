from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0003_refunds')]

    initial = False

    operations = [
        ops.CreateModel(
            name='TrustedDocument',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=71)),
                ('body', fields.TextField(unique=False)),
                ('registered_by', fields.ForeignKeyField('models.User', source_field='registered_by_id', null=True, db_constraint=True, to_field='id', related_name='+', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'trusted_documents', 'app': 'models', 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
    ]
