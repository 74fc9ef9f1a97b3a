"""The values a Parquet column of text can hold, read from its dictionary pages alone.

A writer keeps a column of few values (a town, a result, a status) as a dictionary page of those
values and data pages of small numbers pointing into it. When every data page of a column points
into its dictionary, no row can hold a value the dictionaries do not list, and the contract's
rules on the values (allowed, not padded, not empty) can be judged on those few values without
decoding a row: the 61 million inspections' towns and results at ten times the sample cost
0.9 s of CPU a year to read, and nothing this way.

Whether every data page points into the dictionary is written in each page's header, a few bytes
before the page, in Thrift's compact protocol (the Parquet format's ``PageHeader``). Arrow does
not show page headers, so they are read here: the headers are walked from the column chunk's
first page to its last, skipping each page's body, and the dictionary page's body is
decompressed with Arrow. The footer (``FileMetaData``: where each chunk lies, its codec, its
count of empty cells) is read here too, with the same reader: on some damaged footers Arrow's
accessors end the process. Anything this cannot tell for certain (a data page of plain text,
which writers fall back to when a dictionary fills up; no empty-cell count in the footer; a
codec or a header it does not know; a field of the wrong type or given twice; a dictionary of
more than ``MOST_VALUES``; many small pages; a damaged page) gives None, and the column is read.
Text so judged is checked again when a chapter reads it (``loader.read_in_place``).
"""

from __future__ import annotations

import struct
from pathlib import Path

# page types (parquet.thrift PageType) and the encodings of a data page that point into the
# dictionary (PLAIN_DICTIONARY, the old name, and RLE_DICTIONARY)
DATA_PAGE, DICTIONARY_PAGE, DATA_PAGE_V2 = 0, 2, 3
POINTING = frozenset({2, 8})
PLAIN_VALUES = frozenset({0, 2})  # a dictionary page's own values: PLAIN (PLAIN_DICTIONARY in v1)
MOST_VALUES = 4096  # a dictionary longer than this: the column is read (its values are parsed here)
LONGEST_DICTIONARY = 1 << 26  # nor one whose page decompresses to more bytes than this
# fewer rows a data page on average than this: the column is read, as walking its headers here
# (about 20 µs each) would cost more than Arrow decoding its rows (writers put up to 20,000 a page)
FEWEST_ROWS_A_PAGE = 4096
HEADER_BYTES = 256  # read first for a page header; more when its statistics are longer
LONGEST_HEADER = 1 << 20  # a page header longer than this (a damaged length): the column is read
DEEPEST = 16  # structs and lists nested deeper in a header than this: not a header this reads
I32, I64, LIST, STRUCT = 5, 6, 9, 12  # the Thrift types of the fields read here
BYTE_ARRAY = 6  # the physical type of text (parquet.thrift Type)
# the footer's codecs (CompressionCodec) → Arrow's (LZO and the old Hadoop-framed LZ4 are not
# read here; LZ4_RAW is Arrow's "lz4_raw")
CODEC_NAMES = {0: "UNCOMPRESSED", 1: "snappy", 2: "gzip", 4: "brotli", 6: "zstd", 7: "lz4_raw"}


def statistics(metadata, group: int, column: int):
    """A column chunk's statistics from the footer, or None when there are none or the chunk's
    physical type is not its column's (a damaged footer: asked for its statistics then, Arrow
    ends the whole process, "ColumnMetaData type does not match ColumnDescriptor")."""
    chunk = metadata.row_group(group).column(column)
    if chunk.physical_type != metadata.schema.column(column).physical_type:
        return None
    return chunk.statistics


class Unreadable(Exception):
    """The bytes are not what a Parquet writer writes: the column is read instead."""


def dictionary_values(path: Path, column: int) -> tuple[list[str], bool] | None:
    """The values the rows of a column of text (its place among the file's columns) can hold,
    over every row group (each row group's dictionary, in order, without repeats), and whether
    a row is empty; None when not every data page points into its row group's dictionary or
    the file cannot tell. The footer is read here too, not through Arrow, whose accessors end
    the process on some damaged footers (an unknown codec)."""
    values: dict[str, None] = {}
    empty = False
    try:
        with open(path, "rb") as file:
            for group in _list_field(_footer(file), 4):  # FileMetaData.row_groups
                chunk = _list_field(group, 1)[column]  # RowGroup.columns
                if 1 in chunk:  # ColumnChunk.file_path: its pages are in another file
                    return None
                meta = _struct_field(chunk, 3)  # ColumnChunk.meta_data
                if _int(meta, 1) != BYTE_ARRAY:
                    return None
                if not _long(meta, 5):  # num_values
                    continue
                nulls = _long(_struct_field(meta, 12), 3)  # statistics.null_count
                found = _chunk_dictionary(file, meta)
                if found is None or nulls is None:
                    return None
                values.update(dict.fromkeys(found))
                empty = empty or nulls > 0
    # whatever damaged or crafted bytes make of the parsing (a field of another type, a count
    # too large to hold), the answer is the same: the column is read, and reading it tells
    except (
        Unreadable,
        OSError,
        ValueError,  # UnicodeDecodeError among them
        TypeError,
        LookupError,
        ArithmeticError,
        struct.error,
        RecursionError,
        MemoryError,
    ):
        return None
    return list(values), empty


