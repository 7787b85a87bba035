"""Tracking codes: what customers type must be read back, mistakes caught, codes unguessable."""

from __future__ import annotations

import math
import random
import re

from hypothesis import given
from hypothesis import strategies as st

from resuelve.complaints import tracking

CODE_RE = re.compile(r"^RS-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")
payloads = st.text(alphabet=tracking.ALPHABET, min_size=9, max_size=9)


def _symbols(code: str) -> str:
    """The ten symbols of a formatted code, RS-XXXXX-XXXXX."""
    return code[3:8] + code[9:14]


def _code(payload: str) -> str:
    return tracking.format_code(payload + tracking.check_symbol(payload))


def test_it_formats_codes_as_prefix_and_two_groups_of_five():
    for _ in range(200):
        code = tracking.generate()
        assert CODE_RE.match(code), code
        assert len(code) == 14
        assert tracking.normalize(code) == code
        assert tracking.is_valid(code)


def test_it_draws_at_least_40_random_bits():
    assert len(tracking.ALPHABET) == 32
    assert len(set(tracking.ALPHABET)) == 32
    assert tracking.RANDOM_BITS >= 40
    assert tracking.RANDOM_SYMBOLS * math.log2(len(tracking.ALPHABET)) >= 40


def test_it_uses_every_symbol_in_every_random_position():
    # With 2,000 draws a symbol missing from a position has probability ~32 * e^-62.
    codes = [_symbols(tracking.generate()) for _ in range(2000)]
    for position in range(tracking.RANDOM_SYMBOLS):
        assert {code[position] for code in codes} == set(tracking.ALPHABET), position


def test_it_generates_unique_codes_that_are_not_sequential():
    codes = [tracking.generate() for _ in range(5000)]
    assert len(set(codes)) == len(codes)
    numbers = [
        sum(tracking.ALPHABET.index(ch) * 32**i for i, ch in enumerate(reversed(_symbols(c)[:9])))
        for c in codes
    ]
    steps = {b - a for a, b in zip(numbers, numbers[1:], strict=False)}
    # Sequential or arithmetic codes would have one step; random ones have (almost) all distinct.
    assert len(steps) > 4900
    increasing = sum(1 for a, b in zip(numbers, numbers[1:], strict=False) if b > a)
    assert 2000 < increasing < 3000


def test_it_does_not_depend_on_the_random_module_seed():
    random.seed(12345)
    first = tracking.generate()
    random.seed(12345)
    second = tracking.generate()
    assert first != second


@given(payloads)
def test_it_catches_every_single_symbol_substitution(payload):
    code = payload + tracking.check_symbol(payload)
    assert tracking.normalize(code) is not None
    for position in range(len(code)):
        for symbol in tracking.ALPHABET:
            if symbol == code[position]:
                continue
            typo = code[:position] + symbol + code[position + 1 :]
            assert tracking.normalize(typo) is None, (code, typo)


# Luhn mod 32 misses exactly one adjacent transposition: "0" with "Z" (the first and last
# symbols), the analogue of 09 <-> 90 in decimal Luhn. Every other swap is caught.
UNDETECTABLE_SWAP = frozenset({tracking.ALPHABET[0], tracking.ALPHABET[-1]})


@given(payloads, st.integers(min_value=0, max_value=8))
def test_it_catches_adjacent_transpositions(payload, position):
    code = payload + tracking.check_symbol(payload)
    a, b = code[position], code[position + 1]
    swapped = code[:position] + b + a + code[position + 2 :]
    if a == b:
        assert tracking.normalize(swapped) == tracking.format_code(code)
    elif {a, b} == UNDETECTABLE_SWAP:
        assert tracking.normalize(swapped) is not None
    else:
        assert tracking.normalize(swapped) is None, (code, swapped)


def _valid_codes_with(position: int):
    """Valid 10-symbol codes covering every pair of symbols at position, position + 1."""
    base = "7KX9M4TPQ"
    if position < 8:
        for a in tracking.ALPHABET:
            for b in tracking.ALPHABET:
                payload = base[:position] + a + b + base[position + 2 :]
                yield payload + tracking.check_symbol(payload)
    else:  # the last payload symbol and the check symbol: vary the first symbol to vary the check
        for a in tracking.ALPHABET:
            for first in tracking.ALPHABET:
                payload = first + base[1:8] + a
                yield payload + tracking.check_symbol(payload)


def test_it_misses_no_adjacent_transposition_but_zero_and_z_exhaustively():
    missed = set()
    pairs_seen = set()
    for position in range(9):
        for code in _valid_codes_with(position):
            a, b = code[position], code[position + 1]
            if a == b:
                continue
            pairs_seen.add((position, a, b))
            swapped = code[:position] + b + a + code[position + 2 :]
            if tracking.normalize(swapped) is not None:
                missed.add(frozenset({a, b}))
    assert len(pairs_seen) == 9 * 32 * 31  # every ordered pair at every position
    assert missed == {UNDETECTABLE_SWAP}


@given(payloads)
def test_it_normalizes_what_customers_type(payload):
    code = _code(payload)
    symbols = _symbols(code)
    variants = [
        code.lower(),
        symbols,
        symbols.lower(),
        f"  {code}  ",
        f"rs {symbols[:5]} {symbols[5:]}",
        "RS" + symbols,
        code.replace("1", "I").replace("0", "O"),
        code.replace("1", "l").replace("0", "o"),
        code.replace("1", "L"),
    ]
    for typed in variants:
        assert tracking.normalize(typed) == code, typed


def test_it_rejects_what_cannot_be_a_code():
    good = _code("7KX9M4TPQ")
    wrong_check = good[:-1] + next(s for s in tracking.ALPHABET if s != good[-1])
    for text in [
        "",
        "RS-",
        wrong_check,
        good[:-1],  # a symbol short
        good + "7",  # a symbol too many
        "XX" + _symbols(good),  # another prefix
        "RS-7KX9M-4TPQ*",
        "RS-7KX9M-4TPQ\u00e9",
        "12345",
        "anything else",
    ]:
        assert tracking.normalize(text) is None, text
        assert not tracking.is_valid(text)


def test_it_computes_the_check_symbol_of_a_known_code():
    # Luhn mod 32 worked by hand for payload "000000001": the rightmost symbol is doubled,
    # 2 * 1 = 2, so the check symbol is 32 - 2 = 30, "Y".
    assert tracking.check_symbol("000000001") == "Y"
    assert tracking.check_symbol("000000000") == "0"
    assert tracking.normalize("RS-00000-0001Y") == "RS-00000-0001Y"
