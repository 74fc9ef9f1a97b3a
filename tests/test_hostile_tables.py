"""Hostile raw tables: each broken file is one DataError that names the file (and row), what is
wrong and how to fix it; `lawreport validate` lists every problem, never a traceback; nothing
is silently wrong; and the raw files stay exactly as they were.

Fixture tables are written by hand in tmp folders, so every expected row number and value
below is read off the fixture, not computed by the code under test.
"""

from __future__ import annotations

import codecs
import os
import pathlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers import cli
from helpers.data import cache, loader, validate
from helpers.errors import DataError, ValidationError

YEAR = 2021
HONOURS = "记录编号,授予日期,获奖单位,荣誉名称,授予单位\n"
KNIVES = "记录编号,收缴日期,镇街,数量（把）\n"
ITEMS = "事项编码,事项名称,业务类别,全市通办,跨省通办,状态\n"
TICKETS = "工单编号,受理时间,工单类别,办理状态,重复工单,承办单位\n"
GANGS = ["团伙编号", "打掉日期", "团伙类别", "成员人数", "认定状态"]


def honour(i: int, year: int = YEAR, unit: str = "莞城分局") -> str:
    return f"RY{year}-{i:03d},{year}-03-{i:02d},{unit},全省公安机关执法示范单位,广东省公安厅\n"


def honours(n: int, year: int = YEAR) -> str:
    return HONOURS + "".join(honour(i, year) for i in range(1, n + 1))


def put(data: Path, table: str, body: bytes | str, name: str = f"{YEAR}.csv") -> Path:
    folder = data / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    return path


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An XLSX with these sheets (rows as lists; None leaves a cell empty)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
    book.save(path)
    return path


GANG_ROWS = [
    ["G1", "2021-05-01", "恶势力犯罪集团", "5", "已认定"],
    ["G2", "2021-06-01", "恶势力犯罪集团", "7", "已认定"],
]


def rentals(
    data: Path, dates: list[str], tz: str | None = None, name: str = f"{YEAR}.parquet"
) -> Path:
    """rental_inspections in the contract's form (ids, timestamps, dictionary-encoded text)."""
    stamps = pd.to_datetime(dates)
    frame = pd.DataFrame(
        {
            "inspection_id": list(range(1, len(dates) + 1)),
            "house_id": [10 + i for i in range(len(dates))],
            "inspected_date": stamps.tz_localize(tz) if tz else stamps,
            "town": pd.Categorical(["莞城"] * len(dates)),
            "result": pd.Categorical(["正常"] * len(dates)),
        }
    )
    path = data / "rental_inspections" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)
    return path


def knives_parquet(data: Path, **columns) -> Path:
    table = {
        "record_id": ["DJ1", "DJ2"],
        "seized_date": ["2021-02-01", "2021-02-02"],
        "town": ["莞城", "南城"],
        "quantity": [3, 4],
    } | columns
    path = data / "knife_seizures" / f"{YEAR}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(table), path)
    return path


