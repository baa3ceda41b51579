from tortoise import migrations
from tortoise.migrations import operations as ops
from models.media import MediaVisibility
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0009_tutorials')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Media',
            name='processing_token',
            field=fields.CharField(default='', max_length=32),
        ),
        ops.AddField(
            model_name='Media',
            name='visibility',
            field=fields.CharEnumField(default=MediaVisibility.PUBLIC, description='PUBLIC: public\nPRIVATE: private', enum_type=MediaVisibility, max_length=10),
        ),
    ]
