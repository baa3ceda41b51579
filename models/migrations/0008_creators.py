from tortoise import migrations
from tortoise.migrations import operations as ops
from models.creators import CreatorTier, VerificationStatus
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0007_content')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CreatorCategory',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='creator_categories', on_delete=OnDelete.CASCADE)),
                ('category', fields.ForeignKeyField('models.Category', source_field='category_id', db_constraint=True, to_field='id', related_name='creator_categories', on_delete=OnDelete.CASCADE)),
                ('position', fields.SmallIntField(default=0)),
            ],
            options={'table': 'creator_categories', 'app': 'models', 'unique_together': (('user', 'category'),), 'pk_attr': 'id', 'table_description': "One of a creator's categories (at most 5), keyed by user so listings filter in one join."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CreatorProfile',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.OneToOneField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='creator_profile', on_delete=OnDelete.CASCADE)),
                ('headline', fields.CharField(default='', max_length=120)),
                ('tier', fields.CharEnumField(default=CreatorTier.KOC, db_index=True, description='KOC: koc\nKOL: kol\nBRAND: brand', enum_type=CreatorTier, max_length=8)),
                ('verified', fields.BooleanField(default=False, db_index=True)),
                ('verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'creator_profiles', 'app': 'models', 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='VerificationApplication',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='verification_applications', on_delete=OnDelete.CASCADE)),
                ('pending_for', fields.BigIntField(null=True, unique=True)),
                ('requested_tier', fields.CharEnumField(description='KOC: koc\nKOL: kol\nBRAND: brand', enum_type=CreatorTier, max_length=8)),
                ('message', fields.TextField(default='', unique=False)),
                ('links', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('status', fields.CharEnumField(default=VerificationStatus.PENDING, db_index=True, description='PENDING: pending\nAPPROVED: approved\nREJECTED: rejected\nREVOKED: revoked', enum_type=VerificationStatus, max_length=10)),
                ('granted_tier', fields.CharEnumField(null=True, description='KOC: koc\nKOL: kol\nBRAND: brand', enum_type=CreatorTier, max_length=8)),
                ('decided_by', fields.ForeignKeyField('models.User', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name='verification_decisions', on_delete=OnDelete.SET_NULL)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decision_reason', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'verification_applications', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
