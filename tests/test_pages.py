"""Reading a Parquet column's dictionary pages (``helpers.data.pages``) and judging text by them
(``checks._clean_by_dictionary``): the values found are checked against Arrow's own reading of
every row, and anything the pages cannot vouch for is read."""

from __future__ import annotations

import struct

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.data import checks, loader, pages

TOWNS = ["莞城", "南城", "东城", "万江"]


def write(path, values, **options):
    """One column ``town`` of text written with these Parquet options."""
    pq.write_table(pa.table({"town": pa.array(values, pa.string())}), path, **options)
    return path


def found(path):
    return pages.dictionary_values(path, 0)


def held(path) -> set:
    """Every value the column's rows hold, as Arrow decodes them: the oracle."""
    return set(pq.read_table(path).column("town").drop_null().to_pylist())


CODECS = ["NONE", "SNAPPY", "GZIP", "BROTLI", "ZSTD", "LZ4"]


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_every_codec_and_page_version_gives_the_values_written(tmp_path, codec, version):
    values = (TOWNS * 3000)[:10_000]
    path = write(
        tmp_path / "t.parquet",
        values,
        compression=codec,
        data_page_version=version,
        data_page_size=1024,  # many data pages per row group
        row_group_size=3000,
    )
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == (
        "UNCOMPRESSED" if codec == "NONE" else codec
    )
    assert found(path) == (TOWNS, False)


def test_page_checksums_and_page_indexes_are_stepped_over(tmp_path):
    path = write(
        tmp_path / "t.parquet",
        ["东城", None, "莞城"] * 500,
        write_page_checksum=True,
        write_page_index=True,
        data_page_size=256,
    )
    assert found(path) == (["东城", "莞城"], True)


def test_a_column_whose_writer_fell_back_to_plain_text_is_not_judged(tmp_path):
    """Past a dictionary page of 64 bytes, the writer writes the rest as plain text: a value
    there is in no dictionary, so the dictionaries cannot speak for the rows."""
    values = [f"镇{i}" for i in range(2000)]
    fallback = {"dictionary_pagesize_limit": 64, "write_batch_size": 16, "data_page_size": 256}
    path = write(tmp_path / "t.parquet", values, **fallback)
    assert "PLAIN" in pq.ParquetFile(path).metadata.row_group(0).column(0).encodings
    assert found(path) is None
    assert found(write(tmp_path / "u.parquet", values, use_dictionary=False)) is None


@pytest.mark.parametrize(
    "options", [{"write_statistics": False}, {"compression": "NONE", "write_statistics": False}]
)
def test_without_a_count_of_empty_cells_in_the_footer_the_column_is_read(tmp_path, options):
    assert found(write(tmp_path / "t.parquet", TOWNS, **options)) is None


def test_a_dictionary_longer_than_the_limit_is_read(tmp_path, monkeypatch):
    path = write(tmp_path / "t.parquet", TOWNS * 2)
    monkeypatch.setattr(pages, "MOST_VALUES", 3)
    assert found(path) is None
    monkeypatch.setattr(pages, "MOST_VALUES", 4)
    assert found(path) == (TOWNS, False)


def test_columns_not_of_text_are_not_judged(tmp_path):
    path = tmp_path / "n.parquet"
    pq.write_table(pa.table({"n": [1, 2, 1, 2]}), path)
    assert found(path) is None


