from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resuelve.accounts.roles import Role
from resuelve.complaints.lifecycle import Kind
from resuelve.remedies.authority import approver_needed, may_approve
from resuelve.remedies.value import value_check

D = Decimal
money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


class TestValueRule:
    def test_it_is_met_when_v2_covers_v1_plus_c(self) -> None:
        assert value_check(D("100"), D("20"), D("120")).ok
        assert value_check(D("100"), D("20"), D("150")).shortfall == 0

    def test_it_warns_with_the_shortfall(self) -> None:
        check = value_check(D("100"), D("20"), D("90"))
        assert not check.ok
        assert check.shortfall == D("30")

    def test_it_counts_unknown_values_as_zero(self) -> None:
        assert value_check(None, None, None).ok
        assert not value_check(D("1"), None, None).ok

    @given(money, money, money)
    def test_it_is_ok_exactly_when_v2_reaches_v1_plus_c(self, v1: D, c: D, v2: D) -> None:
        check = value_check(v1, c, v2)
        assert check.ok == (v2 >= v1 + c)
        assert check.shortfall == max(D("0"), v1 + c - v2)


def needed(value: str, proposer: str = Role.AGENT, category: str | None = "defect") -> str:
    return approver_needed(
        D(value), category_code=category, kind=Kind.COMPLAINT, proposer_role=proposer
    )


class TestAuthority:
    @pytest.mark.parametrize(
        ("value", "proposer", "role"),
        [
            ("0", Role.AGENT, Role.AGENT),
            ("200000", Role.AGENT, Role.AGENT),
            ("200000.01", Role.AGENT, Role.SUPERVISOR),
            ("2000000", Role.AGENT, Role.SUPERVISOR),
            ("2000000.01", Role.AGENT, Role.MANAGER),
            ("500000", Role.HANDLER, Role.HANDLER),
            ("500001", Role.HANDLER, Role.SUPERVISOR),
            ("2000000", Role.SUPERVISOR, Role.SUPERVISOR),
            ("3000000", Role.SUPERVISOR, Role.MANAGER),
            ("90000000", Role.MANAGER, Role.MANAGER),
            ("90000000", Role.ADMIN, Role.ADMIN),
        ],
    )
    def test_it_lets_the_proposer_decide_within_their_limit_and_escalates_above(
        self, value: str, proposer: str, role: str
    ) -> None:
        assert needed(value, proposer) == role

    @pytest.mark.parametrize("proposer", [Role.AGENT, Role.SUPERVISOR, Role.MANAGER])
    def test_it_sends_contract_disputes_to_a_manager(self, proposer: str) -> None:
        assert needed("1", proposer, category="contrato") == Role.MANAGER

    def test_it_reads_the_senior_categories_given(self) -> None:
        assert (
            approver_needed(
                D("1"),
                category_code="legal",
                kind=Kind.CLAIM,
                proposer_role=Role.AGENT,
                senior_categories=["legal"],
            )
            == Role.MANAGER
        )

    def test_it_lets_only_a_high_enough_role_with_the_limit_approve(self) -> None:
        assert may_approve(Role.SUPERVISOR, needed=Role.SUPERVISOR, value=D("2000000"))
        assert not may_approve(Role.SUPERVISOR, needed=Role.SUPERVISOR, value=D("2000001"))
        assert not may_approve(Role.HANDLER, needed=Role.SUPERVISOR, value=D("1"))
        assert not may_approve(Role.SUPERVISOR, needed=Role.MANAGER, value=D("1"))
        assert may_approve(Role.ADMIN, needed=Role.MANAGER, value=D("10") ** 10)
        assert not may_approve(Role.AUDITOR, needed=Role.AGENT, value=D("0"))

    @given(money, st.sampled_from([Role.AGENT, Role.HANDLER, Role.SUPERVISOR, Role.MANAGER]))
    def test_the_role_needed_can_always_approve(self, value: D, proposer: str) -> None:
        role = approver_needed(value, category_code=None, kind=Kind.CLAIM, proposer_role=proposer)
        assert may_approve(role, needed=role, value=value)
