from tortoise import migrations
from tortoise.migrations import operations as ops
from models.communities import CommunityVisibility, JoinPolicy, MemberRole, MemberStatus
from models.social import FollowTargetKind
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class StateOnlyAlterField(ops.AlterField):
    """A change the database does not see: follows.target_kind keeps its VARCHAR(12) and only
    its enum (the description) gains COMMUNITY. A real AlterField rebuilds the table on SQLite
    and loses its unique (follower, kind, target) constraint."""

    async def database_forward(self, *args, **kwargs):
        return None

    async def database_backward(self, *args, **kwargs):
        return None


class Migration(migrations.Migration):
    dependencies = [('models', '0015_reactions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Community',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=100)),
                ('name', fields.CharField(max_length=80)),
                ('theme', fields.CharField(default='', max_length=40)),
                ('description', fields.TextField(default='', unique=False)),
                ('rules', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('avatar_media_id', fields.BigIntField(null=True)),
                ('join_policy', fields.CharEnumField(default=JoinPolicy.OPEN, description='OPEN: open\nAPPROVAL: approval\nINVITE: invite', enum_type=JoinPolicy, max_length=10)),
                ('visibility', fields.CharEnumField(default=CommunityVisibility.PUBLIC, db_index=True, description='PUBLIC: public\nPRIVATE: private', enum_type=CommunityVisibility, max_length=10)),
                ('creator', fields.ForeignKeyField('models.User', source_field='creator_id', db_constraint=True, to_field='id', related_name='created_communities', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'communities', 'app': 'models', 'pk_attr': 'id'},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='CommunityMember',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='community_memberships', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharEnumField(default=MemberRole.MEMBER, description='OWNER: owner\nADMIN: admin\nMODERATOR: moderator\nMEMBER: member', enum_type=MemberRole, max_length=10)),
                ('status', fields.CharEnumField(description='PENDING: pending\nINVITED: invited\nACTIVE: active\nBANNED: banned', enum_type=MemberStatus, max_length=10)),
                ('muted', fields.BooleanField(default=False)),
                ('muted_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('banned_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('invited_by_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'community_members', 'app': 'models', 'unique_together': (('user', 'community'),), 'indexes': [Index(fields=['community_id', 'status', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CommunityPin',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='pins', on_delete=OnDelete.CASCADE)),
                ('post', fields.ForeignKeyField('models.Post', source_field='post_id', db_constraint=True, to_field='id', related_name='pins', on_delete=OnDelete.CASCADE)),
                ('announcement', fields.BooleanField(default=False)),
                ('pinned_by_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'community_pins', 'app': 'models', 'unique_together': (('community', 'post'),), 'pk_attr': 'id', 'table_description': 'A post pinned at the top of its community, flagged or not as an announcement.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Post',
            name='community_id',
            field=fields.BigIntField(null=True, db_index=True),
        ),
        StateOnlyAlterField(
            model_name='Follow',
            name='target_kind',
            field=fields.CharEnumField(description='USER: user\nTOPIC: topic\nCOMMUNITY: community', enum_type=FollowTargetKind, max_length=12),
        ),
    ]
