"""scoring.py: pure functions, exactly as the issue and the "How scores work" page say."""

from __future__ import annotations

from safeguards import scoring
from safeguards.scoring import NOT_APPLICABLE, RATED, UNANSWERED, UNKNOWN, Item

PRINCIPLES = ["F1", "F2", "O1"]


def rated(principle, rating, **kw):
    return Item(principle, RATED, rating, **kw)


def test_principle_score_is_the_mean_value_as_a_percentage_of_four():
    assert scoring.principle_score([rated("F1", 3), rated("F1", 2)]) == 62.5
    assert scoring.principle_score([rated("F1", 1), rated("F1", 1), rated("F1", 2)]) == 33.3


def test_all_not_applicable_gives_no_score():
    assert scoring.principle_score([Item("F1", NOT_APPLICABLE), Item("F1", NOT_APPLICABLE)]) is None


def test_fewer_than_half_answered_gives_no_score():
    items = [rated("F1", 4), Item("F1", UNANSWERED), Item("F1", UNANSWERED)]
    assert scoring.principle_score(items) is None
    # exactly half is enough
    assert scoring.principle_score([rated("F1", 4), Item("F1", UNANSWERED)]) == 100.0


def test_not_applicable_counts_as_answered_but_has_no_value():
    items = [rated("F1", 2), Item("F1", NOT_APPLICABLE), Item("F1", NOT_APPLICABLE), Item("F1", UNANSWERED)]
    assert scoring.principle_score(items) == 50.0


def test_dont_know_counts_as_zero_and_is_counted():
    result = scoring.score([rated("F1", 4), Item("F1", UNKNOWN)], PRINCIPLES)
    assert result.principles["F1"] == 50.0
    assert result.unknown_count == 1


def test_category_means_overall_and_level():
    items = [rated("F1", 4), rated("F2", 2), rated("O1", 1)]
    result = scoring.score(items, PRINCIPLES)
    assert result.principles == {"F1": 100.0, "F2": 50.0, "O1": 25.0}
    assert result.foundational == 75.0
    assert result.operational == 25.0
    assert result.overall == 58.3
    assert result.level == scoring.DEVELOPING
    assert result.red_flag is False


def test_levels_at_their_boundaries():
    assert [scoring.level(v) for v in (0, 24.9, 25, 49.9, 50, 74.9, 75, 100)] == [
        "critical",
        "critical",
        "emerging",
        "emerging",
        "developing",
        "developing",
        "advanced",
        "advanced",
    ]
    assert scoring.level(None) is None


def test_red_flag_when_a_foundational_principle_is_below_25():
    result = scoring.score([rated("F1", 0), rated("F2", 4), rated("O1", 4)], PRINCIPLES)
    assert result.red_flag and result.red_flag_principles == ("F1",)
    assert result.overall == 66.7


def test_no_red_flag_for_operational_principles():
    assert not scoring.score([rated("F1", 4), rated("O1", 0)], PRINCIPLES).red_flag


def test_risk_exposure_uses_items_with_a_value():
    items = [
        rated("F1", 4, risks=("RS1",)),
        Item("F1", UNKNOWN, risks=("RS1", "RI1")),
        Item("F1", NOT_APPLICABLE, risks=("RS2",)),
    ]
    result = scoring.score(items, PRINCIPLES, ["RS1", "RS2", "RI1"])
    assert result.risks == {"RS1": 50.0, "RS2": None, "RI1": 100.0}


def test_reviewed_scores_replace_the_teams_ratings():
    items = [rated("F1", 4, reviewed_rating=1), Item("F1", UNKNOWN, reviewed_rating=3), rated("F2", 2)]
    self_, reviewed = scoring.self_and_reviewed(items, PRINCIPLES)
    assert self_.principles["F1"] == 50.0
    assert reviewed.principles["F1"] == 50.0 and reviewed.unknown_count == 0
    items = [rated("F1", 4, reviewed_rating=0)]
    self_, reviewed = scoring.self_and_reviewed(items, PRINCIPLES)
    assert self_.principles["F1"] == 100.0 and reviewed.principles["F1"] == 0.0 and reviewed.red_flag


def test_principle_without_items_has_no_score_and_no_effect():
    result = scoring.score([rated("F1", 2)], PRINCIPLES)
    assert result.principles["O1"] is None and result.operational is None and result.overall == 50.0
    assert result.item_counts["O1"] == 0


def test_rounding_is_half_up():
    assert scoring.round1(12.25) == 12.3 and scoring.round1(0.05) == 0.1
