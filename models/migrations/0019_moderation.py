from tortoise import migrations
from tortoise.migrations import operations as ops
from models.moderation import ModerationActionKind, ReportStatus, ReportTargetKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0018_notifications')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ModerationItem',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('target_kind', fields.CharEnumField(description='REVIEW: review\nPOST: post\nTUTORIAL: tutorial\nCOMMENT: comment\nCOMMUNITY: community', enum_type=ReportTargetKind, max_length=12)),
                ('target_id', fields.BigIntField()),
                ('community_id', fields.BigIntField(null=True)),
                ('status', fields.CharEnumField(default=ReportStatus.OPEN, description='OPEN: open\nACTIONED: actioned\nDISMISSED: dismissed', enum_type=ReportStatus, max_length=10)),
                ('report_count', fields.IntField(default=0)),
                ('open_report_count', fields.IntField(default=0)),
                ('last_reported_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'moderation_items', 'app': 'models', 'unique_together': (('target_kind', 'target_id'),), 'indexes': [Index(fields=['status', 'report_count', 'id']), Index(fields=['community_id', 'status', 'report_count', 'id'])], 'pk_attr': 'id', 'table_description': 'A reported target in the queue: its counts and where it stands.'},
            bases=['TimestampedModel'],
        ),
        ops.CreateModel(
            name='ModerationLogEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item', fields.ForeignKeyField('models.ModerationItem', source_field='item_id', null=True, db_constraint=True, to_field='id', related_name='log_entries', on_delete=OnDelete.SET_NULL)),
                ('target_kind', fields.CharEnumField(description='REVIEW: review\nPOST: post\nTUTORIAL: tutorial\nCOMMENT: comment\nCOMMUNITY: community', enum_type=ReportTargetKind, max_length=12)),
                ('target_id', fields.BigIntField()),
                ('moderator', fields.ForeignKeyField('models.User', source_field='moderator_id', db_constraint=True, to_field='id', related_name='moderation_log', on_delete=OnDelete.CASCADE)),
                ('action', fields.CharEnumField(description='HIDE: hide\nRESTORE: restore\nDISMISS: dismiss', enum_type=ModerationActionKind, max_length=10)),
                ('note', fields.CharField(default='', max_length=500)),
                ('reports_closed', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'moderation_log', 'app': 'models', 'indexes': [Index(fields=['target_kind', 'target_id', 'id'])], 'pk_attr': 'id', 'table_description': 'What a moderator did to a target, and why: never edited, never deleted.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Report',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item', fields.ForeignKeyField('models.ModerationItem', source_field='item_id', db_constraint=True, to_field='id', related_name='reports', on_delete=OnDelete.CASCADE)),
                ('target_kind', fields.CharEnumField(description='REVIEW: review\nPOST: post\nTUTORIAL: tutorial\nCOMMENT: comment\nCOMMUNITY: community', enum_type=ReportTargetKind, max_length=12)),
                ('target_id', fields.BigIntField()),
                ('reporter', fields.ForeignKeyField('models.User', source_field='reporter_id', db_constraint=True, to_field='id', related_name='reports', on_delete=OnDelete.CASCADE)),
                ('reason', fields.CharField(max_length=500)),
                ('status', fields.CharEnumField(default=ReportStatus.OPEN, description='OPEN: open\nACTIONED: actioned\nDISMISSED: dismissed', enum_type=ReportStatus, max_length=10)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'reports', 'app': 'models', 'unique_together': (('target_kind', 'target_id', 'reporter'),), 'indexes': [Index(fields=['item_id', 'id'])], 'pk_attr': 'id', 'table_description': "One user's report of one target, with their reason."},
            bases=['TimestampedModel'],
        ),
        ops.AddField(
            model_name='Comment',
            name='hidden_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Comment',
            name='hidden_by_id',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='Community',
            name='hidden_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Community',
            name='hidden_by_id',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='Post',
            name='hidden_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Post',
            name='hidden_by_id',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='Tutorial',
            name='hidden_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Tutorial',
            name='hidden_by_id',
            field=fields.BigIntField(null=True),
        ),
        # Review reports move into the one moderation queue, their data kept: an item per
        # reported review (open, or actioned if the review is hidden already), then the reports.
        ops.RunSQL(
            [
                "INSERT INTO moderation_items (target_kind, target_id, status, report_count,"
                " open_report_count, last_reported_at, created_at, updated_at)"
                " SELECT 'review', rr.review_id,"
                " CASE WHEN MIN(r.status) = 'hidden' THEN 'actioned' ELSE 'open' END,"
                " COUNT(*), CASE WHEN MIN(r.status) = 'hidden' THEN 0 ELSE COUNT(*) END,"
                " MAX(rr.created_at), MIN(rr.created_at), MAX(rr.created_at)"
                " FROM review_reports rr JOIN reviews r ON r.id = rr.review_id"
                " GROUP BY rr.review_id",
                "INSERT INTO reports (item_id, target_kind, target_id, reporter_id, reason, status,"
                " created_at, updated_at)"
                " SELECT mi.id, 'review', rr.review_id, rr.reporter_id, rr.reason,"
                " CASE WHEN mi.status = 'actioned' THEN 'actioned' ELSE 'open' END,"
                " rr.created_at, rr.updated_at"
                " FROM review_reports rr JOIN moderation_items mi"
                " ON mi.target_kind = 'review' AND mi.target_id = rr.review_id"
                " ORDER BY rr.id",
            ],
            reverse_sql=[
                "INSERT INTO review_reports (review_id, reporter_id, reason, created_at, updated_at)"
                " SELECT target_id, reporter_id, reason, created_at, updated_at FROM reports"
                " WHERE target_kind = 'review' ORDER BY id",
                "DELETE FROM reports",
                "DELETE FROM moderation_items",
            ],
        ),
        ops.DeleteModel(name='ReviewReport'),
    ]