def snapshot(folder: Path) -> dict:
    """Every entry under ``folder``: its kind, bytes (or link target) and modification time."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        if p.is_symlink():
            out[p] = ("link", os.readlink(p), st.st_mtime_ns)
        elif p.is_dir():
            out[p] = ("dir", None, st.st_mtime_ns)
        else:
            out[p] = ("file", p.read_bytes(), st.st_mtime_ns)
    return out


def run_validate(capsys, data: Path, year: int = YEAR) -> tuple[int, str, str]:
    """``lawreport validate`` in this process (what the command runs, without a new interpreter)."""
    capsys.readouterr()
    code = cli.main(["validate", "--year", str(year), "--data-dir", str(data)])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ one error each
@dataclass
class Case:
    """A broken table: ``make`` writes it under the data folder and returns the file the error
    must name; the error must carry these fields and say these words."""

    table: str
    make: Callable[[Path], Path]
    says: str  # what is wrong, in the error's message
    fix: str  # how to fix it, in the error's fix
    rows: list[int] = field(default_factory=list)
    column: str | None = None
    values: list | None = None


def last_years_export(data: Path) -> Path:
    put(data, "honours", honours(3, 2020), "2020.csv")
    return put(data, "honours", honours(3, 2020))


def utf8_then_gbk(data: Path) -> Path:
    body = honours(3).encode("utf-8") + (honour(4) + honour(5)).encode("gbk")
    return put(data, "honours", body)


def gbk_then_utf8(data: Path) -> Path:
    body = honours(3).encode("gbk") + honour(4).encode("utf-8")
    return put(data, "honours", body)


def bom_then_gbk(data: Path) -> Path:
    body = codecs.BOM_UTF8 + (HONOURS + honour(1)).encode("utf-8") + honour(2).encode("gbk")
    return put(data, "honours", body)


def cut_in_a_character(encoding: str, bom: bytes = b""):
    """A CSV whose copy stopped inside the last character of its 5th line (no newline after)."""

    def make(data: Path) -> Path:
        body = honours(3).encode(encoding) + honour(4).rstrip("\n").encode(encoding)[:-1]
        return put(data, "honours", bom + body)

    return make


def neither_encoding(data: Path) -> Path:
    header = b"record_id,awarded_date,unit,honour,issuer\n"
    return put(data, "honours", header + b"R1,2021-03-01,a,b,c\nR2,2021-03-02,\xff\xfe,b,c\n")


def nul_bytes(data: Path) -> Path:
    body = honours(2).encode("utf-8") + b"RY2021-003,2021-03-03,\x00\x00,x,y\n"
    return put(data, "honours", body)


def utf16(data: Path) -> Path:
    return put(data, "honours", honours(2).encode("utf-16"))


def knives(*quantities: str) -> str:
    return KNIVES + "".join(
        f"DJ{i},2021-02-{i:02d},莞城,{q}\n" for i, q in enumerate(quantities, 1)
    )


def empty_csv(data: Path) -> Path:
    return put(data, "honours", b"")


def empty_parquet(data: Path) -> Path:
    return put(data, "rental_inspections", b"", f"{YEAR}.parquet")


def truncated_parquet(data: Path) -> Path:
    path = rentals(data, ["2021-01-05"] * 4)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def truncated_xlsx(data: Path) -> Path:
    path = workbook(data / "gangs" / f"{YEAR}.xlsx", {"Sheet1": [GANGS, *GANG_ROWS]})
    path.write_bytes(path.read_bytes()[:700])
    return path


def csv_named_xlsx(data: Path) -> Path:
    body = ",".join(GANGS) + "\n" + "\n".join(",".join(r) for r in GANG_ROWS) + "\n"
    return put(data, "gangs", body, f"{YEAR}.xlsx")


def xlsx_named_csv(data: Path) -> Path:
    path = workbook(data / "honours" / "book.xlsx", {"Sheet1": [HONOURS.strip().split(",")]})
    return path.rename(path.with_name(f"{YEAR}.csv"))


def xls_named_xlsx(data: Path) -> Path:
    return put(data, "gangs", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), f"{YEAR}.xlsx")


def html_named_xlsx(data: Path) -> Path:
    body = "<html><body><table><tr><td>团伙编号</td></tr></table></body></html>"
    return put(data, "gangs", body, f"{YEAR}.xlsx")


def stray_commas(data: Path) -> Path:
    body = HONOURS + honour(1) + honour(2).replace("莞城分局", "莞城,分局") + honour(3)
    return put(data, "honours", body + honour(4).replace(",广东", ",,广东"))


def unclosed_quote(data: Path) -> Path:
    return put(data, "honours", HONOURS + honour(1) + honour(2) + '"' + honour(3) + honour(4))


def zoned_date(data: Path) -> Path:
    return put(
        data, "honours", HONOURS + honour(1) + "RY2021-002,2021-05-01T08:00:00+08:00,a,b,c\n"
    )


def zulu_time(data: Path) -> Path:
    body = TICKETS + "T1,2021-03-01 10:00:00,投诉,已办结,否,莞城分局\n"
    return put(data, "hotline_tickets", body + "T2,2021-03-01T02:00:00Z,投诉,已办结,否,莞城分局\n")


def folder_named_csv(data: Path) -> Path:
    path = data / "honours" / f"{YEAR}.csv"
    path.mkdir(parents=True)
    (path / "2021.csv").write_text(honours(2), encoding="utf-8")
    return path


def broken_link(data: Path) -> Path:
    path = data / "honours" / f"{YEAR}.csv"
    path.parent.mkdir(parents=True)
    path.symlink_to(data / "exports" / "honours-2021.csv")
    return path


def header_twice(data: Path) -> Path:
    body = "记录编号,授予日期,获奖单位,授予单位,荣誉名称,授予单位\nRY1,2021-03-01,莞城,省厅,示范单位,省厅\n"
    return put(data, "honours", body)


def canonical_and_chinese(data: Path) -> Path:
    body = (
        "记录编号,授予日期,获奖单位,荣誉名称,授予单位,issuer\nRY1,2021-03-01,莞城,示范,省厅,省厅\n"
    )
    return put(data, "honours", body)


def blank_lines_only(data: Path) -> Path:
    return put(data, "honours", "\n\r\n  \n")


def two_formats(data: Path) -> Path:
    put(data, "gangs", ",".join(GANGS) + "\nG1,2021-05-01,恶势力犯罪集团,5,已认定\n")
    workbook(data / "gangs" / f"{YEAR}.xlsx", {"Sheet1": [GANGS, *GANG_ROWS]})
    return data / "gangs"


def two_cases(data: Path) -> Path:
    put(data, "honours", honours(2))
    put(data, "honours", honours(2), f"{YEAR}.CSV")
    return data / "honours"


def twice_extension(data: Path) -> Path:
    return put(data, "honours", honours(2), f"{YEAR}.csv.csv")


def old_xls_name(data: Path) -> Path:
    return put(data, "gangs", b"\xd0\xcf\x11\xe0" + bytes(508), f"{YEAR}.xls")


def header_on_two_sheets(data: Path) -> Path:
    first, second = [GANGS, GANG_ROWS[0]], [GANGS, GANG_ROWS[1]]
    return workbook(data / "gangs" / f"{YEAR}.xlsx", {"1-1000": first, "1001-2000": second})


def excel_serial_dates(data: Path) -> Path:
    return put(data, "honours", HONOURS + honour(1) + "RY2021-002,44317,a,b,c\n")


def yes_no_words(data: Path) -> Path:
    rows = "S1,户口迁移,户政,是,否,在用\nS2,身份证,户政,是的,否,在用\nS3,居住证,户政,√,否,在用\n"
    return put(data, "service_items", ITEMS + rows)


def parquet_text_numbers(data: Path) -> Path:
    return knives_parquet(data, quantity=["3", "十二"])


def parquet_serial_dates(data: Path) -> Path:
    return knives_parquet(data, seized_date=[44197, 44198])


def another_tables_file(data: Path) -> Path:
    return put(data, "honours", TICKETS + "T1,2021-03-01 10:00:00,投诉,已办结,否,莞城分局\n")


def header_repeated(data: Path) -> Path:
    return put(data, "honours", HONOURS + honour(1) + honour(2) + HONOURS + honour(3))


def folder_is_a_file(data: Path) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    (data / "honours").write_text(honours(2), encoding="utf-8")
    return data / "honours"


def infinite_weight(data: Path) -> Path:
    body = (
        "缴获编号,缴获日期,毒品种类,重量（克）\nD1,2021-04-01,冰毒,12.5\nD2,2021-04-02,冰毒,1e999\n"
    )
    return put(data, "drug_seizures", body)


def title_and_bad_date(data: Path) -> Path:
    body = "2021年度荣誉登记表\n\n" + HONOURS + honour(1) + "RY2021-002,2021-02-30,a,b,c\n"
    return put(data, "honours", body)


def blank_lines_then_bad_date(data: Path) -> Path:
    body = HONOURS + honour(1) + "\n,,,,\n" + honour(2) + "RY2021-003,3月3日,a,b,c\n"
    return put(data, "honours", body)


def xlsx_header_on_row_40(data: Path) -> Path:
    rows: list[list[object]] = [["东莞市公安局打团伙台账"]] + [[]] * 38 + [GANGS]
    rows += [GANG_ROWS[0], ["G2", "2021-06-01", "恶势力犯罪集团", "七", "已认定"]]
    return workbook(data / "gangs" / f"{YEAR}.xlsx", {"Sheet1": rows})


DATE = "授予日期 / awarded_date"
CASES = {
    # 1. silent wrong reports from ordinary mistakes
    "last year's export under this year's name": Case(
        "honours",
        last_years_export,
        "2021.csv 中 honours（荣誉表）的 3 行没有一行的日期在 2021 年",
        "用 2021 年的名字保存的",
        [2, 3, 4],
        DATE,
        ["2020-03-01", "2020-03-02", "2020-03-03"],
    ),
    "Parquet in contract form, every row of 2020": Case(
        "rental_inspections",
        lambda d: rentals(d, ["2020-01-05", "2020-02-05"]),
        "的 2 行没有一行的日期在 2021 年",
        "用 2021 年的名字保存的 2020 年的表",
        [1, 2],
        "排查日期 / inspected_date",
    ),
    "UTF-8 file with GBK rows appended": Case(
        "honours",
        utf8_then_gbk,
        "第 5 行之前是 UTF-8，第 5 行不是",
        "把整个表一次重新导出",
        [5],
    ),
    "GBK file with UTF-8 rows appended": Case(
        "honours",
        gbk_then_utf8,
        "它是 GB18030/GBK（从第 1 行起），但第 5 行是 UTF-8",
        "另存为 CSV UTF-8",
        [5],
    ),
    "BOM then GBK rows": Case(
        "honours",
        bom_then_gbk,
        "以 UTF-8 的字节顺序标记（BOM）开头，但第 3 行不是 UTF-8",
        "把整个表一次重新导出",
        [3],
    ),
    **{
        f"{name} cut inside its last character": Case(
            "honours",
            cut_in_a_character(encoding, bom),
            "在一个字符的中间结束（第 5 行）：文件在复制或导出时被截断了",
            "重新导出该表，或重新复制整个文件",
            [5],
        )
        for name, encoding, bom in (
            ("UTF-8", "utf-8", b""),
            ("UTF-8 with BOM", "utf-8", codecs.BOM_UTF8),
            ("GB18030", "gb18030", b""),
        )
    },
    "neither UTF-8 nor GB18030": Case(
        "honours",
        neither_encoding,
        "既不是 UTF-8 也不是 GB18030/GBK 文本：第 3 行两者都不符合",
        "重新另存为 CSV UTF-8",
        [3],
    ),
    "NUL bytes": Case(
        "honours",
        nul_bytes,
        "中有 NUL 字节，最早在第 4 行",
        "重新另存为 CSV UTF-8",
        [4],
    ),
    "UTF-16 text": Case("honours", utf16, "是 UTF-16 文本", "重新另存为 CSV UTF-8"),
    "integer beyond 64 bits": Case(
        "knife_seizures",
        lambda d: put(d, "knife_seizures", knives("3", "99999999999999999999")),
        "quantity（数量（把））有 1 个值太大，无法计数",
        "放错了列",
        [3],
        "数量（把） / quantity",
        ["99999999999999999999"],
    ),
    "integer one past the 64-bit maximum": Case(
        "knife_seizures",
        lambda d: put(d, "knife_seizures", knives("9223372036854775808", "2", "1")),
        "太大，无法计数",
        "放错了列",
        [2],
        "数量（把） / quantity",
        ["9223372036854775808"],
    ),
    "unsigned 64-bit integers in Parquet": Case(
        "knife_seizures",
        lambda d: knives_parquet(d, quantity=pa.array([3, 2**63 + 5], pa.uint64())),
        "太大，无法计数",
        "放错了列",
        [2],
        "数量（把） / quantity",
    ),
    "infinite number": Case(
        "drug_seizures",
        infinite_weight,
        "太大，无法计数（无穷大）",
        "放错了列",
        [3],
        "重量（克） / grams",
        ["1e999"],
    ),
    # 2. raw tracebacks where the user needs one sentence
    "0-byte CSV": Case("honours", empty_csv, "2021.csv 是空文件（0 字节）", "重新导出该表"),
    "0-byte Parquet": Case(
        "rental_inspections",
        empty_parquet,
        "2021.parquet 是空文件（0 字节）",
        "重新导出该表",
    ),
    "truncated Parquet": Case(
        "rental_inspections",
        truncated_parquet,
        "读作 Parquet 文件：文件已损坏或不完整",
        "重新复制或导出该文件",
    ),
    "truncated XLSX": Case(
        "gangs",
        truncated_xlsx,
        "读作 XLSX 工作簿：文件已损坏或不完整",
        "重新复制或导出该文件",
    ),
    "CSV saved with an .xlsx name": Case(
        "gangs",
        csv_named_xlsx,
        "2021.xlsx 是文本（CSV）文件，不是XLSX 工作簿",
        "把它重命名为 2021.csv",
    ),
    "XLSX saved with a .csv name": Case(
        "honours",
        xlsx_named_csv,
        "2021.csv 是Excel 工作簿（XLSX），不是CSV 文件",
        "把它重命名为 2021.xlsx",
    ),
    "XLS (or password-protected) workbook with an .xlsx name": Case(
        "gangs",
        xls_named_xlsx,
        "Excel 97-2003 工作簿（.xls）或设有密码的工作簿",
        "去掉密码，另存为 Excel 工作簿，命名为 2021.xlsx",
    ),
    "web page with an .xlsx name": Case(
        "gangs",
        html_named_xlsx,
        "是含有表格的网页或 XML 文件",
        "另存为 Excel 工作簿（2021.xlsx）",
    ),
    "stray commas in two rows": Case(
        "honours",
        stray_commas,
        "2021.csv 中有 2 行的值比表头的 5 列多",
        '把含有分隔符的值用双引号括起（"a,b"）',
        [3, 5],
        values=[
            honour(2).replace("莞城分局", "莞城,分局").strip(),
            honour(4).replace(",广东", ",,广东").strip(),
        ],
    ),
    "unclosed quote": Case(
        "honours",
        unclosed_quote,
        '2021.csv 第 4 行有一个没有闭合的双引号（"）',
        "补上闭合的引号，或删去它",
        [4],
        values=['"' + honour(3).strip()],
    ),
    "date with a time zone in one row": Case(
        "honours",
        zoned_date,
        "awarded_date（授予日期）有 1 个值带有时区",
        "写不带时区的本地时间",
        [3],
        DATE,
        ["2021-05-01T08:00:00+08:00"],
    ),
    "UTC time (Z) among local times": Case(
        "hotline_tickets",
        zulu_time,
        "个值带有时区",
        "写不带时区的本地时间",
        [3],
        "受理时间 / received_at",
        ["2021-03-01T02:00:00Z"],
    ),
    "Parquet timestamps with a time zone": Case(
        "rental_inspections",
        lambda d: rentals(d, ["2021-01-05", "2021-02-05"], tz="Asia/Shanghai"),
        "inspected_date（排查日期）有 2 个值带有时区",
        "写不带时区的本地时间",
        [1, 2],
        "排查日期 / inspected_date",
    ),
    "a folder named 2021.csv": Case(
        "honours",
        folder_named_csv,
        "2021.csv 是一个文件夹，不是文件",
        "把数据表文件从文件夹 2021.csv/ 中移出",
    ),
    "table folder is a file": Case(
        "honours",
        folder_is_a_file,
        "是一个文件，但这里应是存放该表各年文件的文件夹",
        "把该文件移入同名文件夹",
    ),
    # 3. errors that blamed the wrong thing
    "duplicate header": Case(
        "honours",
        header_twice,
        "列 授予单位 / issuer 在表头中出现了 2 次：第 4 列（D）的 '授予单位'和第 6 列（F）的 '授予单位'",
        "保留内容是“授予单位”的那一列",
        column="授予单位 / issuer",
    ),
    "one column by its canonical and Chinese names": Case(
        "honours",
        canonical_and_chinese,
        "第 5 列（E）的 '授予单位'和第 6 列（F）的 'issuer'",
        "删去另一列",
        column="授予单位 / issuer",
    ),
    "broken symbolic link": Case(
        "honours",
        broken_link,
        "2021.csv 是指向 ",
        "让链接指向真正的文件",
    ),
    "another table's file (no known header)": Case(
        "honours",
        another_tables_file,
        "2021.csv 中找不到 honours（荣誉表）的任何一列：它的表头（第 1 行）是 工单编号, 受理时间",
        "检查这是不是荣誉表",
    ),
    # 5. more of the same kind
    "header row only": Case(
        "honours",
        lambda d: put(d, "honours", HONOURS),
        "数据表 honours（荣誉表）没有数据行",
        "文件中只有表头",
    ),
    "only blank lines": Case(
        "honours",
        blank_lines_only,
        "中没有文字（只有空行）",
        "重新导出该表",
    ),
    # found by the tester: invisible characters alone were taken for a header
    "only invisible characters": Case(
        "honours",
        lambda d: put(d, "honours", "\u200b\ufeff \u200b\n\u3000\u00ad\u2062\n"),
        "中没有文字（只有空行）",
        "重新导出该表",
    ),
    "a header of separators alone": Case(
        "honours",
        lambda d: put(d, "honours", ",,,\n,,,\n"),
        "的任何一列：它的表头（第 1 行）是 空的。",
        "如果缺少表头行，加上它",
    ),
    "header repeated among the rows": Case(
        "honours",
        header_repeated,
        "2021.csv 中有 1 行重复了表头",
        "删去重复的表头行",
        [4],
        values=["记录编号"],
    ),
    "files of one year in two formats": Case(
        "gangs",
        two_formats,
        "数据表 gangs 的 2021 年有 2 个文件，不知该用哪一个",
        "每张表每年只保留一个文件",
    ),
    "2021.csv and 2021.CSV": Case(
        "honours",
        two_cases,
        "数据表 honours 的 2021 年有 2 个文件",
        "每张表每年只保留一个文件",
    ),
    "extension twice (2021.csv.csv)": Case(
        "honours",
        twice_extension,
        "2021.csv.csv 的扩展名重复了两次",
        "把它重命名为 2021.csv",
    ),
    "a 2021.xls workbook": Case(
        "gangs",
        old_xls_name,
        "2021.xls 是读取程序不支持的工作簿格式",
        "另存为 CSV UTF-8（2021.csv） 或 Excel 工作簿（2021.xlsx）",
    ),
    "the header on two sheets": Case(
        "gangs",
        header_on_two_sheets,
        "2021.xlsx 有 2 个工作表带有 gangs 的表头（1-1000、1001-2000）",
        "把所有行放到一个工作表上",
    ),
    "Excel serial numbers as dates": Case(
        "honours",
        excel_serial_dates,
        "awarded_date（授予日期）有 1 个值无法读作日期",
        "44317 看来是 Excel 内部保存日期的方式（2021-05-01）",
        [3],
        DATE,
        ["44317"],
    ),
    "是/否 column with other words": Case(
        "service_items",
        yes_no_words,
        "city_wide（全市通办）有 2 个值无法读作是/否",
        "写 是 或 否",
        [3, 4],
        "全市通办 / city_wide",
        ["是的", "√"],
    ),
    "Parquet number column holding text": Case(
        "knife_seizures",
        parquet_text_numbers,
        "quantity（数量（把））有 1 个值无法读作整数",
        "只写数字",
        [2],
        "数量（把） / quantity",
        ["十二"],
    ),
    "Parquet date column holding Excel serial numbers": Case(
        "knife_seizures",
        parquet_serial_dates,
        "seized_date（收缴日期）有 2 个值无法读作日期",
        "44197 看来是 Excel 内部保存日期的方式（2021-01-01）",
        [1, 2],
        "收缴日期 / seized_date",
    ),
    "title line above the header: rows keep their line numbers": Case(
        "honours",
        title_and_bad_date,
        "awarded_date（授予日期）有 1 个值无法读作日期",
        "2021-02-30 不是日历上的日期（2021年2月只有28天）",
        [5],
        DATE,
        ["2021-02-30"],
    ),
    "blank and empty lines: rows keep their line numbers": Case(
        "honours",
        blank_lines_then_bad_date,
        "个值无法读作日期",
        "YYYY-MM-DD",
        [6],
        DATE,
        ["3月3日"],
    ),
    "XLSX header on row 40: rows keep their Excel numbers": Case(
        "gangs",
        xlsx_header_on_row_40,
        "members（成员人数）有 1 个值无法读作整数",
        "只写数字",
        [42],
        "成员人数 / members",
        ["七"],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_hostile_table_is_one_clear_error(case: Case, tmp_path, capsys):
    data = tmp_path / "raw"
    named = case.make(data)
    before = snapshot(data)

    check = validate.check_one(case.table, YEAR, data)
    assert not check.missing and len(check.problems) == 1, [str(p) for p in check.problems]
    problem = check.problems[0]
    assert type(problem) is DataError
    assert str(named) in str(problem.file)
    assert case.says in problem.message
    assert case.fix in problem.fix
    assert problem.rows == case.rows
    assert problem.column == case.column
    if case.values is not None:
        assert problem.values == case.values
    with pytest.raises((DataError, ValidationError)) as raised:  # what a chapter gets
        loader.load(case.table, YEAR, data)
    found = raised.value.problems if isinstance(raised.value, ValidationError) else [raised.value]
    assert [str(p) for p in found] == [str(problem)]

    code, out, err = run_validate(capsys, data)
    assert code == 1
    assert f"✗ {case.table} {YEAR}：1 个问题" in out
    assert case.says in out and "解决办法：" + problem.fix in out
    assert "Traceback" not in out + err
    assert snapshot(data) == before  # raw files are only ever read


def test_an_unreadable_file_is_one_clear_error(tmp_path, capsys, monkeypatch):
    """Permissions do not stop root (the tests' user), so the refusal is simulated where every
    read of a file starts: opening it."""
    path = put(tmp_path / "raw", "honours", honours(2))
    before = snapshot(tmp_path / "raw")
    real_open = pathlib.Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", refuse)
    [problem] = validate.check_one("honours", YEAR, tmp_path / "raw").problems
    assert type(problem) is DataError and problem.file == path and problem.rows == []
    assert "无法读取 2021.csv：没有读取权限" in problem.message
    assert "chmod a+r" in problem.fix
    code, out, err = run_validate(capsys, tmp_path / "raw")
    assert code == 1 and "没有读取权限" in out and "Traceback" not in out + err
    monkeypatch.undo()
    assert snapshot(tmp_path / "raw") == before


def test_validate_lists_every_problem_of_every_file(tmp_path, capsys):
    data = tmp_path / "raw"
    truncated_parquet(data)
    stray_commas(data)
    put(data, "knife_seizures", knives("3", "99999999999999999999"))
    yes_no_words(data)
    code, out, err = run_validate(capsys, data)
    assert code == 1
    for table in ("rental_inspections", "honours", "knife_seizures", "service_items"):
        assert f"✗ {table} {YEAR}：1 个问题" in out
    assert "：4 个问题，" in out.splitlines()[-1]
    assert "Traceback" not in out + err


def test_the_command_itself_prints_no_traceback(tmp_path):
    data = tmp_path / "raw"
    truncated_xlsx(data)
    unclosed_quote(data)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.cli",
            "validate",
            "--year",
            "2021",
            "--data-dir",
            str(data),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "✗ gangs 2021：1 个问题" in run.stdout and "✗ honours 2021：1 个问题" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


# ------------------------------------------------------------------ loud warnings
WARNINGS = {
    "under a fifth of last year's rows": (
        lambda d: (put(d, "honours", honours(30, 2020), "2020.csv"), put(d, "honours", honours(5))),
        "honours",
        "2021 年只有 5 行，不到 2020 年 30 行的五分之一（",
    ),
    "under a fifth of last year's rows, both years checked": (
        lambda d: (alarms(d, 2020, 100), alarms(d, 2021, 19)),
        "alarms",
        "2021 年只有 19 行，不到 2020 年 100 行的五分之一（",
    ),
    "most rows of other years": (
        lambda d: put(
            d,
            "honours",
            HONOURS + honour(1) + honour(2) + "".join(honour(i, 2020) for i in (3, 4, 5)),
        ),
        "honours",
        "5 行中有 3 行的日期在其他年份（2020 年 3 行，2021 年 2 行）；只用 2021 年的 2 行",
    ),
    "extra column": (
        lambda d: put(d, "honours", HONOURS.strip() + ",备注\n" + honour(1).strip() + ",无\n"),
        "honours",
        "多出的列 '备注'（第 6 列（F））不在 honours 的契约中，不予读取",
    ),
    "a column of values without a header": (
        lambda d: put(d, "honours", HONOURS.strip() + ",\n" + honour(1).strip() + ",备注\n"),
        "honours",
        "第 6 列（F）没有表头；其中的值不予读取",
    ),
}


def alarms(data: Path, year: int, n: int) -> Path:
    frame = pd.DataFrame(
        {
            "alarm_id": range(1, n + 1),
            "received_at": pd.Timestamp(f"{year}-03-01 08:00") + pd.to_timedelta(range(n), "h"),
            "category": ["求助"] * n,
            "status": ["有效"] * n,
        }
    )
    path = data / "alarms" / f"{year}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("make, table, says", WARNINGS.values(), ids=WARNINGS.keys())
def test_a_doubtful_table_is_a_loud_warning(make, table, says, tmp_path, capsys):
    data = tmp_path / "raw"
    make(data)
    before = snapshot(data)
    checks = [c for c in validate.check_year(YEAR, data) if c.table == table and c.year == YEAR]
    assert len(checks) == 1 and checks[0].problems == []
    assert len(checks[0].warnings) == 1 and says in checks[0].warnings[0]
    again = [c for c in validate.check_year(YEAR, data) if c.table == table and c.year == YEAR]
    assert again[0].warnings == checks[0].warnings  # answered from the cache, still said
    code, out, err = run_validate(capsys, data)
    assert code == 0 and "⚠ 警告：" in out and says in out
    assert "，1 个警告，" in out.splitlines()[-1]
    assert "Traceback" not in out + err and "WARNING" not in err  # said once, under its table
    assert snapshot(data) == before


def test_last_years_rows_are_counted_on_the_pool(tmp_path, monkeypatch):
    """With a pool, the file of the year before that is compared with but not checked is
    counted by a worker (which has pyarrow loaded: the build process would import it for a
    Parquet footer, 0.7 s); the warning is the same."""
    from concurrent.futures import ThreadPoolExecutor

    data = tmp_path / "raw"
    put(data, "honours", honours(30, 2020), "2020.csv")
    last_year = data / "honours" / "2020.csv"
    pd.read_csv(last_year).to_parquet(last_year.with_suffix(".parquet"), index=False)
    last_year.unlink()
    put(data, "honours", honours(5))
    monkeypatch.setattr(validate, "HERE_BYTES", -1)  # the pool, even if every file was cached
    submitted = []

    class Pool(ThreadPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            submitted.append((fn.__name__, args))
            return super().submit(fn, *args, **kwargs)

    with Pool(2) as pool:
        results = validate.start_year(YEAR, data, pool).result()
    assert ("_rows_of", ([last_year.with_suffix(".parquet")],)) in submitted
    [check] = [c for c in results if c.table == "honours" and c.year == YEAR]
    assert len(check.warnings) == 1
    assert "2021 年只有 5 行，不到 2020 年 30 行的五分之一（" in check.warnings[0]


@pytest.mark.parametrize("rows_2021, warned", [(5, True), (6, False), (30, False)])
def test_the_warning_starts_under_a_fifth(rows_2021, warned, tmp_path):
    data = tmp_path / "raw"
    put(data, "honours", honours(30, 2020), "2020.csv")
    put(data, "honours", honours(rows_2021))
    [check] = [c for c in validate.check_year(YEAR, data) if c.table == "honours"]
    assert bool(check.warnings) is warned


def test_no_warning_without_last_years_file_or_for_a_small_table(tmp_path):
    data = tmp_path / "raw"
    put(data, "honours", honours(1))
    put(data, "knife_seizures", knives("1"))
    put(
        data,
        "knife_seizures",
        KNIVES + "".join(f"K{i},2020-01-{i:02d},莞城,1\n" for i in range(1, 20)),
        "2020.csv",
    )
    assert all(c.warnings == [] for c in validate.check_year(YEAR, data))


# ------------------------------------------------------------------ read past, not refused
def cover_sheet(data: Path) -> Path:
    cover = [[None], [None, "东莞市公安局"], [None, "打团伙台账（2021年）"]]
    return workbook(data / "gangs" / f"{YEAR}.xlsx", {"封面": cover, "数据": [GANGS, *GANG_ROWS]})


ACCEPTED = {
    "title lines above a CSV header": (
        "honours",
        lambda d: put(d, "honours", "2021年度荣誉登记表\n导出时间：2022-01-05\n" + honours(3)),
        3,
    ),
    "cover sheet before the data sheet": ("gangs", cover_sheet, 2),
    "XLSX header on row 40": (
        "gangs",
        lambda d: workbook(
            d / "gangs" / f"{YEAR}.xlsx", {"S": [["标题"], *[[]] * 38, GANGS, *GANG_ROWS]}
        ),
        2,
    ),
    "upper-case extension": ("honours", lambda d: put(d, "honours", honours(3), f"{YEAR}.CSV"), 3),
    "tab-separated text": (
        "honours",
        lambda d: put(d, "honours", honours(3).replace(",", "\t")),
        3,
    ),
    "blank and empty lines": (
        "honours",
        lambda d: put(d, "honours", HONOURS + honour(1) + "\n,,,,\n" + honour(2) + "\n\n"),
        2,
    ),
    "empty columns without a header": (
        "honours",
        lambda d: put(d, "honours", honours(3).replace("\n", ",,\n")),
        3,
    ),
}


@pytest.mark.parametrize("table, make, rows", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_usual_export_quirk_is_read(table, make, rows, tmp_path, capsys):
    data = tmp_path / "raw"
    make(data)
    before = snapshot(data)
    loaded, problems = loader.read_checked(table, YEAR, data)
    assert problems == [] and loaded.warnings == []
    assert len(loaded.frame) == rows and list(loaded.frame.index) == list(range(rows))
    key = {"honours": "record_id", "gangs": "gang_id"}[table]
    assert loaded.frame[key].iloc[0] in ("RY2021-001", "G1")
    code, out, err = run_validate(capsys, data)
    assert code == 0 and f"✓ {table} {YEAR}：{rows} 行（" in out and "Traceback" not in out + err
    assert snapshot(data) == before


# ------------------------------------------------------------------ a year without files
@pytest.mark.parametrize("folder_exists", [True, False], ids=["other years only", "no folder"])
def test_validate_of_a_year_without_any_table_fails(folder_exists, tmp_path, capsys):
    data = tmp_path / "raw"
    if folder_exists:
        put(data, "honours", honours(3))
    code, out, err = run_validate(capsys, data, year=2031)
    assert code == 2
    assert f"完全没有 2031 年的原始数据表：{data}" in err
    assert ("中只有 2021 年的数据表" if folder_exists else "不存在") in err
    assert "\n  解决办法：把 2031 年的数据表导出到" in err and "--data-dir" in err
    assert "Traceback" not in out + err


def test_the_year_without_tables_fails_from_the_command_line(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.cli",
            "validate",
            "--year",
            "2031",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "完全没有 2031 年的原始数据表" in run.stderr
    assert "Traceback" not in run.stdout + run.stderr


# ------------------------------------------------------------------ edits the cache must see
def _edit_keeping_size_and_mtime(path: Path, old: bytes, new: bytes) -> None:
    assert len(old) == len(new)
    st = path.stat()
    path.write_bytes(path.read_bytes().replace(old, new, 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)


@pytest.mark.parametrize("memoised", [False, True], ids=["small file", "large file (memoised)"])
def test_an_edit_keeping_size_and_mtime_is_seen(memoised, tmp_path, capsys, monkeypatch):
    if memoised:  # as for a file over the size that is hashed every time
        monkeypatch.setattr(cache, "ALWAYS_HASH", 0)
    data = tmp_path / "raw"
    path = put(data, "honours", honours(3))
    assert loader.load("honours", YEAR, data)["unit"].tolist() == ["莞城分局"] * 3
    _edit_keeping_size_and_mtime(path, "莞城分局".encode(), "南城分局".encode())
    assert loader.load("honours", YEAR, data)["unit"].tolist() == ["南城分局"] + ["莞城分局"] * 2
    assert run_validate(capsys, data)[0] == 0
    _edit_keeping_size_and_mtime(path, b"2021-03-02", b"2021-13-02")  # an invalid date
    code, out, _ = run_validate(capsys, data)
    assert code == 1 and "第 3 行：'2021-13-02'" in out


def test_a_large_unchanged_file_is_hashed_once(tmp_path, monkeypatch):
    path = put(tmp_path, "honours", honours(3))
    monkeypatch.setattr(cache, "ALWAYS_HASH", 0)
    first = cache.file_digest(path)
    monkeypatch.setattr(cache, "_hash_or_errno", lambda p: pytest.fail("hashed again"))
    assert cache.file_digest(path) == first


def test_large_files_hashed_ahead_are_remembered_with_their_digest(tmp_path, monkeypatch):
    """A build hashes its large tables two at a time first (``prefetch_digests``); each is then
    answered from memory, with the digest its bytes have; an unreadable one is left to be
    reported when it is read."""
    import xxhash

    monkeypatch.setattr(cache, "ALWAYS_HASH", 0)
    files = [put(tmp_path / f"d{i}", "honours", honours(3 + i)) for i in range(3)]
    locked = tmp_path / "locked.csv"
    locked.write_text("x\n", encoding="utf-8")
    locked.chmod(0)
    cache.prefetch_digests([*files, locked, tmp_path / "gone.csv"])
    monkeypatch.setattr(cache, "_hash_or_errno", lambda p: pytest.fail(f"hashed again: {p}"))
    for f in files:
        assert cache.file_digest(f) == xxhash.xxh3_128_hexdigest(f.read_bytes())
    if os.geteuid() != 0:  # root reads any file
        assert str(locked.resolve()) not in cache._load_memo()


def test_a_digest_covers_every_byte_across_read_chunks(tmp_path):
    """Files are hashed 4 MiB at a time: the digest is XXH3-128 of the whole file (the empty
    file's is the published test vector), and one byte changed past the first chunk changes it."""
    import xxhash

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert cache.file_digest(empty) == "99aa06d3014798d86001c324468d497f"
    data = bytearray(os.urandom(9 << 20))
    big = tmp_path / "big.parquet"
    big.write_bytes(data)
    assert cache._hash_or_errno(big) == xxhash.xxh3_128_hexdigest(bytes(data))
    data[(8 << 20) + 5] ^= 1
    other = tmp_path / "other.parquet"
    other.write_bytes(data)
    assert cache._hash_or_errno(other) != cache._hash_or_errno(big)


def test_small_files_are_hashed_every_time(tmp_path, monkeypatch):
    path = put(tmp_path, "honours", honours(3))
    cache.file_digest(path)
    calls = []
    monkeypatch.setattr(cache, "_hash_or_errno", lambda p: calls.append(p) or "digest")
    assert cache.file_digest(path) == "digest" and calls == [path]


# ------------------------------------------------------------------ the build refuses it
def test_the_build_refuses_a_table_with_every_row_out_of_year(small_dir, tmp_path):
    from helpers.run.build import build_report

    data = Path(shutil.copytree(small_dir, tmp_path / "raw"))
    last_year = data / "gangs" / "2020.csv"
    shutil.copy(last_year, data / "gangs" / "2021.csv")
    with pytest.raises(ValidationError) as refused:
        build_report(
            2021,
            data_dir=data,
            reports_dir=tmp_path / "reports",
            pdf_output=False,
            jobs=1,
            progress=lambda _: None,
        )
    [problem] = refused.value.problems
    assert problem.file == data / "gangs" / "2021.csv"
    assert "没有一行的日期在 2021 年" in problem.message and "用 2021 年的名字保存的" in problem.fix
    assert not (tmp_path / "reports" / "2021").exists()
    assert (data / "gangs" / "2021.csv").read_bytes() == last_year.read_bytes()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1,234", "'1,234'"),  # text quoted, as typed
        (__import__("numpy").float64(1.5), "1.5"),
        (__import__("numpy").int64(20210000005), "20210000005"),
        (pd.Timestamp("2021-05-01 08:00", tz="Asia/Shanghai"), "2021-05-01 08:00:00+08:00"),
        (float("nan"), "（空）"),
        (pd.NA, "（空）"),
        (pd.NaT, "（空）"),
    ],
)
def test_a_quoted_cell_reads_as_written_not_as_a_repr(value, shown):
    message = str(DataError("x", file="f.parquet", rows=[2], values=[value]))
    assert f"第 2 行：{shown}" in message
