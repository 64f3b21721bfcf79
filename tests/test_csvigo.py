"""csvigo with Python's csv as the oracle: raw, tidy and query loads, saves read back by
csv, separators and quoting, headers, and a file that does not exist."""
import csv

import pytest

import torch7_compat as t7


def lua(code, *args):
    return t7.lua.execute("require 'csvigo'\n" + code, *args)


ROWS = [["name", "age", "city"], ["bob", "32", "New York, NY"], ["alice", "28", "Paris"],
        ['say "hi"', "40", "Paris"], ["eve", "28", ""]]


@pytest.fixture
def people(tmp_path):
    path = tmp_path / "people.csv"
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(ROWS)
    return str(path)


def rows_of(lua_rows):
    return [list(row.values()) for row in lua_rows.values()]


def test_raw_mode_is_the_rows_csv_reads(people):
    with open(people, newline="") as f:
        expected = list(csv.reader(f))
    assert rows_of(lua("return csvigo.load{path = ..., mode = 'raw', verbose = false}",
                       people)) == expected


def test_tidy_mode_gives_columns_by_name(people):
    tidy = lua("return csvigo.load{path = ..., verbose = false}", people)
    assert {k: list(v.values()) for k, v in tidy.items()} == {
        name: [row[i] for row in ROWS[1:]] for i, name in enumerate(ROWS[0])}
    names, _ = lua("return csvigo.load{path = ..., verbose = false, column_order = true}",
                   people)
    assert list(names.values()) == ROWS[0]


def test_header_detection_and_generated_names(tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("1,2\n3,4\n")
    tidy = lua("return csvigo.load{path = ..., verbose = false}", str(path))
    assert {k: list(v.values()) for k, v in tidy.items()} == {"var_1": ["1", "3"],
                                                              "var_2": ["2", "4"]}
    tidy = lua("return csvigo.load{path = ..., verbose = false, header = true}", str(path))
    assert {k: list(v.values()) for k, v in tidy.items()} == {"1": ["3"], "2": ["4"]}


def test_query_mode(people):
    result = lua("""local q = csvigo.load{path = ..., mode = 'query', verbose = false}
                    local vars = q('vars')
                    table.sort(vars)
                    local union = q('union', {city = 'Paris', age = {32}})
                    local inter = q('inter', {city = 'Paris', age = 28})
                    local all = q('all')
                    return vars, union.name, inter.name, #all.name, #q().name""", people)
    vars_, union, inter, count_all, count_default = result
    assert list(vars_.values()) == ["age", "city", "name"]
    assert list(union.values()) == ["bob", "alice", 'say "hi"']
    assert list(inter.values()) == ["alice"]
    assert count_all == count_default == 4


def test_saved_files_read_back_with_csv(tmp_path):
    raw_path, tidy_path = str(tmp_path / "raw.csv"), str(tmp_path / "tidy.csv")
    lua("""local raw_path, tidy_path = ...
           csvigo.save{path = raw_path, data = {{'a', 'b,c'}, {1.5, 'say "x"'}}, verbose = false}
           csvigo.save{path = tidy_path, data = {x = {1, 2}, y = {'p', 'q'}},
                       column_order = {'y', 'x'}, verbose = false}""", raw_path, tidy_path)
    with open(raw_path, newline="") as f:
        assert list(csv.reader(f)) == [["a", "b,c"], ["1.5", 'say "x"']]
    with open(tidy_path, newline="") as f:
        assert list(csv.reader(f)) == [["y", "x"], ["p", "1"], ["q", "2"]]


def test_separators(tmp_path):
    path = str(tmp_path / "semi.csv")
    lua("csvigo.save{path = ..., data = {{'a;b', 'c'}}, separator = ';', verbose = false}", path)
    with open(path, newline="") as f:
        assert list(csv.reader(f, delimiter=";")) == [["a;b", "c"]]
    assert rows_of(lua("return csvigo.load{path = ..., separator = ';', mode = 'raw', "
                       "verbose = false}", path)) == [["a;b", "c"]]


def test_query_save_round_trip(people, tmp_path):
    out = str(tmp_path / "again.csv")
    lua("""local source, target = ...
           local q = csvigo.load{path = source, mode = 'query', verbose = false}
           csvigo.save{path = target, data = q, verbose = false}""", people, out)
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    columns = {name: [row[i] for row in rows[1:]] for i, name in enumerate(rows[0])}
    assert columns == {name: [row[i] for row in ROWS[1:]] for i, name in enumerate(ROWS[0])}


def test_verbose_messages(people, capsys):
    lua("csvigo.load{path = ...}", people)
    assert capsys.readouterr().out.splitlines() == [
        "<csv>\tparsing file: " + people, "<csv>\ttidying up entries",
        "<csv>\treturning tidy table"]


def test_missing_file_names_the_file(tmp_path):
    missing = str(tmp_path / "absent.csv")
    assert lua("return pcall(csvigo.load, {path = ..., verbose = false})", missing) == (
        False, missing + ": No such file or directory")


def test_large_mode_parses_rows_when_indexed(tmp_path):
    path = tmp_path / "crlf.csv"
    path.write_bytes(b'one,two,three\r\n1,"2,5",3\r\n11,12,13')
    rows = lua("""local data = csvigo.load{path = ..., mode = 'large', verbose = false}
                  local ok, message = pcall(function() data[1] = 'x' end)
                  return {data[1], data[2], data[3]}, ok, message,
                         pcall(function() return data[4] end)""", str(path))
    assert rows_of(rows[0]) == [["one", "two", "three"], ["1", "2,5", "3"], ["11", "12", "13"]]
    assert rows[1] is False and rows[2].endswith("attempt to update a read-only table")
    assert rows[3] is False and "index out of bounds: 4" in rows[4]