def test_empty_row_groups_and_a_file_of_no_rows(tmp_path):
    path = tmp_path / "t.parquet"
    with pq.ParquetWriter(path, pa.schema([("town", pa.string())])) as writer:
        writer.write_table(pa.table({"town": pa.array([], pa.string())}))
        writer.write_table(pa.table({"town": ["万江", "万江"]}))
        writer.write_table(pa.table({"town": pa.array([], pa.string())}))
    assert found(path) == (["万江"], False)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.lists(st.one_of(st.none(), st.text(max_size=12)), min_size=1, max_size=400),
    distinct=st.integers(1, 30),
    codec=st.sampled_from(CODECS),
    version=st.sampled_from(["1.0", "2.0"]),
    rows=st.integers(1, 500),
    page=st.sampled_from([64, 512, 1 << 20]),
    checksum=st.booleans(),
)
def test_the_values_found_are_those_arrow_reads_in_the_rows(
    tmp_path, values, distinct, codec, version, rows, page, checksum
):
    """Whatever the writer's options, the pages give exactly the values Arrow decodes from the
    rows and whether any is empty, or nothing at all."""
    pool = [v for v in values if v is not None][:distinct] or ["甲"]
    column = [None if v is None else pool[i % len(pool)] for i, v in enumerate(values)]
    path = write(
        tmp_path / "p.parquet",
        column,
        compression=codec,
        data_page_version=version,
        row_group_size=rows,
        data_page_size=page,
        write_page_checksum=checksum,
    )
    result = found(path)
    if result is not None:
        assert set(result[0]) == held(path) and len(result[0]) == len(set(result[0]))
        assert result[1] == (None in column)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(at=st.integers(0, 10_000), byte=st.integers(0, 255))
def test_damaged_bytes_never_raise_and_never_let_a_row_value_pass_unseen(tmp_path, at, byte):
    """A byte changed anywhere in the file: the pages give None, or values that include every
    value Arrow decodes from the rows (judging by the dictionaries is never more lenient than
    reading the rows). A data page damaged so that Arrow cannot decode it is not found here: as
    with the footer's statistics, reading the rows reports it."""
    path = write(
        tmp_path / "d.parquet", (TOWNS * 800)[:3000], data_page_size=512, row_group_size=1000
    )
    data = bytearray(path.read_bytes())
    data[at % len(data)] = byte
    path.write_bytes(bytes(data))
    result = pages.dictionary_values(path, 0)  # the footer too is read there, not by Arrow
    if result is None:
        return
    try:
        table = pq.read_table(path)
        if table.num_columns != 1 or not pa.types.is_string(table.schema.field(0).type):
            return  # (a damaged schema: the check judges no such column as text)
        # as bytes: a damaged page may decode to text that is not UTF-8
        rows = set(table.column(0).drop_null().cast(pa.large_binary()).to_pylist())
    except (OSError, pa.ArrowException, UnicodeDecodeError):  # (a name that is not UTF-8)
        return  # the check reads nothing of a file Arrow cannot open
    assert rows <= {value.encode() for value in result[0]}


# ------------------------------------------------------------------ the check, judging by them
def rentals(tmp_path, towns, **options):
    """rental_inspections of 2021 in the contract's form, with these towns, as Parquet."""
    n = len(towns)
    frame = pa.table(
        {
            "inspection_id": pa.array(range(1, n + 1), pa.int64()),
            "house_id": pa.array([10 + i % 7 for i in range(n)], pa.int64()),
            "inspected_date": pa.array(pd.to_datetime(["2021-03-01"] * n).astype("datetime64[ms]")),
            "town": pa.array(towns, pa.string()),
            "result": pa.array(["正常"] * n, pa.string()),
        }
    )
    path = tmp_path / "rental_inspections" / "2021.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(frame, path, **options)
    return path


def test_the_check_reads_no_town_when_the_dictionaries_vouch_for_them(tmp_path, columns_read):
    path = rentals(tmp_path, TOWNS * 50, row_group_size=64)
    result = checks.clean_in_place(path, loader.TABLES["rental_inspections"], 2021)
    assert result is not None and result.count == 200
    assert "town" not in columns_read and "result" not in columns_read
    assert {"inspection_id", "inspected_date"} <= set(columns_read)


FALLBACK = {"dictionary_pagesize_limit": 32, "write_batch_size": 16, "data_page_size": 256}


