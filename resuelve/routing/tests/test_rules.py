"""Rule matching and assignee choice, the pure functions behind routing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from resuelve.routing.rules import (
    Candidate,
    Facts,
    RuleSpec,
    choose_assignee,
    evaluate,
    fold,
    phrases,
)


def facts(**overrides):
    base = {"kind": "claim", "channel": "web", "language": "es", "text": fold("Mi carro")}
    return Facts(**{**base, **overrides})


def test_it_folds_case_and_accents_so_phrases_match_as_people_write():
    assert fold("FRENÓ en la Vía") == "freno en la via"
    assert phrases("  Frenos \n\nHumo\n") == ("frenos", "humo")
    assert fold("刹车失灵") == "刹车失灵"


def test_the_first_matching_rule_wins_and_a_stop_rule_ends_the_evaluation():
    transport = RuleSpec(
        1, "Transport", categories=frozenset({"entrega"}), actions=(("department", 4),)
    )
    vip = RuleSpec(
        2,
        "Platinum customers are high",
        stop=False,
        tiers=frozenset({"platinum"}),
        actions=(("severity", "high"),),
    )
    anything = RuleSpec(3, "Everything else", actions=(("department", 1), ("severity", "low")))

    decision = evaluate([vip, transport, anything], facts(category="entrega", tier="platinum"))
    assert decision.values == {"severity": "high", "department": 4}
    assert decision.set_by == {"severity": "Platinum customers are high", "department": "Transport"}
    assert [t["rule"] for t in decision.trace] == ["Platinum customers are high", "Transport"]

    decision = evaluate([vip, transport, anything], facts(category="taller"))
    assert decision.values == {"department": 1, "severity": "low"}
    assert decision.trace[0] == {
        "rule": "Platinum customers are high",
        "matched": False,
        "failed": "tier",
    }
    assert decision.trace[1]["failed"] == "category"


def test_every_kind_of_condition_is_checked():
    rule = RuleSpec(
        1,
        "All of them",
        kinds=frozenset({"claim"}),
        categories=frozenset({"garantia"}),
        channels=frozenset({"email"}),
        product_ids=frozenset({7}),
        supplier_ids=frozenset({9}),
        tiers=frozenset({"gold"}),
        languages=frozenset({"et"}),
        phrases=("pidur",),
        actions=(("confidential", True),),
    )
    matching = facts(
        kind="claim",
        category="garantia",
        channel="email",
        product_id=7,
        supplier_id=9,
        tier="gold",
        language="et",
        text=fold("Pidurid ei tööta"),
    )
    assert rule.failed_condition(matching) is None
    for name, value in [
        ("kind", "petition"),
        ("category", None),
        ("channel", "web"),
        ("product_id", 8),
        ("supplier_id", None),
        ("tier", "none"),
        ("language", "es"),
        ("text", "kõik on hästi"),
    ]:
        broken = Facts(**{**matching.__dict__, name: value})
        expected = name.removesuffix("_id")
        assert rule.failed_condition(broken) == expected


@given(st.text(max_size=40), st.sampled_from(["es", "en", "et", "zh-hans"]))
def test_a_rule_without_conditions_holds_for_every_case(text, language):
    assert (
        RuleSpec(1, "catch-all").failed_condition(facts(text=fold(text), language=language)) is None
    )


def person(user_id, load=0, capacity=10, last=0, **extra):
    return Candidate(
        user_id=user_id, name=f"p{user_id}", load=load, capacity=capacity, last_case=last, **extra
    )


def test_the_least_loaded_able_person_gets_the_case():
    chosen, trace = choose_assignee(
        [person(1, load=5), person(2, load=2), person(3, load=1, absent=True)],
        language="es",
        category=None,
    )
    assert chosen.user_id == 2
    assert [(t["user"], t["skipped"], t["chosen"]) for t in trace] == [
        ("p1", None, False),
        ("p2", None, True),
        ("p3", "absent", False),
    ]


def test_equally_loaded_people_take_turns():
    earlier, later = 41, 97  # ids of their newest open cases
    chosen, _ = choose_assignee(
        [person(1, load=3, last=later), person(2, load=3, last=earlier)],
        language="es",
        category=None,
    )
    assert chosen.user_id == 2  # whose last case is older
    chosen, _ = choose_assignee(
        [person(1, load=3), person(2, load=3, last=earlier)], language="es", category=None
    )
    assert chosen.user_id == 1  # one with no open case at all comes first


def test_capacity_language_and_skills_are_respected():
    people = [
        person(1, load=10, capacity=10),
        person(2, languages=frozenset({"es", "en"})),
        person(3, skills=frozenset({"entrega"})),
        person(4, load=4, languages=frozenset({"et"}), skills=frozenset({"garantia"})),
    ]
    chosen, trace = choose_assignee(people, language="et", category="garantia")
    assert chosen.user_id == 4
    assert [t["skipped"] for t in trace] == ["at_capacity", "language", "skills", None]
    chosen, trace = choose_assignee(people[:3], language="zh-hans", category="garantia")
    assert chosen is None


@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.integers(1, 12), st.booleans()), min_size=1, max_size=8
    )
)
def test_the_chosen_one_is_never_loaded_more_than_another_able_person(rows):
    people = [
        person(i, load=load, capacity=cap, absent=absent)
        for i, (load, cap, absent) in enumerate(rows)
    ]
    chosen, _ = choose_assignee(people, language="es", category=None)
    able = [p for p in people if not p.absent and p.load < p.capacity]
    if not able:
        assert chosen is None
    else:
        assert chosen in able and chosen.load == min(p.load for p in able)
