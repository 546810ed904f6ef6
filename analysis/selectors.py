"""Reads of the stored analysis: the themes and duplicate groups as the API, the dashboard and
the final report show them. Nothing here computes an analysis; sizes, stances, sections,
authors and answers are counted over the comments that are published now (one query), so a
comment hidden since the last computation is already gone from every figure and list."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from analysis.models import Analysis, DuplicateGroup, Placement, Theme
from backend.isotime import isotime
from comments.models import Comment, Response
from consultations.models import Consultation


def _live(queryset: QuerySet[Comment]) -> QuerySet[Comment]:
    return queryset.filter(status=Comment.Status.PUBLISHED, is_removed=False)


def comments_to_analyse(consultation: Consultation):
    """The published comments, as rows the computation reads (id, body, author)."""
    return (
        _live(Comment.objects.filter(consultation=consultation))
        .order_by("created_at", "id")
        .values("id", "body", "author_id", "author_name")
        .iterator(chunk_size=5000)
    )


def comments_of(*, theme: Theme | None = None, group: DuplicateGroup | None = None):
    """The published comments of a theme or a group, oldest first."""
    placements = Placement.objects.filter(**({"theme": theme} if theme else {"group": group}))
    return _live(Comment.objects.filter(pk__in=placements.values("comment_id"))).order_by(
        "created_at", "id"
    )


def analysis_of(consultation: Consultation) -> Analysis | None:
    return Analysis.objects.filter(consultation=consultation).first()


def status_of(analysis: Analysis | None, consultation: Consultation) -> str:
    """Never computed: "stale" when there is something to compute, else "ready"."""
    if analysis is not None:
        return analysis.status
    has_comments = _live(Comment.objects.filter(consultation=consultation)).exists()
    return Analysis.Status.STALE if has_comments else Analysis.Status.READY


@dataclass
class _Figures:
    """One theme's or group's published comments and what is counted over them."""

    comments: list[int] = field(default_factory=list)
    stances: Counter = field(default_factory=Counter)
    sections: Counter = field(default_factory=Counter)
    authors: set = field(default_factory=set)
    organizations: set = field(default_factory=set)
    answered: int = 0

    def add(self, comment, stance, section, author, name, organization, written_org, answered):
        self.comments.append(comment)
        self.stances[stance] += 1
        self.sections[section or ""] += 1
        # An account, else the name as written; a written submission without a name is
        # its own author.
        if author:
            self.authors.add(author)
        else:
            self.authors.add(f"name:{name.casefold()}" if name else f"comment:{comment}")
        if organization or written_org:
            self.organizations.add(organization or written_org.casefold())
        self.answered += bool(answered)

    def stance_counts(self) -> dict[str, int]:
        return {stance: self.stances.get(stance, 0) for stance in Comment.Stance.values}

    def section_counts(self) -> dict[str, int]:
        """Section number → comments, the whole draft (no section) as ""; most first."""
        return dict(self.sections.most_common())


def _figures(analysis: Analysis) -> tuple[dict[int, _Figures], dict[int, _Figures]]:
    """Per theme and per group: the figures over its published comments (one query)."""
    rows = (
        Placement.objects.filter(analysis=analysis)
        .filter(comment__status=Comment.Status.PUBLISHED, comment__is_removed=False)
        .order_by("comment__created_at", "comment_id")
        .values_list(
            "theme_id",
            "group_id",
            "comment_id",
            "comment__stance",
            "comment__section__number",
            "comment__author_id",
            "comment__author_name",
            "comment__organization_id",
            "comment__organization_name",
            "comment__response__id",
        )
    )
    by_theme: dict[int, _Figures] = defaultdict(_Figures)
    by_group: dict[int, _Figures] = defaultdict(_Figures)
    for theme, group, *row in rows:
        by_theme[theme].add(*row)
        if group is not None:
            by_group[group].add(*row)
    return by_theme, by_group


class _Stored:
    """The stored analysis of a consultation with its figures, read once for all views."""

    def __init__(self, consultation: Consultation):
        self.analysis = analysis_of(consultation)
        self.status = status_of(self.analysis, consultation)
        if self.analysis is None:
            self.by_theme, self.by_group = {}, {}
        else:
            self.by_theme, self.by_group = _figures(self.analysis)

    def head(self) -> dict:
        computed_at = self.analysis.computed_at if self.analysis else None
        return {"status": self.status, "computed_at": isotime(computed_at)}

    def themes(self) -> list[dict]:
        found = []
        for theme in self.analysis.themes.all() if self.analysis else ():
            figures = self.by_theme.get(theme.pk)
            if figures is None:
                continue  # all its comments left public view since
            live = set(figures.comments)
            found.append(
                {
                    "id": theme.pk,
                    "label": theme.label,
                    "terms": theme.terms,
                    "is_other": theme.is_other,
                    "size": len(figures.comments),
                    "stance_counts": figures.stance_counts(),
                    "sections": figures.section_counts(),
                    "representatives": [c for c in theme.representatives if c in live],
                    "comments": figures.comments,
                    "answered": figures.answered,
                }
            )
        return found

    def groups(self) -> list[dict]:
        found = []
        for group in self.analysis.groups.all() if self.analysis else ():
            figures = self.by_group.get(group.pk)
            if figures is None or len(figures.comments) < 2:
                continue
            found.append(
                {
                    "id": group.pk,
                    "size": len(figures.comments),
                    "authors": len(figures.authors),
                    "organizations": len(figures.organizations),
                    "campaign": len(figures.authors) > 1,
                    "representative": group.representative_id
                    if group.representative_id in set(figures.comments)
                    else figures.comments[0],
                    "stance_counts": figures.stance_counts(),
                    "sections": figures.section_counts(),
                    "comments": figures.comments,
                    "answered": figures.answered,
                }
            )
        found.sort(key=lambda g: (-g["size"], g["id"]))
        return found


def themes(consultation: Consultation) -> dict:
    """GET consultations/{id}/themes/ (docs/ANALYSIS.md)."""
    stored = _Stored(consultation)
    found = stored.themes()
    return {
        **stored.head(),
        "comment_count": sum(theme["size"] for theme in found),
        "themes": found,
    }


def duplicate_groups(consultation: Consultation) -> dict:
    """GET consultations/{id}/duplicate-groups/ (docs/ANALYSIS.md)."""
    stored = _Stored(consultation)
    return {**stored.head(), "groups": stored.groups()}


def theme_in(consultation: Consultation, theme_id: int) -> Theme | None:
    return Theme.objects.filter(pk=theme_id, analysis__consultation=consultation).first()


def group_in(consultation: Consultation, group_id: int) -> DuplicateGroup | None:
    return DuplicateGroup.objects.filter(pk=group_id, analysis__consultation=consultation).first()


def _quotes(ids) -> dict[int, Comment]:
    return (
        Comment.objects.filter(pk__in=set(ids))
        .select_related("author", "author__privacy", "organization", "section")
        .in_bulk()
    )


# --- The planner's dashboard and the final report --------------------------------------------


def for_dashboard(consultation: Consultation, *, themes_shown: int = 12, groups_shown: int = 10):
    """Themes and duplicate groups with their representative comments loaded and how many
    of their comments are answered: what the dashboard's analysis section shows."""
    stored = _Stored(consultation)
    found, grouped = stored.themes(), stored.groups()
    shown_themes, shown_groups = found[:themes_shown], grouped[:groups_shown]
    quotes = _quotes(
        [c for t in shown_themes for c in t["representatives"]]
        + [g["representative"] for g in shown_groups]
    )
    for theme in shown_themes:
        theme["quotes"] = [quotes[c] for c in theme["representatives"] if c in quotes]
        theme["form_id"] = f"t{theme['id']}"
    for group in shown_groups:
        group["quote"] = quotes.get(group["representative"])
        group["form_id"] = f"g{group['id']}"
    return {
        "status": stored.status,
        "computed_at": stored.analysis.computed_at if stored.analysis else None,
        "outcomes": Response.Outcome.choices,
        "comment_count": sum(theme["size"] for theme in found),
        "themes": shown_themes,
        "more_themes": len(found) - len(shown_themes),
        "groups": shown_groups,
        "campaigns": sum(1 for g in grouped if g["campaign"]),
        "grouped_comments": sum(g["size"] for g in grouped),
    }