@pytest.mark.parametrize(
    "bad, fallback", [("北京", False), ("北京", True), (None, False), (None, True)]
)
def test_a_value_against_the_contract_is_still_reported_with_its_row(tmp_path, bad, fallback):
    """A town not in the contract or empty, in the dictionary or (``fallback``) in the plain
    text a writer fell back to: the check reports it, on its row (line 258: no header)."""
    towns = [TOWNS[i % 4] for i in range(3000)]
    towns[257] = bad
    path = rentals(tmp_path, towns, **(FALLBACK if fallback else {}))
    assert (pages.dictionary_values(path, 3) is None) == fallback
    _, problems = loader.read_checked("rental_inspections", 2021, tmp_path)
    assert [p.column for p in problems] == ["镇街 / town"]
    assert "第 258 行" in str(problems[0])
    assert ("空单元格" if bad is None else "'北京'") in str(problems[0])


@pytest.mark.parametrize("fallback", [False, True])
def test_a_padded_town_goes_the_full_way_and_is_read_trimmed(tmp_path, fallback):
    towns = [TOWNS[i % 4] for i in range(3000)]
    towns[257] = "\u200b南城 "
    path = rentals(tmp_path, towns, **(FALLBACK if fallback else {}))
    assert checks.clean_in_place(path, loader.TABLES["rental_inspections"], 2021) is None
    loaded, problems = loader.read_checked("rental_inspections", 2021, tmp_path)
    assert problems == [] and loaded.frame["town"].iloc[257] == "南城"


# ------------------------------------------------------------------ damaged and crafted headers
# bytes of Thrift's compact protocol, written out by hand: a field's header byte is its number's
# step from the last (high four bits) and its type (low four: 1 true, 5 i32, 9 list, 11 map,
# 12 struct); numbers are zigzag varints (0 → 00, 2 → 04, 8 → 10)
def header(data: bytes):
    return pages._struct(data, 0, 0)


def test_a_header_is_read_by_field_number_and_type():
    # PageHeader: type 0 (data page), sizes 8 and 4, data_page_header {num_values 2, encoding 8}
    fields, end = header(
        bytes([0x15, 0x00, 0x15, 0x10, 0x15, 0x08, 0x2C, 0x15, 0x04, 0x15, 0x10, 0, 0])
    )
    assert end == 13
    assert pages._int(fields, 1) == 0 and pages._int(fields, 2) == 8 and pages._int(fields, 3) == 4
    assert pages._page_rows(pages._struct_field(fields, 5), 1, 2) == 2


@pytest.mark.parametrize(
    "data",
    [
        bytes([0x15, 0x00, 0x05, 0x02, 0x00]),  # field 1 given twice (the second a step of 0)
        bytes([0x16, 0x00, 0x00]),  # field 1 as an i64, not an i32
        bytes([0x19, 0xF1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00]),  # a list of 2**32 - 1 booleans
        bytes([0x1B, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x11, 0x00]),  # a map of as many pairs
        bytes([0x19, 0x19] + [0x19] * 40),  # lists of lists, ever deeper
        bytes([0x1C] * 40),  # structs in structs, ever deeper
        bytes([0x15] + [0xFF] * 20),  # a number that never ends
        bytes([0x1D, 0x00]),  # a type the protocol does not have
    ],
)
def test_damaged_or_crafted_headers_are_refused_quickly(data, tmp_path):
    """Each gives Unreadable, or runs past the bytes there are (IndexError: read more, up to
    ``LONGEST_HEADER``, then refused); none hangs, recurses without end or asks for memory."""
    path = tmp_path / "h.bin"
    path.write_bytes(data)
    with open(path, "rb") as file, pytest.raises(pages.Unreadable):
        fields, _ = pages._header(file, 0)
        pages._int(fields, 1)  # a field of the wrong type is refused where it is read


