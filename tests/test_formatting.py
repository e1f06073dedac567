"""Dutch dates, numbers and euros: what people read, and what they type back."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.formatting import (
    format_date,
    format_datetime,
    format_euro,
    format_number,
    format_quantity,
    format_size,
    input_number,
    parse_number,
)


class TestReading:
    def test_file_sizes_in_dutch(self):
        assert format_size(12) == "1 kB"
        assert format_size(345_400) == "345 kB"
        assert format_size(999_700) == "1 MB"
        assert format_size(1_234_567) == "1,2 MB"

    def test_euros_in_dutch(self):
        assert format_euro(Decimal("420000")) == "€ 420.000"
        assert format_euro(Decimal("1250.5")) == "€ 1.250,50"

    def test_numbers_use_a_decimal_comma_and_drop_trailing_zeros(self):
        assert format_number(Decimal("12.5000")) == "12,5"
        assert format_number(Decimal("1234567")) == "1.234.567"

    def test_quantities_show_their_unit_but_not_a_bare_count(self):
        assert format_quantity(Decimal("45.5"), "%") == "45,5%"
        assert format_quantity(Decimal("12.9"), "% van 0-17 jaar") == "12,9% van 0-17 jaar"
        assert format_quantity(Decimal("431"), "per 10.000 inwoners") == "431 per 10.000 inwoners"
        assert format_quantity(Decimal("60"), "aantal") == "60"
        assert format_quantity(Decimal("0"), None) == "0"

    def test_dates_in_dutch(self):
        assert format_date(date(2026, 11, 23)) == "23 november 2026"
        assert format_date(date(2026, 3, 2), "short") == "02-03-2026"

    def test_times_in_amsterdam(self):
        assert format_datetime(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == "1 juli 2026 om 14:00"


class TestTyping:
    @pytest.mark.parametrize(
        ("typed", "number"),
        [
            ("12.500", Decimal("12500")),
            ("12.500,75", Decimal("12500.75")),
            ("-3,5", Decimal("-3.5")),
            ("€ 1.000", Decimal("1000")),
            ("43,5%", Decimal("43.5")),
            ("12.5", Decimal("12.5")),  # a decimal point, as typed on an English keyboard
            (" 7 ", Decimal("7")),
        ],
    )
    def test_dutch_input(self, typed, number):
        assert parse_number(typed) == number

    @pytest.mark.parametrize("typed", ["", "abc", "12,5,5", "1.2.3", "1e5", "nan", "--1"])
    def test_text_that_is_no_number_gets_a_dutch_message(self, typed):
        with pytest.raises(ValueError, match="Vul een getal in"):
            parse_number(typed)

    @given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
    def test_what_a_form_shows_reads_back_as_the_same_number(self, value):
        assert parse_number(input_number(value)) == value

    @given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False))
    def test_what_a_page_shows_reads_back_as_the_same_number(self, value):
        assert parse_number(format_number(value)) == value
