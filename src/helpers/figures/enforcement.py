"""一(四) 严格规范公正文明执法: guidelines, case reviews, inspections, information systems, honours."""

from __future__ import annotations

import pandas as pd

from .. import fmt
from .base import Figure, Frames, collect, collect_words, count, derived, load_frames

NEEDS = {t: (0,) for t in ("guidelines", "case_reviews", "inspections", "it_functions", "honours")}


def load(year: int, data_dir=None) -> Frames:
    """This chapter's tables for ``year``."""
    return load_frames(NEEDS, year, data_dir)


def issued_guidelines(guidelines: pd.DataFrame) -> pd.DataFrame:
    """Guidelines issued in the year and in force, in date order."""
    return guidelines[guidelines["status"] == "有效"].sort_values("issued_date", kind="stable")


def guideline_count(guidelines: pd.DataFrame) -> Figure:
    """F059: guidelines issued, written as 20多份."""
    rows = issued_guidelines(guidelines)
    return derived(
        "F059",
        "制定执法指引",
        len(rows),
        "份",
        f"{fmt.approx(len(rows))}份",
        source="guidelines",
        definition="年内印发且有效的执法指引数（以“X多份”显示）",
        rows=len(rows),
    )


def reviews(case_reviews: pd.DataFrame) -> dict[str, Figure]:
    """F060–F062: review rounds, and the cases and alarms reviewed."""
    figs = [
        count(
            "F060",
            "案件考评次数",
            case_reviews,
            "次",
            n=int(case_reviews["round"].nunique()),
            source="case_reviews",
            definition="年内案件考评的批次数",
        ),
        count(
            "F061",
            "考评案件",
            case_reviews[case_reviews["object"] == "案件"],
            "宗",
            source="case_reviews",
            definition="年内考评对象为案件的记录数",
        ),
        count(
            "F062",
            "考评警情",
            case_reviews[case_reviews["object"] == "警情"],
            "起",
            source="case_reviews",
            definition="年内考评对象为警情的记录数",
        ),
    ]
    return {f.id: f for f in figs}


def inspected_units(inspections: pd.DataFrame) -> Figure:
    """F063: branches that had a special enforcement inspection, named in order of first visit."""
    rows = inspections[inspections["kind"] == "专项执法巡查"].sort_values(
        "inspected_date", kind="stable"
    )
    units = list(dict.fromkeys(rows["unit"]))
    return derived(
        "F063",
        "专项执法巡查单位",
        len(units),
        "个",
        "、".join(units),
        source="inspections",
        definition="年内开展专项执法巡查的单位",
        rows=len(rows),
    )


IT = {
    "F064": ("协同业务", "项", "便捷协同流转业务"),
    "F065": ("大数据服务", "类", "大数据服务"),
    "F066": ("风险监督", "项", "智能风险监督功能"),
}


def it_functions(functions: pd.DataFrame) -> dict[str, Figure]:
    """F064–F066: functions of the case-handling systems in use, by kind."""
    live = functions[functions["status"] == "在用"]
    return {
        fid: count(
            fid,
            label,
            live[live["category"] == cat],
            unit,
            source="it_functions",
            definition=f"年末在用、类别为{cat}的功能数",
        )
        for fid, (cat, unit, label) in IT.items()
    }


def named_functions(functions: pd.DataFrame, category: str, n: int = 3) -> list[str]:
    """The first ``n`` functions of a kind in catalog order, to name in the text."""
    live = functions[(functions["status"] == "在用") & (functions["category"] == category)]
    return live["name"].head(n).tolist()


def honoured_units(honours: pd.DataFrame, honour: str) -> Figure:
    """F067: units that received an honour in the year."""
    units = honours[honours["honour"] == honour]["unit"].tolist()
    return derived(
        "F067",
        honour,
        len(units),
        "个",
        "、".join(units),
        source="honours",
        definition=f"年内获评{honour}的单位",
        rows=len(units),
    )


def compute(t: Frames, model_honour: str = "全省公安机关执法示范单位") -> dict[str, Figure]:
    """Every figure of the chapter, by id."""
    return collect(
        lambda: guideline_count(t.guidelines),
        lambda: reviews(t.case_reviews),
        lambda: inspected_units(t.inspections),
        lambda: it_functions(t.it_functions),
        lambda: honoured_units(t.honours, model_honour),
    )


def guideline_titles(guidelines: pd.DataFrame, n: int = 3) -> str:
    """The first ``n`` guidelines of the year with book-title marks: 《…》《…》."""
    return "".join(f"《{t}》" for t in issued_guidelines(guidelines)["title"].head(n))


def words(t: Frames) -> dict[str, str]:
    """Word slots of 一(四)."""
    return collect_words(
        lambda: {"guideline_titles": guideline_titles(t.guidelines)},
        lambda: {"it_examples": "、".join(named_functions(t.it_functions, "协同业务"))},
    )


def function_table(functions: pd.DataFrame) -> pd.DataFrame:
    """Functions of the case-handling systems by kind and state."""
    table = functions.pivot_table(
        index="category", columns="status", values="function_id", aggfunc="count", fill_value=0
    )
    return table.reset_index().rename(columns={"category": "功能类别"})


def guideline_table(guidelines: pd.DataFrame) -> pd.DataFrame:
    """The guidelines issued in the year."""
    rows = issued_guidelines(guidelines)
    return pd.DataFrame(
        {
            "印发日期": rows["issued_date"].dt.strftime("%Y-%m-%d"),
            "文号": rows["doc_id"],
            "文件名称": rows["title"],
        }
    )
