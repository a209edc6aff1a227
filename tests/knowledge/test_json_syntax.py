"""Strict JSON checking: conformance (y_/n_/i_ style), named faults with line:column, limits,
the lone-payload reading of a pasted JSON, and the same tables end to end through `diagnose`."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import main as cli_main
from knowledge import diagnose
from knowledge.evidence.json_syntax import (
    JsonFault,
    check_json,
    diagnose_json,
    looks_like_json,
)
from knowledge.recognize.http import find_http

# --------------------------------------------------------------------------------------------
# Conformance: y_ cases must be accepted, n_ cases rejected, by check_json (fast path + scanner)
# and by the scanner alone (diagnose_json), which is what runs when the fast path fails.

Y_CASES: dict[str, str] = {
    # structure
    "y_empty_array": "[]",
    "y_empty_object": "{}",
    "y_nested_arrays": "[[[]]]",
    "y_array_of_objects": '[{}, {"a": []}]',
    "y_object_simple": '{"a": 1, "b": [true, false, null]}',
    "y_duplicate_keys": '{"a": 1, "a": 2}',
    "y_empty_key": '{"": 0}',
    "y_nested_object": '{"a": {"b": {"c": {}}}}',
    # top-level scalars
    "y_top_string": '"just a string"',
    "y_top_number": "42",
    "y_top_true": "true",
    "y_top_false": "false",
    "y_top_null": "null",
    "y_top_negative_zero": "-0",
    # numbers
    "y_number_zero": "[0]",
    "y_number_negative": "[-123]",
    "y_number_fraction": "[0.5]",
    "y_number_negative_fraction": "[-0.000001]",
    "y_number_exponent": "[1e10]",
    "y_number_exponent_upper": "[1E10]",
    "y_number_exponent_plus": "[1e+2]",
    "y_number_exponent_minus": "[1e-2]",
    "y_number_fraction_exponent": "[12.5E-3]",
    "y_number_zero_exponent": "[0e0]",
    "y_number_huge_exponent": "[1e99999]",
    "y_number_long_int": "[" + "9" * 300 + "]",
    "y_number_long_fraction": "[0." + "1" * 500 + "]",
    # strings and escapes
    "y_string_all_escapes": r'["\" \\ \/ \b \f \n \r \t"]',
    "y_string_unicode_escape": r'["\u00e9\u4e2d"]',
    "y_string_unicode_escape_upper": r'["\u00E9\uABCD"]',
    "y_string_surrogate_pair": r'["\ud83d\ude00"]',
    "y_string_lone_surrogate_escape": r'["\ud800"]',
    "y_string_lone_low_surrogate": r'["\udc00 x"]',
    "y_string_raw_unicode": '["é 中 😀"]',
    "y_string_raw_del": '["\x7f"]',
    "y_string_nbsp_inside": '["a\u00a0b"]',
    "y_string_zero_width_inside": '["a\u200bb"]',
    "y_string_single_quote_inside": '["it\'s"]',
    "y_string_curly_quotes_inside": '["He said “hi”"]',
    "y_string_slash_unescaped": '["a/b"]',
    "y_string_comment_like": '["// not a comment /* */"]',
    "y_string_escaped_null": r'["\u0000"]',
    "y_string_empty": '[""]',
    "y_key_with_escapes": r'{"a\nb\u0041": 1}',
    # whitespace
    "y_ws_around": " \t\r\n[ 1 ,\t2\r\n] \n",
    "y_ws_crlf_lines": '{\r\n  "a": 1\r\n}\r\n',
    "y_ws_inside_empty": "[ \n ]",
    "y_ws_object_everywhere": ' { "a" : 1 , "b" : 2 } ',
    # literals
    "y_literals_in_array": "[true,false,null]",
    # more structure
    "y_array_nested_mixed": '[1, [2, [3, {"four": 4}]], "five"]',
    "y_array_every_type": '[0, -1.5, "s", true, false, null, {}, []]',
    "y_array_spaced_commas": "[ 1 , 2 , 3 ]",
    "y_array_of_empty_strings": '["", "", ""]',
    "y_object_arrays_in_values": '{"a": [[1, 2], [3]], "b": {"c": [null]}}',
    "y_object_unicode_key": '{"ключ": "значение"}',
    "y_object_key_with_colon_and_comma": '{"a, b: c": 1}',
    "y_object_key_escaped_quote": r'{"say \"hi\"": 1}',
    "y_object_numeric_string_keys": '{"1": 1, "2": 2}',
    "y_object_200_members": "{" + ", ".join(f'"k{i}": {i}' for i in range(200)) + "}",
    "y_object_duplicate_keys_other_types": '{"a": 1, "a": "1", "a": [1]}',
    "y_deep_mixed_nesting": '[{"a": [{"b": [{"c": []}]}]}]',
    "y_nesting_300_alternating": '[{"a":' * 300 + "1" + "}]" * 300,
    # more numbers
    "y_number_tiny_negative_exponent": "[-1.5e-300]",
    "y_number_exponent_leading_zeros": "[1e007]",
    "y_number_zero_point_zero": "[0.0]",
    "y_number_negative_zero_everything": "[-0.0e-0]",
    "y_number_5000_digits": "[1" + "0" * 5000 + "]",  # past Python's int digit limit
    "y_number_past_double_precision": "[9007199254740993]",
    "y_number_exponent_overflow": "[1e400]",
    "y_number_exponent_underflow": "[1e-400]",
    # more strings
    "y_string_escaped_solidus_path": r'["\/api\/v1"]',
    "y_string_raw_emoji": '["🚀"]',
    "y_string_raw_rtl": '["مرحبا"]',
    "y_string_combining_mark": '["e\u0301"]',
    "y_string_backslash_before_closing_quote": r'["a\\"]',
    "y_string_10k_characters": '["' + "x" * 10_000 + '"]',
    "y_string_escaped_controls": r'["\u0001\u001f\u007f"]',
    "y_string_raw_c1_controls": '["\x85\x9f"]',  # only U+0000-U+001F must be escaped
    "y_string_raw_bom_inside": '["\ufeff"]',
    "y_string_raw_line_and_paragraph_separators": '["\u2028\u2029"]',
    "y_string_hash_inside": '["# not a comment"]',
    "y_string_html_inside": '["<b>&amp;</b>"]',
    "y_string_surrogate_pair_upper_hex": r'["\uD83D\uDE80"]',
    "y_key_lone_low_surrogate_escape": r'{"\udc00": 1}',
    "y_string_replacement_character": '["\ufffd"]',
    # more top level and whitespace
    "y_top_negative_exponent_float": "-12.5e3",
    "y_top_empty_string": '""',
    "y_top_string_with_escapes": r'"\t\u00e9"',
    "y_top_object_then_blank_lines": '{"a": 1}\n\n\n',
    "y_ws_tabs_only": "\t[\t1\t]\t",
    "y_ws_lone_carriage_returns": "\r[1,\r2]\r",
    "y_ws_newline_before_colon": '{"a"\n:\n1}',
}

N_CASES: dict[str, str] = {
    # structure
    "n_empty": "",
    "n_only_ws": " \n\t ",
    "n_trailing_comma_array": "[1,]",
    "n_trailing_comma_object": '{"a": 1,}',
    "n_comma_only": "[,]",
    "n_double_comma": "[1,,2]",
    "n_leading_comma": "[,1]",
    "n_missing_comma": "[1 2]",
    "n_unclosed_array": "[1, 2",
    "n_unclosed_object": '{"a": 1',
    "n_extra_close": "[1]]",
    "n_mismatch": "[1}",
    "n_mismatch_object": '{"a": 1]',
    "n_lone_close": "}",
    "n_missing_colon": '{"a" 1}',
    "n_equals_for_colon": '{"a" = 1}',
    "n_missing_value": '{"a": }',
    "n_key_no_value": '{"a"}',
    "n_unquoted_key": "{a: 1}",
    "n_number_key": "{1: 1}",
    "n_single_quoted_key": "{'a': 1}",
    "n_two_values": "1 2",
    "n_two_objects": "{} {}",
    "n_garbage_after": "[1] x",
    "n_comma_after_value": "[1],",
    "n_colon_in_array": '["a": 1]',
    "n_deep_unclosed": "[" * 1000,
    # literals
    "n_true_capital": "[True]",
    "n_none": "[None]",
    "n_undefined": "[undefined]",
    "n_nul": "[nul]",
    "n_truex": "[truex]",
    "n_nan": "[NaN]",
    "n_infinity": "[Infinity]",
    "n_minus_infinity": "[-Infinity]",
    "n_bare_word": "[hello]",
    # numbers
    "n_leading_zero": "[01]",
    "n_negative_leading_zero": "[-01]",
    "n_double_zero": "[00]",
    "n_leading_plus": "[+1]",
    "n_leading_dot": "[.5]",
    "n_trailing_dot": "[5.]",
    "n_dot_exponent": "[1.e5]",
    "n_exponent_no_digits": "[1e]",
    "n_exponent_sign_no_digits": "[1e+]",
    "n_hex": "[0x1F]",
    "n_lone_minus": "[-]",
    "n_minus_space": "[- 1]",
    "n_two_dots": "[1.2.3]",
    "n_underscore": "[1_000]",
    "n_arabic_digit": "[\u0661]",
    "n_fullwidth_digit": "[\uff11]",
    # strings and escapes
    "n_single_quoted_string": "['a']",
    "n_smart_quoted_string": "[“a”]",
    "n_unterminated_string": '["abc',
    "n_invalid_escape_x": r'["\x41"]',
    "n_invalid_escape_apostrophe": r'["\'"]',
    "n_short_unicode_escape": r'["\u12"]',
    "n_bad_hex_unicode_escape": r'["\u12G4"]',
    "n_underscore_unicode_escape": r'["\u0_12"]',
    "n_space_unicode_escape": r'["\u 123"]',
    "n_backslash_at_end": '["\\',
    "n_raw_newline": '["a\nb"]',
    "n_raw_tab": '["a\tb"]',
    "n_raw_nul": '["a\x00b"]',
    "n_raw_cr": '["a\rb"]',
    "n_raw_unit_separator": '["\x1f"]',
    # whitespace and invisible characters
    "n_bom": "\ufeff[]",
    "n_nbsp": "[\u00a01]",
    "n_zero_width_space": "[1]\u200b",
    "n_form_feed": "\x0c[]",
    "n_vertical_tab": "[\x0b]",
    "n_line_separator": "[\u20281]",
    "n_ideographic_space": "[\u30001]",
    "n_nul_outside": "[1]\x00",
    # comments
    "n_line_comment": "[1] // done",
    "n_block_comment": "[1 /* one */]",
    "n_hash_comment": "# config\n{}",
    # more arrays
    "n_array_trailing_comma_nested": "[[1,],2]",
    "n_array_leading_comma_nested": "[[,1]]",
    "n_array_only_commas": "[,,,]",
    "n_array_semicolon_separator": "[1; 2]",
    "n_array_unclosed_nested": "[[1, 2]",
    "n_array_closed_by_brace": "[1, 2}",
    "n_array_value_after_close": "[1] [2]",
    "n_array_newline_instead_of_comma": "[1\n2]",
    # more objects
    "n_object_trailing_comma_nested": '{"a": {"b": 1,}}',
    "n_object_colon_only": "{:}",
    "n_object_array_as_key": '{["a"]: 1}',
    "n_object_object_as_key": "{{}: 1}",
    "n_object_true_as_key": "{true: 1}",
    "n_object_fat_arrow": '{"a" => 1}',
    "n_object_missing_comma_across_lines": '{"a": 1\n"b": 2}',
    "n_object_bare_word_value": '{"a": hello}',
    "n_object_leading_comma": '{,"a": 1}',
    "n_object_second_colon": '{"a": 1: 2}',
    "n_object_single_quoted_key_only": "{'a': \"b\"}",
    "n_object_dangling_key_after_member": '{"a": 1, "b"}',
    "n_object_value_without_key": '{"a": 1, 2}',
    # more numbers
    "n_number_bare_exponent": "[e5]",
    "n_number_double_minus": "[--1]",
    "n_number_minus_plus": "[-+1]",
    "n_number_exponent_plus_minus": "[1e+-2]",
    "n_number_leading_zeros_fraction": "[00.5]",
    "n_number_octal_style": "[0777]",
    "n_number_binary_literal": "[0b101]",
    "n_number_hex_upper": "[0XFF]",
    "n_number_dot_alone": "[.]",
    "n_number_fractional_exponent": "[1e2.5]",
    "n_number_space_inside": "[12 34]",
    "n_number_currency": "[$5]",
    "n_number_percent": "[50%]",
    "n_number_inf_lower": "[inf]",
    "n_number_nan_lower": "[nan]",
    "n_number_thousands_commas_in_object": '{"n": 1,000,000}',
    "n_number_underscore_in_exponent": "[1e1_0]",
    "n_number_superscript_digit": "[1\u00b2]",
    # more strings
    "n_string_unterminated_key": '{"a: 1}',
    "n_string_raw_newline_in_key": '{"a\nb": 1}',
    "n_string_escape_v": r'["\v"]',
    "n_string_escape_zero": r'["\0"]',
    "n_string_escape_capital_n": r'["\N"]',
    "n_string_escape_u_three_digits_then_quote": r'["\u123"]',
    "n_string_escape_u_braces": r'["\u{1F600}"]',
    "n_string_escape_space": r'["\ "]',
    "n_string_backticks": "[`a`]",
    "n_string_smart_quotes_key": "{“a”: 1}",
    "n_string_smart_closing_quote_key": '{"a”: 1}',
    "n_string_guillemets": "[«a»]",
    "n_string_raw_escape_character": '["\x1b[31m"]',
    "n_string_raw_backspace": '["\x08"]',
    "n_string_unescaped_inner_quotes": '{"a": "say "hi""}',
    "n_string_python_bytes_literal": "[b'a']",
    "n_string_triple_quoted": '["""a"""]',
    # more literals
    "n_literal_upper_true": "[TRUE]",
    "n_literal_title_null": "[Null]",
    "n_literal_nil": "[nil]",
    "n_literal_truee": "[truee]",
    "n_literal_true_glued_digit": "[true1]",
    "n_literal_nulls": "[nulls]",
    "n_literal_single_f": "[f]",
    # more top level
    "n_top_two_strings": '"a" "b"',
    "n_top_comma_list": "1, 2",
    "n_top_member_without_braces": '"a": 1',
    "n_top_colon": ":",
    "n_top_comma": ",",
    "n_top_jsonp": 'callback({"a": 1})',
    "n_top_assignment": 'data = {"a": 1}',
    "n_top_ndjson": '{"a": 1}\n{"a": 2}\n',
    "n_top_html_page": "<!DOCTYPE html><html></html>",
    "n_top_xml": '<?xml version="1.0"?><a/>',
    "n_top_markdown_fence": "```json\n{}\n```",
    "n_top_trailing_semicolon": '{"a": 1};',
    # more comments
    "n_comment_block_before_value": "/* c */ {}",
    "n_comment_line_after_member": '{"a": 1, // c\n"b": 2}',
    "n_comment_hash_after_value": "[1] # c",
    "n_comment_unclosed_block": "[1 /* c",
    # more invisible characters outside strings
    "n_ws_nbsp_after_colon": '{"a":\u00a01}',
    "n_ws_zero_width_space_first": "\u200b{}",
    "n_ws_zero_width_non_joiner": "[1,\u200c2]",
    "n_ws_en_space": "[\u20021]",
    "n_ws_next_line": "[\x851]",
    "n_ws_bom_in_the_middle": "[1,\ufeff2]",
    "n_ws_soft_hyphen": "[\u00ad1]",
    "n_ws_mongolian_vowel_separator": "[\u180e1]",
    "n_ws_narrow_nbsp_after": "[1\u202f]",
    # encoding, as text (see the module docstring)
    "n_enc_replacement_character_as_value": "[\ufffd]",
    "n_enc_replacement_character_after_value": '{"a": 1}\ufffd',
    "n_enc_utf16_as_text": "[\x001\x00]",
    # depth
    "n_deep_mismatched_closers": "[" * 500 + "}" * 500,
    "n_deep_object_unclosed": '{"a":' * 500 + "1",
}


# Implementation-defined cases (RFC 8259 leaves them open): our choice, and why, through the str
# API the engine uses. True means accepted.
I_CASES: dict[str, tuple[str, bool]] = {
    # The grammar allows any \uXXXX, paired or not; refusing would reject what servers accept.
    "i_lone_high_surrogate_escape": (r'["\ud83d"]', True),
    "i_lone_low_surrogate_escape": (r'["\ude00 tail"]', True),
    "i_reversed_surrogate_escapes": (r'["\ude00\ud83d"]', True),
    "i_high_surrogate_then_ascii_escape": (r'["\ud83d\u0041"]', True),
    "i_surrogate_escape_in_key": (r'{"\udbff": 1}', True),
    # Numbers are text in JSON; range is the receiver's business.
    "i_int_past_64_bits": ("[123456789012345678901234567890]", True),
    "i_negative_int_past_64_bits": ("[-98765432109876543210987654321]", True),
    "i_exponent_past_double": ("[7e999999]", True),
    "i_exponent_below_double": ("[7e-999999]", True),
    "i_mantissa_with_100_digits": ("[0." + "3" * 100 + "e5]", True),
    # Nesting: no depth limit (the scanner is iterative).
    "i_nesting_600": ("[" * 600 + "]" * 600, True),
    # U+FFFD is a character: inside a string it may be real, so it passes (module docstring).
    "i_replacement_character_in_string": ('["caf\ufffd"]', True),
    "i_replacement_character_in_key": ('{"\ufffd": 0}', True),
    # A byte order mark MAY be ignored by a parser; we name it, since many servers refuse it.
    "i_bom_before_object": ("\ufeff{}", False),
    "i_bom_before_array": ("\ufeff[1]", False),
    # UTF-16 read as UTF-8 text: NULs between the characters.
    "i_utf16le_as_text": ('[\x00"\x00a\x00"\x00]\x00', False),
    "i_utf16be_as_text": ('\x00[\x00"\x00a\x00"\x00]', False),
    # Noncharacters and private use are plain characters.
    "i_noncharacter_escape": (r'["\ufdd0\ufffe"]', True),
    "i_private_use_raw": ('["\ue000\U000f0000"]', True),
    "i_escaped_nul_in_key": (r'{"\u0000": 1}', True),
}


@pytest.mark.parametrize("name", sorted(Y_CASES))
def test_y_cases_are_accepted(name: str) -> None:
    text = Y_CASES[name]
    assert check_json(text) is None
    assert diagnose_json(text) is None


@pytest.mark.parametrize("name", sorted(N_CASES))
def test_n_cases_are_rejected(name: str) -> None:
    text = N_CASES[name]
    fault = check_json(text)
    assert isinstance(fault, JsonFault)
    assert fault == diagnose_json(text)
    assert fault.line >= 1 and fault.column >= 1
    assert fault.kind not in ("", "invalid")


@pytest.mark.parametrize("name", sorted(I_CASES))
def test_i_cases_follow_our_choice(name: str) -> None:
    text, accepted = I_CASES[name]
    assert (check_json(text) is None) is accepted
    assert (diagnose_json(text) is None) is accepted


def test_the_tables_are_big_enough() -> None:
    assert len(Y_CASES) + len(N_CASES) + len(I_CASES) >= 280
    assert len(Y_CASES) >= 90 and len(N_CASES) >= 170 and len(I_CASES) >= 20
    # Every category of a JSONTestSuite-style table is covered by both verdicts.
    for category in ("array", "object", "number", "string", "top", "ws"):
        assert any(f"_{category}_" in name for name in Y_CASES), category
    for category in ("array", "object", "number", "string", "literal", "top", "ws", "comment"):
        assert any(f"_{category}_" in name for name in N_CASES), category


def test_reference_parser_agrees_with_the_tables() -> None:
    # The tables are themselves checked against Python's strict parser, so a wrong table entry
    # cannot make the scanner look right.
    for text in Y_CASES.values():
        assert _reference_valid(text), text
    for text in N_CASES.values():
        assert not _reference_valid(text), text


# --------------------------------------------------------------------------------------------
# The fast path's claim: json.loads on str is RFC-strict once NaN/Infinity are refused.


@pytest.mark.parametrize(
    "text",
    [
        "\x0c1",
        "1\x0b",
        "\u00a01",
        "1\u2028",
        "\u30001",
        '"a\x01"',
        '"a\nb"',
        '"\\u0_12"',
        '"\\u 123"',
        "[\u0661]",
        "\ufeff1",
        "[1,]",
        "{'a': 1}",
        "01",
        "1.",
        ".5",
        "+1",
    ],
)
def test_json_loads_is_strict_for_str_input(text: str) -> None:
    with pytest.raises(ValueError):
        json.loads(text)


def test_json_loads_accepts_non_finite_constants_unless_refused() -> None:
    assert json.loads("[NaN]") != [0]  # accepted by default: why check_json must refuse it
    assert check_json("[NaN]") is not None
    assert check_json("Infinity") is not None


# --------------------------------------------------------------------------------------------
# Each fault kind: what is named, and exactly where (1-based line, column in characters).


@pytest.mark.parametrize(
    ("text", "kind", "line", "column", "quoted"),
    [
        ('{\n  "a": 1,\n  "name": "x",\n}', "trailing_comma", 3, 14, "trailing comma before `}`"),
        ("[1, 2,]", "trailing_comma", 1, 6, "before `]`"),
        ('{\n  "a": 1\n  "b": 2\n}', "missing_comma", 3, 3, '`"b"`'),
        ("[1 2]", "missing_comma", 1, 4, "`2`"),
        ('{\n  name: "x"\n}', "unquoted_key", 2, 3, "key `name` is not quoted (line 2, column 3)"),
        ("{'a': 1}", "single_quotes", 1, 2, "`'a'`"),
        ("{\"a\": 'b'}", "single_quotes", 1, 7, "double quotes"),
        ("{“name”: 1}", "smart_quotes", 1, 2, "U+201C"),
        ('{"name": "Bob”, "age": 3}', "smart_quotes", 1, 14, "U+201D"),
        ('{"name”: 1}', "smart_quotes", 1, 7, "`”`"),
        ("[‘a’]", "smart_quotes", 1, 2, "U+2018"),
        ('{"a":\u00a01}', "invisible_character", 1, 6, "U+00A0 (NO-BREAK SPACE)"),
        ("[1,\u200b2]", "invisible_character", 1, 4, "U+200B (ZERO WIDTH SPACE)"),
        ("[\u20601]", "invisible_character", 1, 2, "U+2060"),
        ("[1]\u202f", "invisible_character", 1, 4, "U+202F"),
        ("\ufeff{}", "invisible_character", 1, 1, "byte order mark U+FEFF"),
        ('{"a": [1, 2}', "unbalanced_brackets", 1, 12, "`[` opened at line 1, column 7"),
        ('{\n  "a": [1, 2\n', "unbalanced_brackets", 2, 8, "`[` opened at line 2, column 8"),
        ("[[1]]]", "unbalanced_brackets", 1, 6, "no matching opening bracket"),
        ('{"a": [1, 2, "b": 3}', "unbalanced_brackets", 1, 17, "`[` opened at line 1, column 7"),
        ('{\n  // the id\n  "id": 1\n}', "comment", 2, 3, "`// the id`"),
        ('{"id": 1 /* one */}', "comment", 1, 10, "`/* one */`"),
        ('{"x": NaN}', "nan_or_infinity", 1, 7, "`NaN`"),
        ("[1, -Infinity]", "nan_or_infinity", 1, 5, "`-Infinity`"),
        ('{"n": 007}', "leading_zero", 1, 7, "`007`"),
        ("[-012]", "leading_zero", 1, 3, "`-012`"),
        ('{"a" 1}', "missing_colon", 1, 6, "after key `a`"),
        ('{"a" = 1}', "missing_colon", 1, 6, "`=`"),
        ('["C:\\dir"]', "invalid_escape", 1, 5, "`\\d`"),
        ('["\\u12"]', "invalid_escape", 1, 3, "four hex digits"),
        ('{"a": "x\ny"}', "control_character", 1, 9, "raw line break"),
        ('["a\tb"]', "control_character", 1, 4, "`\\t`"),
        ('{"a": "xyz}', "unterminated_string", 1, 7, "never closed"),
        ('{"a": 1}\n{"b": 2}', "trailing_data", 2, 1, "only one top-level value"),
        ("[1] x", "trailing_data", 1, 5, "`x`"),
        ('{"ok": True}', "invalid_literal", 1, 8, "use `true`"),
        ('{"v": None}', "invalid_literal", 1, 7, "use `null`"),
        ("[undefined]", "invalid_literal", 1, 2, "use `null`"),
        ("[nulll]", "invalid_literal", 1, 2, "use `null`"),
        ("[flase]", "invalid_literal", 1, 2, "use `false`"),
        ("[1.]", "invalid_number", 1, 2, "`1.`"),
        ("[.5]", "invalid_number", 1, 2, "`.5`"),
        ("[+1]", "invalid_number", 1, 2, "`+`"),
        ("[0x1F]", "invalid_number", 1, 2, "hexadecimal"),
        ("[1e+]", "invalid_number", 1, 2, "exponent"),
        ("", "empty", 1, 1, "empty"),
        ("  \n ", "empty", 1, 1, "whitespace"),
        ('{"a": "b, "c": 1}', "unterminated_string", 1, 7, 'runs on to `"c"`'),
        ('{"msg": "say "hi" now"}', "unescaped_quote", 1, 14, "line 1, column 9"),
        ('{"price": 1,000}', "invalid_number", 1, 11, "thousands separator"),
        ("<html><body>502</body></html>", "unexpected_character", 1, 1, "HTML"),
        ('{"a": }', "missing_value", 1, 7, "key `a`"),
        ("[1,,2]", "missing_value", 1, 4, "`,`"),
        ('{\\"a\\": 1}', "escaped_json", 1, 2, "still escaped"),
        ('[\\u0020"a"]', "unexpected_character", 1, 2, "`\\u0020`"),
        ("[\\n]", "unexpected_character", 1, 2, "outside a string"),
        ('{"x"::"b"}', "unexpected_character", 1, 6, "doubled `:`"),
        ("[\ufffd]", "invalid_utf8", 1, 2, "U+FFFD"),
        ("[1]\ufffd", "invalid_utf8", 1, 4, "not UTF-8"),
        ("[0\ufffd]", "invalid_utf8", 1, 3, "U+FFFD"),
        ('{"n": 1,000.5}', "invalid_number", 1, 7, "write `1000.5`"),
        ('"a": 1', "unbalanced_brackets", 1, 4, "opening `{` is missing"),
        ("```json\n{}\n```", "unexpected_character", 1, 1, "code fence"),
        ("[\x851]", "invisible_character", 1, 2, "U+0085 (NEXT LINE)"),
    ],
)
def test_fault_is_named_and_located(
    text: str, kind: str, line: int, column: int, quoted: str
) -> None:
    fault = check_json(text)
    assert fault is not None
    assert (fault.kind, fault.line, fault.column) == (kind, line, column), fault.message
    assert quoted in fault.message
    if kind != "empty":
        assert f"line {line}, column {column}" in fault.message


@pytest.mark.parametrize(
    "text",
    ['{"a": 1, 2}', '{"n": 1, 000}', '{"n": 1,00}', '{"n": 1,0000}'],
)
def test_thousands_separator_needs_three_glued_digits(text: str) -> None:
    fault = check_json(text)
    assert fault is not None and fault.kind == "unquoted_key", fault


def test_trailing_comma_message_matches_the_house_example() -> None:
    fault = check_json('{\n  "a": 1,\n  "name": "x",\n}')
    assert fault is not None
    assert fault.message == "trailing comma before `}` at line 3, column 14"
    assert fault.snippet == '  "name": "x",'


def test_unclosed_bracket_says_where_the_text_ends() -> None:
    fault = check_json('{"a": [1,\n 2')
    assert fault is not None and fault.kind == "unbalanced_brackets"
    assert "line 2, column 3" in fault.message  # where the text ends
    assert "1 enclosing bracket also unclosed" in fault.message


def test_columns_count_characters_not_bytes() -> None:
    fault = check_json('{"é中😀": 1 2}')
    assert fault is not None and fault.kind == "missing_comma"
    assert fault.column == 11


def test_crlf_and_lone_cr_are_line_breaks() -> None:
    fault = check_json('{"a": 1,\r\n"b" 2}')
    assert fault is not None and (fault.line, fault.column) == (2, 5)
    fault = check_json("[1,\r2 3]")
    assert fault is not None and (fault.line, fault.column) == (2, 3)
    # A raw CR inside a string is reported on the line it ends, not the next one.
    fault = check_json('["a\r\nb"]')
    assert fault is not None and fault.kind == "control_character"
    assert (fault.line, fault.column) == (1, 4)


def test_offset_points_at_the_offending_character() -> None:
    text = '{"a": 1,\n "b": tru}'
    fault = check_json(text)
    assert fault is not None
    assert text[fault.offset : fault.offset + 3] == "tru"


def test_snippet_is_trimmed_around_the_fault_on_long_lines() -> None:
    text = "[" + "1, " * 5000 + "1 2" + ", 1" * 5000 + "]"
    fault = check_json(text)
    assert fault is not None and fault.kind == "missing_comma"
    assert fault.column == 1 + 3 * 5000 + 3
    assert len(fault.snippet) <= 84
    assert "1 2" in fault.snippet
    assert fault.snippet.startswith("…") and fault.snippet.endswith("…")


def test_snippet_makes_control_characters_visible() -> None:
    fault = check_json('["a\x00b"]')
    assert fault is not None and fault.kind == "control_character"
    assert "\x00" not in fault.snippet and "␀" in fault.snippet
    assert "U+0000" in fault.message


def test_messages_never_break_out_of_their_backticks() -> None:
    fault = check_json("[`rm -rf`]")
    assert fault is not None
    assert fault.message.count("`") % 2 == 0


# --------------------------------------------------------------------------------------------
# Limits: deep nesting, big and hostile input.


def test_deep_nesting_is_accepted_without_recursion_error() -> None:
    depth = 100_000
    assert check_json("[" * depth + "]" * depth) is None
    assert check_json('{"a":' * depth + "1" + "}" * depth) is None


def test_deep_unclosed_nesting_is_a_fault_without_recursion_error() -> None:
    fault = check_json("[" * 100_000)
    assert fault is not None and fault.kind == "unbalanced_brackets"
    assert fault.column == 100_000
    assert "99999 enclosing brackets" in fault.message
    fault = check_json("[" * 100_000 + "}")
    assert fault is not None and fault.kind == "unbalanced_brackets"


@pytest.mark.parametrize(
    "text",
    [
        "x" * 40_000,
        '"' + "a" * 40_000,
        "[" + "1" * 40_000 + "x]",
        "'" * 40_000,
        "\\" * 40_000,
        "\x00" * 40_000,
        '{"a": "b"\n' * 5_000,
        "[1," * 5_000,
        "“" * 40_000,
        '"' + "”" * 40_000,
    ],
)
def test_hostile_input_is_fast_and_never_raises(text: str) -> None:
    start = time.perf_counter()
    fault = check_json(text)
    assert fault is not None
    assert time.perf_counter() - start < 1.0


def test_one_megabyte_timing(capsys: pytest.CaptureFixture[str]) -> None:
    value = [
        {"id": i, "name": f"item {i}", "tags": ["a", "b"], "price": i * 1.5} for i in range(15_000)
    ]
    valid = json.dumps(value)
    assert len(valid) > 1_000_000
    broken = valid[:-2] + ",]"  # a trailing comma at the very end: the scanner reads it all
    binary = bytes(range(256)).decode("latin-1") * 4096
    timings = {}
    for name, text in (("valid", valid), ("trailing comma at end", broken), ("binary", binary)):
        start = time.perf_counter()
        result = check_json(text)
        timings[name] = time.perf_counter() - start
        assert (result is None) == (name == "valid")
    with capsys.disabled():
        print(
            "\n1 MB check_json: "
            + ", ".join(f"{name} {secs * 1000:.0f} ms" for name, secs in timings.items())
        )


def test_bytes_are_decoded_rather_than_rejected() -> None:
    assert check_json(b'{"a": 1}') is None  # type: ignore[arg-type]
    assert check_json(bytearray(b'["\xc3\xa9"]')) is None  # type: ignore[arg-type]
    fault = check_json(b"{'a': 1}")  # type: ignore[arg-type]
    assert fault is not None and fault.kind == "single_quotes"


@pytest.mark.parametrize(
    ("data", "column", "quoted"),
    [
        (b'["\xff"]', 3, "byte 0xFF"),
        (b'{"k": "caf\xe9"}', 11, "byte offset 10"),
        (b'["\xed\xa0\x80"]', 3, "0xED"),  # an encoded surrogate is not UTF-8
        (b'["\xc0\xaf"]', 3, "0xC0"),  # overlong
        (b'["\xe6\x97\xa5\xd1\x88\xfa"]', 5, "0xFA"),  # columns count decoded characters
        (b"\xff\xfe[\x00]\x00", 1, "UTF-16"),
        (b"[\x00]\x00", 1, "UTF-16"),  # decodes as UTF-8, but it is UTF-16 without a BOM
        (b"\x00[\x00]", 1, "UTF-16"),
    ],
)
def test_bytes_must_be_utf8(data: bytes, column: int, quoted: str) -> None:
    # Bytes are judged as exchanged JSON (RFC 8259 8.1: UTF-8 only); text cannot be, because
    # it was already decoded with errors="replace" (see the module docstring).
    fault = check_json(data)  # type: ignore[arg-type]
    assert fault is not None and fault.kind == "invalid_utf8", fault
    assert (fault.line, fault.column) == (1, column)
    assert quoted in fault.message


def test_replaced_bytes_inside_strings_are_text() -> None:
    # The same bytes decoded by the caller with errors="replace": U+FFFD inside a string is a
    # character like any other, so the str API accepts what the bytes API refuses.
    assert check_json(b'["\xff"]'.decode("utf-8", "replace")) is None
    assert check_json(b'{"\xb9": 0}'.decode("utf-8", "replace")) is None
    fault = check_json(b"[\xff]".decode("utf-8", "replace"))
    assert fault is not None and fault.kind == "invalid_utf8"


# --------------------------------------------------------------------------------------------
# looks_like_json


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', True),
        ("  \n [1, 2", True),
        ("\ufeff{}", True),
        ('"a quoted string"', True),
        ('"error": "bad request", "code": 400', True),
        ('error body was "message": "nope"', True),
        ("HTTP/1.1 404 Not Found", False),
        ("curl -X POST https://api.example.com", False),
        ("getting a 429 from the API", False),
        ('he said "hello" to me', False),
        ("", False),
        ("   ", False),
    ],
)
def test_looks_like_json(text: str, expected: bool) -> None:
    assert looks_like_json(text) is expected


def test_looks_like_json_is_cheap_on_huge_input() -> None:
    text = "x" * 5_000_000
    start = time.perf_counter()
    assert looks_like_json(text) is False
    assert time.perf_counter() - start < 0.05


# --------------------------------------------------------------------------------------------
# Properties against a strict reference.


def _refuse(name: str) -> object:
    raise ValueError(name)


def _reference_valid(text: str) -> bool:
    """Python's strict parser with NaN/Infinity refused, plus an explicit RFC whitespace check
    around the value (json.loads already enforces it; stated here so the reference is plain)."""
    if text.strip() != text.strip(" \t\n\r"):  # other Unicode whitespace at either end
        return False
    try:
        json.loads(text, parse_constant=_refuse, parse_int=lambda s: 0)
    except (ValueError, RecursionError):
        return False
    return True


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


@given(_json_values, st.sampled_from([None, 2]))
@settings(max_examples=300, deadline=None)
def test_any_dumped_value_is_valid(value: object, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    assert check_json(text) is None
    assert diagnose_json(text) is None
    text = json.dumps(value, ensure_ascii=False)
    assert diagnose_json(text) is None


_json_alphabet = st.sampled_from(
    list("{}[]:,\"\\ \t\n\r-+.eE0123456789truefalsnul/'*x\x00\u00a0\u200b“”")
)


def _mutations() -> st.SearchStrategy[str]:
    """Valid JSON with a few characters inserted, deleted or replaced: near misses."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        text = json.dumps(draw(_json_values), indent=draw(st.sampled_from([None, 1])))
        for _ in range(draw(st.integers(1, 3))):
            i = draw(st.integers(0, len(text)))
            op = draw(st.sampled_from(["insert", "delete", "replace"]))
            ch = draw(_json_alphabet)
            if op == "insert":
                text = text[:i] + ch + text[i:]
            elif op == "delete":
                text = text[:i] + text[i + 1 :]
            else:
                text = text[:i] + ch + text[i + 1 :]
        return text

    return build()


