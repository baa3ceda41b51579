from tortoise import migrations
from tortoise.migrations import operations as ops
from models.orders import RefundStatus
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_commerce')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Order',
            name='refund_attempts',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='Order',
            name='refund_reference',
            field=fields.CharField(default='', max_length=120),
        ),
        ops.AddField(
            model_name='Order',
            name='refund_status',
            field=fields.CharEnumField(default=RefundStatus.NONE, db_index=True, description='NONE: none\nPENDING: pending\nSUCCEEDED: succeeded\nFAILED: failed', enum_type=RefundStatus, max_length=10),
        ),
        ops.AddField(
            model_name='Order',
            name='refunded_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