def test_a_page_larger_than_its_chunk_or_than_a_dictionary_can_be_is_refused():
    fields, _ = header(bytes([0x15, 0x04, 0x15, 0xC8, 0x01, 0x15, 0x10, 0x00]))
    assert pages._sizes(fields, room=100) == (8, 100)
    with pytest.raises(pages.Unreadable):
        pages._sizes(fields, room=7)  # 8 bytes in a chunk with 7 left
    big, _ = header(
        bytes([0x15, 0x04, 0x16, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x15, 0x10, 0])
    )
    with pytest.raises(pages.Unreadable):  # (2**40 as an i64: the wrong type as well)
        pages._sizes(big, room=100)


def test_a_chunk_of_many_small_pages_is_read_rather_than_walked(tmp_path, monkeypatch):
    path = write(tmp_path / "t.parquet", TOWNS * 5000, data_page_size=64, write_batch_size=64)
    pages_in_it = pq.ParquetFile(path).metadata.row_group(0).column(0)
    assert found(path) is None  # 20,000 rows in far more than the 6 pages allowed
    monkeypatch.setattr(pages, "FEWEST_ROWS_A_PAGE", 1)
    assert found(path) == (TOWNS, False), pages_in_it


def test_text_judged_by_its_dictionary_is_checked_again_when_read(tmp_path, monkeypatch, caplog):
    """Should the dictionary pages (or the footer's count of empty cells) say less than the
    rows hold (a writer's wrong statistics, a crafted file), the chapter reading the column
    finds it, and the table is checked the full way, which reports the row."""
    towns = [TOWNS[i % 4] for i in range(3000)]
    towns[257] = None
    rentals(tmp_path, towns)
    monkeypatch.setattr(pages, "dictionary_values", lambda *args: (TOWNS, False))  # a lie
    loaded, problems = loader.read_checked("rental_inspections", 2021, tmp_path, ["house_id"])
    assert problems == [] and len(loaded.frame) == 3000  # town judged by the lie, not read
    _, problems = loader.read_checked("rental_inspections", 2021, tmp_path, ["town"])
    assert [p.column for p in problems] == ["镇街 / town"] and "第 258 行" in str(problems[0])
    assert any(
        "列 town（镇街）" in r.getMessage() and "字典页" in r.getMessage() for r in caplog.records
    )


def test_a_parquet_text_column_that_is_not_utf8_is_named_with_its_row(tmp_path):
    import numpy as np

    from helpers.errors import DataError

    data = "莞城".encode() * 100 + b"\xff\xfe" + "南城".encode() * 899
    offsets = np.array([6 * i for i in range(101)] + [602 + 6 * i for i in range(900)], np.int32)
    towns = pa.Array.from_buffers(
        pa.string(), 1000, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )
    rentals(tmp_path, towns)
    with pytest.raises(DataError) as err:
        loader.read_checked("rental_inspections", 2021, tmp_path)
    assert err.value.rows == [101] and "不是 UTF-8" in str(err.value)


@pytest.mark.parametrize("codec", ["snappy", "gzip", "brotli", "lz4_raw", "zstd"])
def test_a_dictionary_page_must_decompress_to_exactly_its_stated_size(codec):
    """Arrow's codecs but zstd fill a larger buffer's tail with whatever memory held: a page
    that states more bytes than it holds is refused (a tester's file stated 1040 for 40)."""
    body = struct.pack("<I", 6) + "莞城".encode() + struct.pack("<I", 6) + "南城".encode()
    packed = pa.compress(body, codec=codec, asbytes=True)
    assert pages._decompressed(packed, codec, len(body)) == body
    assert pages._plain_texts(body, 2) == ["莞城", "南城"]
    for stated in (len(body) - 1, len(body) + 1, len(body) + 1000):
        with pytest.raises(pages.Unreadable):
            pages._decompressed(packed, codec, stated)
    with pytest.raises(pages.Unreadable):  # a value fewer than the page holds
        pages._plain_texts(body, 1)