@given(st.text(max_size=60) | st.text(_json_alphabet, max_size=40) | _mutations())
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_text_never_raises_and_agrees_with_reference(text: str) -> None:
    expected = _reference_valid(text)
    fault = check_json(text)
    assert (fault is None) is expected
    scanned = diagnose_json(text)
    assert (scanned is None) is expected
    if fault is not None:
        assert fault.line >= 1 and fault.column >= 1
        assert 0 <= fault.offset <= len(text)
        if fault.kind != "empty":
            assert f"line {fault.line}, column {fault.column}" in fault.message


# --------------------------------------------------------------------------------------------
# A paste that is only JSON is read as the payload (knowledge/recognize/http/bodies.py), however broken.


@pytest.mark.parametrize(
    ("paste", "body"),
    [
        ("[1,", "[1,"),
        ("[tru]", "[tru]"),
        ("[True]", "[True]"),
        ("[NaN]", "[NaN]"),
        ("[1 true]", "[1 true]"),
        ("[-]", "[-]"),
        ("[*]", "[*]"),
        ("[", "["),
        ("{", "{"),
        ('{"a" b}', '{"a" b}'),
        ("{1:1}", "{1:1}"),
        ("[1]]", "[1]]"),
        ('[""],', '[""],'),
        ("[][]", "[][]"),
        ("{}}", "{}}"),
        ('{"a":"b"}//', '{"a":"b"}//'),
        ('{"a":"b"}#{}', '{"a":"b"}#{}'),
        ('{"a": true} "x"', '{"a": true} "x"'),
        ("[1] [2]", "[1] [2]"),
        ("  [1,\n 2", "[1,\n 2"),
        ("\ufeff{}", "\ufeff{}"),
        ("[1,\n2]\n\nwhy does this fail?", "[1,\n2]"),
    ],
)
def test_lone_json_paste_is_one_body_with_its_junk(paste: str, body: str) -> None:
    assert find_http(paste).bodies == [body]