def _footer(file) -> dict:
    """The file's FileMetaData: the footer before its length and the closing PAR1."""
    file.seek(0, 2)
    size = file.tell()
    if size < 12:
        raise Unreadable("too short for a Parquet file")
    file.seek(size - 8)
    tail = file.read(8)
    length = int.from_bytes(tail[:4], "little")
    if tail[4:] != b"PAR1" or not 0 < length <= size - 12:  # (PARE: an encrypted footer)
        raise Unreadable("no plain Parquet footer")
    file.seek(size - 8 - length)
    return _struct(file.read(length), 0, 0)[0]


def _chunk_dictionary(file, meta: dict) -> list[str] | None:
    """One column chunk's dictionary values (its ColumnMetaData), if every data page of it
    points into them."""
    codec = CODEC_NAMES.get(_int(meta, 4))
    if codec is None:
        return None
    # where Arrow starts reading the chunk: its dictionary page, if that comes before its first
    # data page; the first page there must be the dictionary
    at, dictionary_at = _long(meta, 9), _long(meta, 11)
    if at is None or dictionary_at is None:
        return None
    if 0 < dictionary_at < at:
        at = dictionary_at
    end, rows_in_chunk = at + _long(meta, 7), _long(meta, 5)
    header, body = _header(file, at)
    if _int(header, 1) != DICTIONARY_PAGE:
        return None
    size, raw_size = _sizes(header, end - body)
    dictionary = _struct_field(header, 7)
    count = _int(dictionary, 1)
    if _int(dictionary, 2) not in PLAIN_VALUES or count is None or not 0 <= count <= MOST_VALUES:
        return None
    file.seek(body)
    values = _plain_texts(_decompressed(file.read(size), codec, raw_size), count)
    at, rows, pages = body + size, 0, 0
    most_pages = 1 + rows_in_chunk // FEWEST_ROWS_A_PAGE
    while at < end:
        pages += 1
        if pages > most_pages:
            return None
        header, body = _header(file, at)
        kind, (size, _) = _int(header, 1), _sizes(header, end - body)
        if kind == DATA_PAGE:
            rows += _page_rows(_struct_field(header, 5), 1, 2)
        elif kind == DATA_PAGE_V2:
            rows += _page_rows(_struct_field(header, 8), 1, 4)
        else:  # a second dictionary, an index page or an unknown kind: not what is judged here
            return None
        at = body + size
    if at != end or rows != rows_in_chunk:
        return None  # the pages do not add up to the chunk the footer describes
    return values


def _page_rows(page: dict, count_field: int, encoding_field: int) -> int:
    """The values of a data page, which must point into the dictionary."""
    count = _int(page, count_field)
    if _int(page, encoding_field) not in POINTING or count is None or count < 0:
        raise Unreadable("a data page not pointing into the dictionary")
    return count


def _sizes(header: dict, room: int) -> tuple[int, int]:
    """A page's size as written, within the ``room`` left in its chunk, and decompressed
    (PageHeader fields 3 and 2)."""
    size, raw = _int(header, 3), _int(header, 2)
    if size is None or raw is None or not 0 <= size <= room or not 0 <= raw <= LONGEST_DICTIONARY:
        raise Unreadable("a page header without sizes that fit")
    return size, raw


def _int(fields: dict, number: int) -> int | None:
    """A field of a header that must be a 32-bit whole number (None: absent)."""
    return _typed(fields, number, I32)


def _long(fields: dict, number: int) -> int | None:
    """A field that must be a 64-bit whole number (None: absent)."""
    return _typed(fields, number, I64)


def _list_field(fields: dict, number: int) -> list[dict]:
    """A field that must be a list of structs."""
    found = _typed(fields, number, LIST)
    if found is None:
        raise Unreadable(f"no list {number}")
    return found


def _struct_field(fields: dict, number: int) -> dict:
    """A field of a header that must be a struct (its own fields by number)."""
    found = _typed(fields, number, STRUCT)
    if found is None:
        raise Unreadable(f"no field {number} in the header")
    return found


def _typed(fields: dict, number: int, kind: int):
    if number not in fields:
        return None
    found_kind, value = fields[number]
    if found_kind != kind:  # Arrow's reader skips a field of the wrong type: so is it here
        raise Unreadable(f"field {number} of type {found_kind}, not {kind}")
    return value


def _header(file, at: int) -> tuple[dict, int]:
    """The page header at ``at`` (fields by number: their type and value) and where the page's
    body starts."""
    length = HEADER_BYTES
    while True:
        file.seek(at)
        data = file.read(length)
        try:
            header, used = _struct(data, 0, 0)
            return header, at + used
        except IndexError:  # the header runs past what was read: read more, unless that was all
            if len(data) < length or length >= LONGEST_HEADER:
                raise Unreadable("a page header cut short or too long") from None
            length *= 4


