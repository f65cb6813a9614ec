"""`Requirement` becomes `LedgerEntry`: one name, "ledger entry", for one item of the interview's ledger.

The table is renamed; the rows, the wire op (`requirement`) and the constraint's name stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0006_incident"),
        ("whiteboard", "0003_board_closed_alter_batch_created_at"),
    ]

    operations = [
        migrations.RenameModel(old_name="Requirement", new_name="LedgerEntry"),
        migrations.AlterField(
            model_name="ledgerentry",
            name="board",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="ledger_entries", to="whiteboard.board"
            ),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="author",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="ledger_entries", to="whiteboard.participant"
            ),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="answered_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="ledger_answers",
                to="whiteboard.participant",
            ),
        ),
    ]