def for_final_report(consultation: Consultation) -> list[dict]:
    """ "Ringkasan masukan per tema": each theme with its stances, how many of its comments
    came in campaigns, its published answers by outcome, and one quote."""
    stored = _Stored(consultation)
    found = stored.themes()
    if not found:
        return []
    in_campaign = {c for g in stored.groups() if g["campaign"] for c in g["comments"]}
    quotes = _quotes(t["representatives"][0] for t in found if t["representatives"])
    outcomes: dict[int, Counter] = defaultdict(Counter)
    rows = Placement.objects.filter(
        analysis=stored.analysis,
        comment__status=Comment.Status.PUBLISHED,
        comment__response__published_at__isnull=False,
    ).values_list("theme_id", "comment__response__outcome")
    for theme_id, outcome in rows:
        outcomes[theme_id][outcome] += 1
    labels = dict(Response.Outcome.choices)
    for theme in found:
        counted = outcomes[theme["id"]]
        theme["campaign_comments"] = len(in_campaign.intersection(theme["comments"]))
        theme["quote"] = (
            quotes.get(theme["representatives"][0]) if theme["representatives"] else None
        )
        theme["outcomes"] = [
            (value, labels[value], counted[value])
            for value in Response.Outcome.values
            if counted[value]
        ]
    return found