@pytest.mark.parametrize(
    ("paste", "bodies"),
    [
        ("[INFO] Starting server", []),
        ("[INFO]", []),
        ("[Errno 111] Connection refused", []),
        ("[2026-11-25 10:00:00] POST /v1/charges 400", []),
        ("[12:00:01] ERROR", []),
        ("{{baseUrl}}/v1/users", []),
        ("{% if user %}", []),
        ("[1] see the docs", []),
        ("[1, 2, 3] 400", []),
        ("[x] done", []),
        # A value followed by a remark keeps the ordinary reading: the value alone.
        ('{"error": "invalid_grant"} after refresh', ['{"error": "invalid_grant"}']),
        ('{"a": 1} // why 400', ['{"a": 1}']),
        # Only the first line of a paste is a lone payload; later `[1,` lines are prose.
        ("it says\n[1,", []),
    ],
)
def test_logs_templates_and_remarks_are_not_lone_payloads(paste: str, bodies: list[str]) -> None:
    assert find_http(paste).bodies == bodies


def test_lone_payload_detection_stays_fast_on_hostile_first_lines() -> None:
    for paste in ("[" * 64_000, "[1]" + "]" * 64_000, "[tru " * 12_000, "[1,\n" * 16_000):
        start = time.perf_counter()
        find_http(paste)
        assert time.perf_counter() - start < 0.5


