"""一(四) 严格规范公正文明执法: guidelines, case reviews, inspections, information systems, honours."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers import fmt
from helpers.figures.base import Figure, Frames, NotStated, count, derived

# pandas only in annotations here and imported where used: a build reads FIGURES and WORDS
# (every build does, before it knows whether anything changed) without importing pandas
if TYPE_CHECKING:
    import pandas as pd

FIGURES = {
    "F059": ("guidelines",),
    **dict.fromkeys(("F060", "F061", "F062"), ("case_reviews",)),
    "F063": ("inspections",),
    **dict.fromkeys(("F064", "F065", "F066"), ("it_functions",)),
    "F067": ("honours",),
}
WORDS = {"guideline_titles": ("guidelines",), "it_examples": ("it_functions",)}
MODEL_HONOUR = "全省公安机关执法示范单位"


def issued_guidelines(guidelines: pd.DataFrame) -> pd.DataFrame:
    """Guidelines issued in the year and in force, in date order (same-day ones by document number)."""
    rows = guidelines[guidelines["status"] == "有效"]
    return rows.sort_values(["issued_date", "doc_id"], kind="stable")


def guideline_count(guidelines: pd.DataFrame) -> Figure:
    """F059: guidelines issued, written as 20多份."""
    rows = issued_guidelines(guidelines)
    if rows.empty:
        raise NotStated("F059", "本年没有印发并仍有效的执法指引")
    return derived(
        "F059",
        "制定执法指引",
        len(rows),
        "份",
        f"{fmt.approx(len(rows))}份",
        source="guidelines",
        definition="年内印发且有效的执法指引数（以“X多份”显示）",
        rows=len(rows),
        counted=True,
    )


def reviews(case_reviews: pd.DataFrame) -> dict[str, Figure]:
    """F060–F062: review rounds, and the reviews of cases and of alarms (a case reviewed in two
    rounds counts twice: the table has no case number, so these are 宗次 and 起次)."""
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
            "宗次",
            source="case_reviews",
            definition="年内考评对象为案件的考评记录数（同一案件在几个批次考评按几宗次计）",
        ),
        count(
            "F062",
            "考评警情",
            case_reviews[case_reviews["object"] == "警情"],
            "起次",
            source="case_reviews",
            definition="年内考评对象为警情的考评记录数（同一警情在几个批次考评按几起次计）",
        ),
    ]
    return {f.id: f for f in figs}


def inspected_units(inspections: pd.DataFrame) -> Figure:
    """F063: branches that had a special enforcement inspection, named in order of first visit."""
    rows = inspections[inspections["kind"] == "专项执法巡查"].sort_values(
        ["inspected_date", "unit", "record_id"], kind="stable"
    )
    units = list(dict.fromkeys(rows["unit"]))
    if not units:
        raise NotStated("F063", "本年没有专项执法巡查记录")
    return derived(
        "F063",
        "专项执法巡查单位",
        len(units),
        "个",
        "、".join(units),
        source="inspections",
        definition="年内开展专项执法巡查的单位",
        rows=len(rows),
        quoted=True,
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
    """The first ``n`` functions of a kind in the catalog's numbering, to name in the text."""
    live = functions[(functions["status"] == "在用") & (functions["category"] == category)]
    return live.sort_values("function_id", kind="stable")["name"].head(n).tolist()


def honoured_units(honours: pd.DataFrame, honour: str) -> Figure:
    """F067: units that received an honour in the year, each named once, by date of the award."""
    rows = honours[honours["honour"] == honour].sort_values(["awarded_date", "unit"], kind="stable")
    units = list(dict.fromkeys(rows["unit"]))
    if not units:
        raise NotStated("F067", f"本年没有单位获评“{honour}”")
    return derived(
        "F067",
        honour,
        len(units),
        "个",
        "、".join(units),
        source="honours",
        definition=f"年内获评{honour}的不同单位，按授予日期列出",
        rows=len(rows),
        quoted=True,
    )


def guideline_titles(guidelines: pd.DataFrame, n: int = 3) -> str:
    """The first ``n`` guidelines of the year with book-title marks: 《…》《…》."""
    return "".join(f"《{t}》" for t in issued_guidelines(guidelines)["title"].head(n))


def figure_groups(t: Frames, model_honour: str = MODEL_HONOUR, **_) -> list:
    """The chapter's figure calculations, one group per table."""
    return [
        lambda: guideline_count(t.guidelines),
        lambda: reviews(t.case_reviews),
        lambda: inspected_units(t.inspections),
        lambda: it_functions(t.it_functions),
        lambda: honoured_units(t.honours, model_honour),
    ]


def word_groups(t: Frames, **_) -> list:
    """Word slots of 一(四)."""

    def titles():
        text = guideline_titles(t.guidelines)
        if not text:
            raise NotStated("guideline_titles", "本年没有印发并仍有效的执法指引")
        return {"guideline_titles": text}

    def examples():
        names = named_functions(t.it_functions, "协同业务")
        if not names:
            raise NotStated("it_examples", "信息化功能目录中没有在用的协同业务")
        return {"it_examples": "、".join(names)}

    return [titles, examples]


def function_table(functions: pd.DataFrame) -> pd.DataFrame:
    """Functions of the case-handling systems by kind and state."""
    table = functions.pivot_table(
        index="category", columns="status", values="function_id", aggfunc="count", fill_value=0
    )
    return table.reset_index().rename(columns={"category": "功能类别"})


def guideline_table(guidelines: pd.DataFrame) -> pd.DataFrame:
    """The guidelines issued in the year."""
    import pandas as pd

    rows = issued_guidelines(guidelines)
    return pd.DataFrame(
        {
            "印发日期": rows["issued_date"].dt.strftime("%Y-%m-%d"),
            "文号": rows["doc_id"],
            "文件名称": rows["title"],
        }
    )
