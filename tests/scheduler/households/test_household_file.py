"""The household file: every mistake a parent can make is one line naming file, field and value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.errors import HouseholdFileError
from scheduler.households.file import load_household, parse_household
from tests.scheduler.households.household_data import household_data


def _error(data: dict[str, Any]) -> str:
    message = _text_error(yaml.safe_dump(data, sort_keys=False))
    assert message.startswith("household.yaml: ")
    return message


def _text_error(text: str) -> str:
    """The one-line error for household YAML ``text`` (a syntax problem names its line)."""
    with pytest.raises(HouseholdFileError) as caught:
        parse_household(text, source="household.yaml")
    message = caught.value.message
    assert "\n" not in message
    return message


def test_the_test_household_is_valid() -> None:
    household = parse_household(
        yaml.safe_dump(household_data(), sort_keys=False), source="household.yaml"
    )
    assert list(household.members) == ["alex", "sam", "nana"]
    assert household.eligible(household.duties[0]) == ["alex", "sam"]  # default: the partners


def test_unknown_member_in_eligible_names_the_field_and_the_known_members() -> None:
    data = household_data()
    data["duties"][1]["eligible"] = ["alex", "nan"]
    message = _error(data)
    assert "duties[1] ('pickup').eligible[1]" in message
    assert "unknown member 'nan'" in message
    assert "alex, sam, nana" in message


def test_unknown_duty_in_a_link_names_the_field() -> None:
    data = household_data()
    data["duties"][0]["different_owner_from"] = ["pick-up"]
    message = _error(data)
    assert "duties[0] ('dropoff').different_owner_from[0]" in message
    assert "unknown duty 'pick-up'" in message
    assert "dropoff, pickup, laundry" in message


def test_unknown_duty_in_a_members_preferences_names_the_member() -> None:
    data = household_data()
    data["members"]["sam"]["prefers"] = ["cooking"]
    assert "members.sam.prefers[0]: unknown duty 'cooking'" in _error(data)


def test_only_a_helper_can_be_on_call() -> None:
    data = household_data()
    data["members"]["sam"]["on_call"] = True
    message = _error(data)
    assert "members.sam.on_call: only a helper can be on call" in message
    assert "role: helper" in message
    data["members"]["sam"]["on_call"] = False
    data["members"]["nana"]["on_call"] = True
    assert parse_household(yaml.safe_dump(data), source="household.yaml").members["nana"].on_call


def test_lock_to_an_unknown_member_names_the_lock() -> None:
    data = household_data()
    data["locks"] = [{"duty": "pickup", "date": "2026-11-25", "member": "bea"}]
    assert "locks[0].member: unknown member 'bea'" in _error(data)


def test_a_decline_names_its_field_when_it_cannot_apply() -> None:
    data = household_data()
    data["declines"] = [{"member": "sam", "duty": "cooking", "date": "2026-11-25"}]
    assert "declines[0].duty: unknown duty 'cooking'" in _error(data)
    data["declines"] = [{"member": "nana", "duty": "dropoff", "date": "2026-11-25"}]
    message = _error(data)
    assert "declines[0].member: 'nana' is not eligible for 'dropoff'" in message
    assert "remove this decline" in message


def test_a_decline_and_a_lock_on_the_same_member_and_day_contradict_each_other() -> None:
    data = household_data()
    data["locks"] = [{"duty": "pickup", "date": "2026-11-25", "member": "nana"}]
    data["declines"] = [
        {"member": "nana", "duty": "pickup", "date": "2026-11-26"},  # another day: fine
        {"member": "nana", "duty": "pickup", "date": "2026-11-25", "note": "dentist"},
    ]
    message = _error(data)
    assert "declines[1]: 'nana' can't do 'pickup' on 2026-11-25, but locks[0] gives it" in message
    assert "remove the lock or the decline" in message


def test_a_date_that_does_not_exist_names_the_field_and_the_value() -> None:
    text = yaml.safe_dump(household_data(), sort_keys=False)
    text += "locks:\n  - {duty: pickup, date: 2026-02-30, member: nana}\n"
    message = _text_error(text)
    assert message.startswith("household.yaml: locks[0].date: ")
    assert "'2026-02-30'" in message


def test_settings_that_cannot_mean_anything_are_refused_with_what_to_do() -> None:
    data = household_data()
    data["duties"][0]["eligible"] = []
    message = _error(data)
    assert "duties[0] ('dropoff').eligible: empty, so nobody could ever take this duty" in message
    data = household_data()
    data["duties"][0]["different_owner_from"] = ["dropoff"]
    assert (
        "duties[0] ('dropoff').different_owner_from[0]: duty 'dropoff' links to itself"
        in _error(data)
    )
    data = household_data()
    data["fairness"] = {"carried_load": {"alex": -60}}
    assert "fairness.carried_load.alex" in _error(data)
    data = household_data()
    data["fairness"] = {"so_far_bound_percent": -1}
    assert "fairness.so_far_bound_percent: Input should be greater than or equal to 0 (got -1)" in (
        _error(data)
    )
    data = household_data()
    data["duties"][0]["duration"] = 25 * 60
    assert "duties[0] ('dropoff').duration" in _error(data)


def test_invalid_rrule_names_the_duty_field_and_shows_an_example() -> None:
    data = household_data()
    data["duties"][2]["recurrence"] = "FREQ=WEEKY;BYDAY=SA"
    message = _error(data)
    assert "duties[2] ('laundry').recurrence" in message
    assert "'FREQ=WEEKY;BYDAY=SA'" in message
    assert "FREQ=WEEKLY;BYDAY=MO,WE,FR" in message


def test_hourly_rrule_is_refused_because_a_duty_happens_once_a_day() -> None:
    data = household_data()
    data["duties"][2]["recurrence"] = "FREQ=HOURLY"
    message = _error(data)
    assert "duties[2] ('laundry').recurrence" in message
    assert "at most once a day" in message


def test_unknown_time_zone_names_the_field_and_value() -> None:
    data = household_data()
    data["timezone"] = "Europe/Berln"
    message = _error(data)
    assert "timezone: unknown time zone 'Europe/Berln'" in message
    assert "Europe/Berlin" in message


def test_duration_longer_than_its_window_names_the_duty() -> None:
    data = household_data()
    data["duties"][2]["duration"] = 600
    message = _error(data)
    assert "duties[2]" in message
    assert "'laundry'" in message
    assert "600 min is longer than its window 09:00-18:00 (540 min)" in message


def test_an_empty_window_is_refused_and_an_overnight_one_is_not() -> None:
    data = household_data()
    data["duties"][2]["window"] = {"from": "09:00", "to": "09:00"}
    message = _error(data)
    assert "duties[2]" in message
    assert "window starts and ends at 09:00, so it is empty" in message
    data["duties"][2]["window"] = {"from": "22:00", "to": "02:00"}
    data["duties"][2]["duration"] = 240
    parsed = parse_household(yaml.safe_dump(data, sort_keys=False), source="household.yaml")
    (duty,) = [d for d in parsed.duties if d.id == "laundry"]
    assert duty.window is not None and duty.window.overnight and duty.window.minutes == 240
    data["duties"][2]["duration"] = 241
    assert "241 min is longer than its window 22:00-02:00 (240 min)" in _error(data)


def test_an_email_that_is_no_address_is_refused() -> None:
    data = household_data()
    data["members"]["alex"]["email"] = "alex at example.com"
    assert _error(data) == (
        "household.yaml: members.alex.email: 'alex at example.com' is not an e-mail address; "
        "give the one your calendar invitations are sent to, e.g. alex@example.com"
    )


def test_a_household_without_members_or_duties_says_what_to_add() -> None:
    data = household_data()
    data["duties"] = []
    assert _error(data).startswith(
        "household.yaml: duties: empty, so there is nothing to plan; add one, e.g. '{id: dinner"
    )
    data = household_data()
    data["members"] = {}
    assert _error(data).startswith(
        "household.yaml: members: empty, so nobody can take a duty; add the partners"
    )


def test_duplicate_duty_id_names_both_places() -> None:
    data = household_data()
    data["duties"][2]["id"] = "dropoff"
    message = _error(data)
    assert "duties[2] ('dropoff').id: duplicate duty id 'dropoff' (also duties[0])" in message


def test_duplicate_member_id_is_refused_with_its_line() -> None:
    text = yaml.safe_dump(household_data(), sort_keys=False)
    text = text.replace("  nana:\n", "  sam:\n", 1)
    message = _text_error(text)
    line = 1 + text.splitlines().index("  sam:", text.splitlines().index("  sam:") + 1)
    assert f"household.yaml, line {line}, column 3:" in message
    assert "duplicate key 'sam'" in message


def test_yaml_syntax_error_gives_the_line() -> None:
    text = "household: Test\ntimezone: Europe/Berlin\nmembers:\n  alex: {name: Alex\nduties: []\n"
    message = _text_error(text)
    assert message.startswith("household.yaml, line 5, column ")
    assert "YAML syntax error" in message


def test_misspelt_key_is_an_error_suggesting_the_right_one() -> None:
    data = household_data()
    data["duties"][0]["efort"] = 3
    message = _error(data)
    assert "duties[0] ('dropoff').efort: unknown key 'efort'; did you mean 'effort'?" in message


def test_a_misspelt_required_key_is_named_rather_than_the_key_it_leaves_missing() -> None:
    data = household_data()
    data["duties"][1]["duraton"] = data["duties"][1].pop("duration")
    message = _error(data)
    assert "duties[1] ('pickup').duraton: unknown key 'duraton'; did you mean 'duration'?" in (
        message
    )
    assert message.endswith("(1 more problem after this one)")


def test_unknown_key_in_a_member_lists_the_allowed_keys() -> None:
    data = household_data()
    data["members"]["sam"]["calender"] = ["sam.ics"]
    message = _error(data)
    assert "members.sam.calender: unknown key 'calender'; did you mean 'calendars'?" in message
    assert "buffer_before" in message


def test_wrong_type_names_the_path_and_value() -> None:
    data = household_data()
    data["members"]["sam"]["calendars"] = [42]
    message = _error(data)
    assert "members.sam.calendars[0]" in message
    assert "42" in message


def test_bad_time_of_day_says_how_to_write_it() -> None:
    data = household_data()
    data["duties"][0]["start"] = "7.30"
    message = _error(data)
    assert "duties[0] ('dropoff').start" in message
    assert "'07:30'" in message
    assert "'7.30'" in message


def test_unquoted_afternoon_time_is_read_as_a_time_not_a_number() -> None:
    text = yaml.safe_dump(household_data(), sort_keys=False).replace("'15:30'", "15:30")
    assert "start: 15:30" in text
    household = parse_household(text, source="household.yaml")
    assert household.duties[1].start is not None
    assert household.duties[1].start.strftime("%H:%M") == "15:30"


def test_duty_with_both_start_and_window_is_refused() -> None:
    data = household_data()
    data["duties"][2]["start"] = "10:00"
    assert "give either 'start'" in _error(data)


def test_missing_file_says_where_to_find_an_example(tmp_path: Path) -> None:
    with pytest.raises(HouseholdFileError) as caught:
        load_household(tmp_path / "nothere.yaml")
    assert "nothere.yaml: household file not found" in caught.value.message
    assert "examples/household.yaml" in caught.value.message


def test_member_written_without_settings_gets_the_defaults() -> None:
    text = yaml.safe_dump(household_data(), sort_keys=False).replace(
        "  sam:\n    name: Sam\n", "  sam:\n"
    )
    household = parse_household(text, source="household.yaml")
    assert household.members["sam"].role == "partner"
    assert household.members["sam"].calendars == []


def test_several_mistakes_show_the_first_and_say_how_many_more() -> None:
    data = household_data()
    data["duties"][0]["efort"] = 3
    data["duties"][1]["duration"] = -5
    assert "(1 more problem after this one)" in _error(data)


def test_empty_file_says_where_to_start() -> None:
    with pytest.raises(HouseholdFileError) as caught:
        parse_household("", source="household.yaml")
    assert caught.value.message == (
        "household.yaml: the file is empty; start from a copy of examples/household.yaml"
    )
