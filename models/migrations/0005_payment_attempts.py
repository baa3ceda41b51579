from tortoise import migrations
from tortoise.migrations import operations as ops
from models.orders import PaymentAttemptStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0004_trusted_documents')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PaymentAttempt',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('models.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='payment_attempts', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('provider', fields.CharField(max_length=32)),
                ('idempotency_key', fields.CharField(unique=True, max_length=120)),
                ('amount', fields.BigIntField()),
                ('status', fields.CharEnumField(default=PaymentAttemptStatus.STARTED, db_index=True, description='STARTED: started\nCAPTURED: captured\nDECLINED: declined\nUNKNOWN: unknown', enum_type=PaymentAttemptStatus, max_length=10)),
                ('reference', fields.CharField(default='', max_length=120)),
                ('decline_code', fields.CharField(default='', max_length=64)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'payment_attempts', 'app': 'models', 'unique_together': (('order', 'number'),), 'pk_attr': 'id', 'table_description': 'One try at charging an order, from its start (created_at) until the provider answers.'},
            bases=['TimestampedModel'],
        ),
    ]
