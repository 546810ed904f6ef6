"""REST shapes of the analysis (docs/ANALYSIS.md); the answers are built by analysis.selectors
and analysis.services, these describe them for the schema and parse the inputs."""

from rest_framework import serializers

from analysis.models import Analysis
from comments.serializers import RespondInput


class StanceCounts(serializers.Serializer):
    support = serializers.IntegerField()
    oppose = serializers.IntegerField()
    neutral = serializers.IntegerField()
    question = serializers.IntegerField()


class ThemeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    terms = serializers.ListField(child=serializers.CharField())
    is_other = serializers.BooleanField(help_text="The theme of what fits no other.")
    size = serializers.IntegerField()
    stance_counts = StanceCounts()
    sections = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='Section number → comments ("" = the draft as a whole), most first.',
    )
    representatives = serializers.ListField(
        child=serializers.IntegerField(), help_text="Comment ids closest to the theme's centre."
    )
    comments = serializers.ListField(child=serializers.IntegerField())
    answered = serializers.IntegerField(help_text="Comments with a response (draft or published).")


class ThemesOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Analysis.Status.choices)
    computed_at = serializers.DateTimeField(allow_null=True)
    comment_count = serializers.IntegerField()
    themes = ThemeOutput(many=True)


class DuplicateGroupOutput(serializers.Serializer):
    id = serializers.IntegerField()
    size = serializers.IntegerField()
    authors = serializers.IntegerField()
    organizations = serializers.IntegerField()
    campaign = serializers.BooleanField(help_text="Members from more than one author.")
    representative = serializers.IntegerField(help_text="The comment id that shows the text.")
    stance_counts = StanceCounts()
    sections = serializers.DictField(child=serializers.IntegerField())
    comments = serializers.ListField(child=serializers.IntegerField())
    answered = serializers.IntegerField()


class DuplicateGroupsOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Analysis.Status.choices)
    computed_at = serializers.DateTimeField(allow_null=True)
    groups = DuplicateGroupOutput(many=True)


class RefreshOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Analysis.Status.choices)


class ImportInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (UTF-8) or XLSX with a header row: section, organization, author, "
        "stance, body, submitted_at, channel, ref."
    )


class ImportError_(serializers.Serializer):
    row = serializers.IntegerField(help_text="The spreadsheet's row number (the header is 1).")
    message = serializers.CharField()


class ImportOutput(serializers.Serializer):
    imported = serializers.IntegerField()
    skipped = serializers.IntegerField(
        help_text="Rows already recorded (same ref), or left out with skip_invalid."
    )
    errors = ImportError_(many=True)


class RespondAllInput(RespondInput):
    """The answer every comment of the theme or group gets."""


class RespondAllOutput(serializers.Serializer):
    answered = serializers.IntegerField()