def _decompressed(data: bytes, codec: str, size: int) -> bytes:
    """A page's body decompressed to its stated ``size``, which must be its true size: Arrow's
    codecs but zstd fill a larger buffer's tail with whatever was in memory, so the body must
    also not fit in one byte less (a dictionary page: a few hundred bytes, decompressed twice)."""
    if codec == "UNCOMPRESSED":
        if len(data) != size:
            raise Unreadable("a page whose sizes differ though it is not compressed")
        return data
    import pyarrow as pa

    try:
        out = pa.decompress(data, decompressed_size=size, codec=codec, asbytes=True)
    except (pa.ArrowException, ValueError, OSError) as exc:
        raise Unreadable(str(exc)) from exc
    if size:
        try:
            pa.decompress(data, decompressed_size=size - 1, codec=codec, asbytes=True)
        except (pa.ArrowException, ValueError, OSError):  # (gzip's is an OSError)
            return out
        raise Unreadable("a page that decompresses to less than its stated size")
    return out


def _plain_texts(data: bytes, count: int) -> list[str]:
    """``count`` texts written PLAIN: each a 4-byte little-endian length and its UTF-8 bytes."""
    values, at = [], 0
    for _ in range(count):
        (length,) = struct.unpack_from("<I", data, at)
        at += 4
        if at + length > len(data):
            raise Unreadable("a dictionary value runs past its page")
        values.append(data[at : at + length].decode("utf-8"))
        at += length
    if at != len(data):  # the values fill the page: bytes left over are not what was written
        raise Unreadable("a dictionary page with bytes after its values")
    return values


# ------------------------------------------------------------------ Thrift's compact protocol
# field types: 1 true, 2 false, 3 byte, 4 i16, 5 i32, 6 i64, 7 double, 8 binary, 9 list, 10 set,
# 11 map, 12 struct
def _struct(data: bytes, at: int, depth: int) -> tuple[dict, int]:
    """A struct's fields by number, each (type, value) (lists, maps and binaries skipped, their
    value None), and where it ends. A field given twice is not what a writer writes."""
    if depth > DEEPEST:
        raise Unreadable("structs nested too deep")
    fields, last = {}, 0
    while True:
        byte = data[at]
        at += 1
        if byte == 0:
            return fields, at
        kind, delta = byte & 0x0F, byte >> 4
        if delta:
            last += delta
        else:
            number, at = _varint(data, at)
            last = _zigzag(number)
        if last in fields:
            raise Unreadable(f"field {last} given twice")
        value, at = _value(data, at, kind, depth)
        fields[last] = (kind, value)


def _value(data: bytes, at: int, kind: int, depth: int):
    if kind in (1, 2):  # a boolean field: its value is its type
        return kind == 1, at
    if kind == 3:
        return data[at], at + 1
    if kind in (4, 5, 6):
        number, at = _varint(data, at)
        return _zigzag(number), at
    if kind == 7:
        data[at + 7]  # noqa: B018 - the eight bytes must be there
        return None, at + 8
    if kind == 8:
        length, at = _varint(data, at)
        _within(data, at, length)
        return None, at + length
    if depth > DEEPEST and kind in (9, 10, 11, 12):
        raise Unreadable("lists or structs nested too deep")
    if kind in (9, 10):
        head = data[at]
        at += 1
        count, element = head >> 4, head & 0x0F
        if count == 15:
            count, at = _varint(data, at)
        _within(data, at, count)  # every element takes a byte at least
        if element == STRUCT:  # (the footer's row groups and their columns)
            items = []
            for _ in range(count):
                item, at = _struct(data, at, depth + 1)
                items.append(item)
            return items, at
        for _ in range(count):
            at = _element(data, at, element, depth)
        return None, at
    if kind == 11:
        count, at = _varint(data, at)
        if count:
            types = data[at]
            at += 1
            _within(data, at, 2 * count)
            for _ in range(count):
                at = _element(data, at, types >> 4, depth)
                at = _element(data, at, types & 0x0F, depth)
        return None, at
    if kind == 12:
        return _struct(data, at, depth + 1)
    raise Unreadable(f"a field of unknown type {kind}")


def _within(data: bytes, at: int, length: int) -> None:
    """``length`` bytes from ``at`` must have been read (IndexError: read more, up to
    ``LONGEST_HEADER``)."""
    if at + length > len(data):
        raise IndexError("past the bytes read")


def _element(data: bytes, at: int, kind: int, depth: int) -> int:
    """Skip one element of a list, set or map (a boolean there takes a byte)."""
    if kind in (1, 2):
        _within(data, at, 1)
        return at + 1
    return _value(data, at, kind, depth + 1)[1]


def _varint(data: bytes, at: int) -> tuple[int, int]:
    number, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        number |= (byte & 0x7F) << shift
        if byte < 0x80:
            return number, at
        shift += 7
        if shift > 63:
            raise Unreadable("a number longer than 64 bits")


def _zigzag(number: int) -> int:
    return (number >> 1) ^ -(number & 1)