# --------------------------------------------------------------------------------------------
# End to end through `diagnose`: the JSON as a curl -d body with a JSON Content-Type, and pasted
# alone. `request.malformed_json` (or `request.invisible_characters` for an invisible-character
# or curly-quote fault) must be among the causes exactly for the n_ cases.

_JSON_CAUSES = {"request.malformed_json", "request.invisible_characters"}
# Characters request.py reports as invisible wherever they are, inside valid strings too: that
# is a cause of its own (a zero-width space inside a token breaks it), not a JSON verdict.
_FLAGGED_ANYWHERE = "\u200b\u200c\u200d\u2060\ufeff\u00a0\u202f\u2007\u2009"


def _paste_safe(text: str) -> bool:
    """Cases the paste path can carry unchanged: the normaliser drops C0 controls and DEL,
    strips code fences and unescapes Slack's `&amp;` (knowledge/normalize.py), and treats a
    short paste with a NUL or U+FFFD in it as binary."""
    return (
        len(text) < 60_000
        and "```" not in text
        and "&" not in text
        and "\ufffd" not in text
        and not any((ord(c) < 0x20 and c not in "\t\n\r") or c == "\x7f" for c in text)
    )


def _curl(body: str) -> str:
    quoted = body.replace("'", "'\\''")
    return (
        "curl -X POST https://api.example.com/v1/x -H 'Content-Type: application/json' "
        f"--data-raw '{quoted}'"
    )


def _json_causes(paste: str) -> set[str]:
    return {cause["id"] for cause in diagnose(paste).to_dict()["causes"]} & _JSON_CAUSES


_E2E_Y = sorted(name for name, text in Y_CASES.items() if _paste_safe(text))
_E2E_N = sorted(name for name, text in N_CASES.items() if _paste_safe(text))

# n_ cases whose pasted-alone form is deliberately not read as a payload: they do not open
# with `{` or `[` (a bare word, quote or `:` is rarely a payload question), open with a bare
# word that reads as a log tag (`[hello]` like `[INFO]`), open as a template (`{{`), or are
# followed by a remark.
# Sent as a curl body, every one of them is flagged.
_NOT_A_LONE_PAYLOAD = {
    "n_empty", "n_only_ws", "n_lone_close", "n_two_values", "n_hash_comment",
    "n_top_two_strings", "n_top_comma_list", "n_top_member_without_braces", "n_top_colon",
    "n_top_comma", "n_top_jsonp", "n_top_assignment", "n_top_html_page", "n_top_xml",
    "n_comment_block_before_value", "n_bare_word", "n_number_bare_exponent",
    "n_string_python_bytes_literal", "n_object_object_as_key",
    # NDJSON: each line is a complete value, read as separate bodies; bulk APIs accept it.
    "n_top_ndjson",
    # A value, then words on its line: a remark to the bot (`// why 400`), not payload junk.
    "n_line_comment",
}  # fmt: skip


def test_e2e_tables_are_representative() -> None:
    assert len(_E2E_Y) >= 80 and len(_E2E_N) >= 150
    assert _NOT_A_LONE_PAYLOAD.issubset(_E2E_N)


@pytest.mark.parametrize("name", _E2E_Y)
def test_e2e_valid_json_is_not_blamed(name: str) -> None:
    text = Y_CASES[name]
    for paste in (_curl(text), text):
        causes = _json_causes(paste)
        assert "request.malformed_json" not in causes, paste
        if not any(c in text for c in _FLAGGED_ANYWHERE):
            assert not causes, paste


@pytest.mark.parametrize("name", _E2E_N)
def test_e2e_invalid_json_is_named(name: str) -> None:
    text = N_CASES[name]
    assert _json_causes(_curl(text)), text
    assert bool(_json_causes(text)) is (name not in _NOT_A_LONE_PAYLOAD), text


def test_e2e_names_the_fault_in_the_evidence() -> None:
    result = diagnose(_curl('{"a": 1,}')).to_dict()
    cause = next(c for c in result["causes"] if c["id"] == "request.malformed_json")
    assert any("trailing comma before `}` at line 1, column 8" in e for e in cause["evidence"])
    result = diagnose("[1,\n2,\n").to_dict()
    cause = next(c for c in result["causes"] if c["id"] == "request.malformed_json")
    assert any("never closed" in e for e in cause["evidence"])
    result = diagnose('\ufeff{"a": 1}').to_dict()
    assert "request.invisible_characters" in {c["id"] for c in result["causes"]}


@pytest.mark.parametrize(
    "body",
    ['["a\x00b"]', "[\x0c]", "[1]\x00", ""],
    ids=["nul-in-string", "form-feed", "nul-after", "empty-body"],
)
def test_e2e_control_characters_and_empty_body(body: str) -> None:
    assert check_json(body) is not None
    assert _json_causes(_curl(body))


def test_cli_diagnose_json_flags_a_broken_payload(capsys: pytest.CaptureFixture[str]) -> None:
    # `apierror diagnose --json` in-process: the same object INTERFACE.md documents.
    assert cli_main(["diagnose", "--json", _curl('{"name": "x" "age": 3}')]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "request.malformed_json" in {c["id"] for c in result["causes"]}
    assert cli_main(["diagnose", "--json", '{"name": "x", "age": 3}']) == 0
    result = json.loads(capsys.readouterr().out)
    assert not {c["id"] for c in result["causes"]} & _JSON_CAUSES
